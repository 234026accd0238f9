"""A rebuild rewrites only what changed: `digest build` keeps the previous site's unchanged files, and
`mkdocs serve --dirtyreload` renders only generated pages whose content changed."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from generator.cli import build_site

from .conftest import EXAMPLE_DUMPS, make_project

pytestmark = pytest.mark.slow


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def _project(tmp_path: Path, cache: Path, days: list[str]) -> tuple[Path, Path]:
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for day in days:
        shutil.copy(EXAMPLE_DUMPS / f"{day}.txt", dumps)
    return make_project(tmp_path / "project", cache, dumps=[str(dumps)], topics={"min_papers": 2}), dumps


def test_a_rebuild_keeps_unchanged_files_and_rewrites_the_changed_ones(tmp_path, keyphrase_cache, caplog):
    config_file, dumps = _project(tmp_path, keyphrase_cache, ["2025-03-12", "2025-03-13"])
    site = build_site(config_file, out=tmp_path / "site")
    before = {path: (p.stat().st_ino, p.read_bytes()) for path, p in _files(site).items()}

    build_site(config_file, out=site)
    assert {path: p.stat().st_ino for path, p in _files(site).items()} == {
        path: inode for path, (inode, _) in before.items()}, "the same dumps rewrite nothing"

    shutil.copy(EXAMPLE_DUMPS / "2025-03-14.txt", dumps)
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.digest"):
        build_site(config_file, out=site)
    assert "Related papers: 14 kept from the last build, 6 new papers compared with all" in caplog.text
    after = _files(site)
    kept = [path for path, p in after.items() if path in before and p.stat().st_ino == before[path][0]]
    rewritten = [path for path in after if path not in kept]
    assert all(after[path].read_bytes() == before[path][1] for path in kept)
    assert all(path not in before or after[path].read_bytes() != before[path][1] for path in rewritten)
    assert "papers.json.gz" in rewritten and "dates/2025/03/14/index.html" in rewritten
    assert any(path.startswith("papers/") for path in kept), "pages of earlier papers stay as they were"

    (keyphrase_cache / "related.npz").unlink()
    fresh = build_site(config_file, out=tmp_path / "fresh")
    assert {path: p.read_bytes() for path, p in _files(fresh).items()} == {
        path: p.read_bytes() for path, p in after.items()}, "a kept site equals a site built afresh, related \
        papers computed anew included"


def test_dirty_serve_rebuilds_only_generated_pages_whose_content_changed(tmp_path, keyphrase_cache):
    config_file, dumps = _project(tmp_path, keyphrase_cache, ["2025-03-12", "2025-03-13"])
    site = tmp_path / "served"
    config = load_config(str(config_file), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
    first = {path: p.stat().st_mtime_ns for path, p in _files(site).items() if path.endswith(".html")}

    shutil.copy(EXAMPLE_DUMPS / "2025-03-14.txt", dumps)
    config = load_config(str(config_file), site_dir=str(site))  # as `mkdocs serve` reloads it; the plugin stays
    build(config, dirty=True)
    second = {path: p.stat().st_mtime_ns for path, p in _files(site).items() if path.endswith(".html")}
    new_day = "dates/2025/03/14/index.html"
    assert new_day in second and new_day not in first
    untouched = [path for path in first if second[path] == first[path]]
    assert any(path.startswith("papers/") for path in untouched)
    assert second["dates/index.html"] != first["dates/index.html"], "the date index lists the new day"
