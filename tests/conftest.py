"""Shared fixtures: real dumps, real model, real MkDocs builds into temporary folders."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import settings

from generator.cli import build_site
from generator.project import new_project

REPO = Path(__file__).resolve().parent.parent

settings.register_profile("default", max_examples=300, derandomize=True)
settings.register_profile("thorough", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
"""Property tests run the same 300 examples each in `make test` (derandomized: CI never fails on a draw
of its own); HYPOTHESIS_PROFILE=thorough runs 5,000 new ones, to explore."""
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
SEED_DEFAULT_YEAR = yaml.safe_load((REPO / "examples" / "seeds.yml").read_text())["default_year"]
SEED_WATCHLISTS = [
    {"name": "Speech recognition", "include": ["speech recognition", "ASR"],
     "exclude": ["speech synthesis", "text-to-speech"]},
    {"name": "Retrieval", "include": ["dense retrieval", "retrieval-augmented generation", "RAG"],
     "exclude": ["image"]},
]
"""Two watchlists, with exclusions, that the seeds site is built with."""
SEED_AREAS_FROM = 20
"""The seeds have about 80 topics: grouping them into areas from 20 puts the areas on their site."""
EXAMPLE_SITE_URL = "https://lab.example.org/digest/"
"""The example site is built as if published there: its feeds and exports carry absolute links."""


def make_project(folder: Path, cache_dir: Path, pages: dict[str, str] | None = None,
                 site_url: str | None = None, **digest) -> Path:
    """A project as ``digest new`` writes it, with its own digest settings and extra hand-written pages;
    returns its mkdocs.yml."""
    config_file = new_project(folder, {"cache_dir": str(cache_dir), **digest}, site_url=site_url)
    for name, text in (pages or {}).items():
        (folder / "site_config" / "pages" / name).write_text(text, encoding="utf-8")
    return config_file


@pytest.fixture(scope="session")
def keyphrase_cache(tmp_path_factory) -> Path:
    """One keyphrase cache for the session: the model embeds each paper once."""
    return tmp_path_factory.mktemp("keyphrase-cache")


@pytest.fixture(scope="session")
def seeds_site(tmp_path_factory, keyphrase_cache) -> Path:
    folder = tmp_path_factory.mktemp("seeds-project")
    config_file = make_project(folder, keyphrase_cache, dumps=[str(SEEDS)], default_year=SEED_DEFAULT_YEAR,
                               topics={"areas_from": SEED_AREAS_FROM}, watchlists=SEED_WATCHLISTS)
    return build_site(config_file, out=folder / "site")


@pytest.fixture(scope="session")
def weekly_site(tmp_path_factory, keyphrase_cache) -> Path:
    """The seeds as the dumps of 11-15 March 2024, dated by their file names (one dump a day)."""
    folder = tmp_path_factory.mktemp("weekly-project")
    dumps = folder / "dumps"
    dumps.mkdir()
    for day, seed in enumerate(sorted(SEEDS.glob("*.txt")), start=11):
        shutil.copy(seed, dumps / f"2024-03-{day}.txt")
    config_file = make_project(folder, keyphrase_cache, dumps=[str(dumps)], watchlists=SEED_WATCHLISTS)
    return build_site(config_file, out=folder / "site")


@pytest.fixture(scope="session")
def seeds_json(seeds_site) -> dict:
    return read_digest(seeds_site)


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
    return read_digest(hostile_site)


def exported_digest(site: Path) -> dict:
    """A site's machine-readable digest, as a reader of the download gets it."""
    return json.loads(gzip.decompress((site / "papers.json.gz").read_bytes()).decode("utf-8"))


def read_digest(site: Path) -> dict:
    """A site's papers.json.gz, each paper with the address of its page (``url``), which papers.json gives
    once for all (``paper_url``). The page must be there."""
    digest = exported_digest(site)
    assert digest["paper_url"] == "papers/{id}/"
    for paper in digest["papers"]:
        assert "url" not in paper
        paper["url"] = digest["paper_url"].format(id=paper["id"])
        assert (site / paper["url"] / "index.html").is_file(), paper["url"]
    return digest


def raw_text(paper: dict, key: str) -> str:
    """The dump's own text of a paper's title or abstract (papers.json.gz has it only where it differs)."""
    return paper.get(f"{key}_raw", paper[key])


BUILT_SITES = frozenset({"keyphrase_cache", "seeds_site", "seeds_json", "example_site", "hostile_site",
                         "hostile_json", "weekly_site"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses a built site (or the model, through its cache) is slow, wherever it is."""
    for item in items:
        if BUILT_SITES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
