"""Shared fixtures: real dumps, real model, real MkDocs builds into temporary folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.yaml import yaml_load

from generator.cli import build_site

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "examples" / "seeds"
EXAMPLE_DUMPS = REPO / "dumps"
HOSTILE_DUMPS = REPO / "tests" / "fixtures" / "hostile"
"""Titles and abstracts that look like HTML, script, Markdown, Jinja or LaTeX, in many scripts."""
SEED_COUNTS = {
    "000_32028fc0be93f931.txt": 239,
    "001_013662e6d89ceba5.txt": 111,
    "002_72f709b3f3ba6329.txt": 89,
    "003_67eeca11e36f58ef.txt": 78,
    "004_152a2abdf1181b62.txt": 129,
}
SEED_DEFAULT_YEAR = 2024
EXAMPLE_SITE_URL = "https://lab.example.org/digest/"
"""The example site is built as if published there: its feeds and exports carry absolute links."""


def make_project(folder: Path, cache_dir: Path, pages: dict[str, str] | None = None,
                 site_url: str | None = None, **digest) -> Path:
    """A project like the repository's, with its own digest settings; returns its mkdocs.yml."""
    folder.mkdir(parents=True, exist_ok=True)
    docs = folder / "pages"
    (docs / "assets").mkdir(parents=True, exist_ok=True)
    for source in (REPO / "site_config" / "pages").rglob("*"):
        if source.is_file():
            target = docs / source.relative_to(REPO / "site_config" / "pages")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
    for name, text in (pages or {}).items():
        (docs / name).write_text(text, encoding="utf-8")
    (folder / "digest.yml").write_text(
        yaml.safe_dump({"cache_dir": str(cache_dir), **digest}, sort_keys=True), encoding="utf-8"
    )
    with (REPO / "mkdocs.yml").open(encoding="utf-8") as file:
        mkdocs = yaml_load(file)
    mkdocs["site_url"] = site_url
    mkdocs["docs_dir"] = str(docs)
    mkdocs["theme"]["custom_dir"] = str(REPO / "site_config" / "overrides")
    mkdocs["plugins"] = [{"digest": {"config": str(folder / "digest.yml")}}]
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(mkdocs, sort_keys=False), encoding="utf-8")
    return config_file


@pytest.fixture(scope="session")
def keyphrase_cache(tmp_path_factory) -> Path:
    """One keyphrase cache for the session: the model embeds each paper once."""
    return tmp_path_factory.mktemp("keyphrase-cache")


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory, keyphrase_cache) -> Path:
    folder = tmp_path_factory.mktemp("seeds-project")
    config_file = make_project(folder, keyphrase_cache, dumps=[str(SEEDS)], default_year=SEED_DEFAULT_YEAR)
    return build_site(config_file, out=folder / "site")


@pytest.fixture(scope="session")
def seeds_json(seeds_site) -> dict:
    return json.loads((seeds_site / "papers.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def example_site(tmp_path_factory, keyphrase_cache) -> Path:
    folder = tmp_path_factory.mktemp("example-project")
    config_file = make_project(folder, keyphrase_cache, dumps=[str(EXAMPLE_DUMPS)], topics={"min_papers": 2},
                               site_url=EXAMPLE_SITE_URL)
    return build_site(config_file, out=folder / "site")


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory, keyphrase_cache) -> Path:
    folder = tmp_path_factory.mktemp("hostile-project")
    config_file = make_project(folder, keyphrase_cache, dumps=[str(HOSTILE_DUMPS)], topics={"min_papers": 2})
    return build_site(config_file, out=folder / "site")


@pytest.fixture(scope="session")
def hostile_json(hostile_site) -> dict:
    return json.loads((hostile_site / "papers.json").read_text(encoding="utf-8"))


def raw_text(paper: dict, key: str) -> str:
    """The dump's own text of a paper's title or abstract (papers.json has it only where it differs)."""
    return paper.get(f"{key}_raw", paper[key])
