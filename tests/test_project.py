"""The project a newcomer starts from: `digest new`, and `digest build` with the packaged defaults."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.project import ProjectError, new_project, skeleton_folder, templates_folder

from .conftest import EXAMPLE_DUMPS, REPO, exported_digest

pytestmark = pytest.mark.slow


def digest(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, capture_output=True,
                          text=True, check=False)


def test_the_packaged_defaults_are_the_repository_files():
    assert (skeleton_folder() / "mkdocs.yml").read_bytes() == (REPO / "mkdocs.yml").read_bytes()
    assert (skeleton_folder() / "site_config" / "digest.yml").is_file()
    assert sorted(p.name for p in templates_folder().glob("*.j2")) == \
        sorted(p.name for p in (REPO / "templates").glob("*.j2"))


def test_new_scaffolds_a_project_that_mkdocs_builds(tmp_path):
    result = digest("new", "lab-digest", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    project = tmp_path / "lab-digest"
    assert (project / "mkdocs.yml").read_text() == (REPO / "mkdocs.yml").read_text()
    assert (project / "site_config" / "digest.yml").read_text() == \
        (REPO / "site_config" / "digest.yml").read_text()
    assert (project / "dumps").is_dir()
    (project / "dumps" / "2025-03-12.txt").write_bytes((EXAMPLE_DUMPS / "2025-03-12.txt").read_bytes())
    (project / "site_config" / "digest.yml").write_text(
        (project / "site_config" / "digest.yml").read_text() + f"\ncache_dir: {tmp_path / 'cache'}\n")
    built = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project,
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    papers = exported_digest(project / "site")["papers"]
    assert len(papers) == 7
    assert (project / "site" / "papers" / papers[0]["id"] / "index.html").is_file()


def test_new_never_overwrites_a_project(tmp_path):
    new_project(tmp_path)
    with pytest.raises(ProjectError, match="exists"):
        new_project(tmp_path)
    result = digest("new", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    assert "exists: not overwriting" in result.stderr


def test_build_in_an_empty_folder_uses_the_packaged_defaults(tmp_path, example_site):
    empty = tmp_path / "anywhere"
    empty.mkdir()
    result = digest("build", "--dumps", str(EXAMPLE_DUMPS), "--out", "out", cwd=empty)
    assert result.returncode == 0, result.stderr
    index = (empty / "out" / "index.html").read_text()
    assert "Paper Digest" in index
    papers = exported_digest(empty / "out")["papers"]
    example = exported_digest(example_site)["papers"]
    assert [p["id"] for p in papers] == [p["id"] for p in example]
    assert len(papers) == 20
    assert sorted(p.name for p in empty.iterdir()) == [".cache", "out"]


def test_build_without_a_project_or_dumps_says_what_to_do(tmp_path):
    result = digest("build", cwd=tmp_path)
    assert result.returncode == 2
    assert "No mkdocs.yml here" in result.stderr and "digest new" in result.stderr
