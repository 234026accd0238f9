"""Nothing lost, whatever happens to a build: a deleted cache keeps every topic address, a digest built
elsewhere keeps its topics apart, two builds at once do not undo each other's work, and a build that
cannot write stops with one line and leaves the site and the caches whole."""

from __future__ import annotations

import json
import logging
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from generator.analysis.cache import LOCK_NAME
from generator.cli import build_site

from .conftest import EXAMPLE_DUMPS, REPO, make_project

QUESTIONS = REPO / "tests" / "fixtures" / "questions"

pytestmark = pytest.mark.slow


def _topic_ids(site: Path) -> set[str]:
    return {t["id"] for t in json.loads((site / "digest-topics.json").read_text(encoding="utf-8"))["topics"]}


def _topic_pages(site: Path) -> set[str]:
    return {p.parent.name for p in (site / "topics").glob("*/index.html")}


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _build_command(config_file: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "generator.cli", "build", "-f", str(config_file), *extra]


def test_a_deleted_cache_keeps_every_topic_address(tmp_path, caplog):
    project = tmp_path / "project"
    config_file = make_project(project, project / ".cache" / "digest", dumps=[str(QUESTIONS)])
    site = build_site(config_file)
    state_file = project / ".cache" / "digest-topics.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    assert len(state["topics"]) >= 3
    state["topics"][0]["id"] = "an-address-readers-bookmarked"  # what no clustering of these papers makes
    state_file.write_text(json.dumps(state), encoding="utf-8")
    site = build_site(config_file)
    addresses = _topic_pages(site)
    assert "an-address-readers-bookmarked" in addresses and addresses == _topic_ids(site)

    shutil.rmtree(project / ".cache")  # the CI cache evicted: no embeddings, no state file
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.digest"):
        site = build_site(config_file)
    assert "the topics are kept from the published copy" in caplog.text
    assert _topic_pages(site) == addresses
    assert "an-address-readers-bookmarked" in {t["id"] for t in json.loads(state_file.read_text())["topics"]}


def test_a_digest_built_elsewhere_keeps_its_topics_apart_from_the_projects(tmp_path):
    project = tmp_path / "project"
    config_file = make_project(project, tmp_path / "cache", dumps=[str(QUESTIONS)])
    build_site(config_file)
    state_file = project / ".cache" / "digest-topics.json"
    kept = state_file.read_bytes()

    other = build_site(config_file, dumps=[QUESTIONS, EXAMPLE_DUMPS], out=tmp_path / "experiment")
    assert state_file.read_bytes() == kept, "an experiment never touches the project's topics"
    experiment = json.loads((other / "digest-topics.json").read_text(encoding="utf-8"))
    assert len(experiment["papers"]) > len(json.loads(kept)["papers"]), "its own papers, in its own site"
    again = build_site(config_file, dumps=[QUESTIONS, EXAMPLE_DUMPS], out=other)
    assert json.loads((again / "digest-topics.json").read_text(encoding="utf-8")) == experiment
    assert state_file.read_bytes() == kept


def _wait_for_lock_holder(lock: Path, build: subprocess.Popen) -> None:
    deadline = time.monotonic() + 300
    while not (lock.exists() and f"pid {build.pid}:" in lock.read_text(encoding="utf-8")):
        assert build.poll() is None, "the first build ended before it took the lock"
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_a_second_build_waits_for_the_first_and_neither_loses_its_work(tmp_path, caplog):
    cache = tmp_path / "cache"
    first = make_project(tmp_path / "first", cache, dumps=[str(QUESTIONS)])
    second = make_project(tmp_path / "second", cache, dumps=[str(EXAMPLE_DUMPS)])
    running = subprocess.Popen(_build_command(first), cwd=REPO, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    _wait_for_lock_holder(cache / LOCK_NAME, running)
    waiting = subprocess.run(_build_command(second), cwd=REPO, capture_output=True, text=True, check=False)
    assert running.wait() == 0 and waiting.returncode == 0, waiting.stderr
    assert f"Waiting for another build that uses {cache} to finish (pid {running.pid}:" in waiting.stderr

    both = make_project(tmp_path / "both", cache, dumps=[str(QUESTIONS), str(EXAMPLE_DUMPS)])
    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.digest"):
        build_site(both)
    assert "Keyphrases: 80 from the cache, 0 extracted" in caplog.text, "each build's papers were kept"


def _limited_to(size: int):
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_a_build_that_cannot_write_stops_with_one_line_and_leaves_site_and_caches_whole(tmp_path, caplog):
    # torch: the model runs as it is, with no ONNX export to a temporary file, so a cache write fails first
    config_file = make_project(tmp_path / "project", tmp_path / "cache", dumps=[str(EXAMPLE_DUMPS)],
                               keyphrases={"runtime": "torch"})
    site = build_site(config_file)
    cache = tmp_path / "cache"
    site_before, cache_before = _snapshot(site), _snapshot(cache)
    state_file = tmp_path / "project" / ".cache" / "digest-topics.json"
    state_before = state_file.read_bytes()

    # New papers, so the caches are written; no file may grow beyond 4 KB, as on a disk that is full.
    settings = config_file.parent / "site_config" / "digest.yml"
    digest = yaml.safe_load(settings.read_text(encoding="utf-8"))
    settings.write_text(yaml.safe_dump({**digest, "dumps": [str(EXAMPLE_DUMPS), str(QUESTIONS)]}),
                        encoding="utf-8")
    result = subprocess.run(_build_command(config_file), cwd=REPO, capture_output=True, text=True, check=False,
                            preexec_fn=_limited_to(4096))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1 and "Cannot write " in errors[0] and "File too large" in errors[0], errors
    assert f"Cannot write {cache}/" in errors[0], "it names the path"
    assert _snapshot(site) == site_before
    assert state_file.read_bytes() == state_before
    now = _snapshot(cache)
    assert {name: now[name] for name in cache_before if name != LOCK_NAME} == {
        name: data for name, data in cache_before.items() if name != LOCK_NAME}, "no cache file was truncated"
    assert all(".part-" in name for name in set(now) - set(cache_before) - {LOCK_NAME})
    assert not list(cache.glob(".*.tmp")) and not list(site.parent.glob(".site.building-*"))

    with caplog.at_level(logging.INFO):
        site = build_site(config_file)
    assert "unreadable" not in caplog.text and "Keyphrases: 20 from the cache, 60 extracted" in caplog.text

    site_before, cache_before = _snapshot(site), _snapshot(cache)
    largest = max(len(data) for data in site_before.values())
    result = subprocess.run(_build_command(config_file), cwd=REPO, capture_output=True, text=True, check=False,
                            preexec_fn=_limited_to(largest // 2))  # the caches are whole: the site fails
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(errors) == 1 and f"Cannot write {site}/" in errors[0], errors
    assert _snapshot(site) == site_before and _snapshot(cache).keys() == cache_before.keys()
    assert not list(site.parent.glob(".site.building-*"))


def test_a_build_killed_between_the_two_renames_gets_the_previous_site_back(tmp_path, caplog):
    config_file = make_project(tmp_path / "project", tmp_path / "cache", dumps=[str(EXAMPLE_DUMPS)])
    site = build_site(config_file)
    before = _snapshot(site)
    site.rename(site.with_name(".site.previous"))  # what _swap_in leaves when killed after its first rename
    with caplog.at_level(logging.INFO, logger="digest"):
        build_site(config_file)
    assert "Putting back the previous site" in caplog.text
    assert f"0 of {len(before)} files changed" in caplog.text, "the previous site's files were there to keep"
    assert _snapshot(site) == before and not site.with_name(".site.previous").exists()
