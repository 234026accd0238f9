"""Topic addresses a reader can bookmark: a new day's dump keeps every topic and every earlier paper's
topics, and a deliberate re-clustering leaves each address it retires as a redirect with a final feed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import feedparser
import pytest

from generator.cli import build_site

from .conftest import SEED_DEFAULT_YEAR, SEEDS, exported_digest, make_project

pytestmark = pytest.mark.slow


def _papers_json(site) -> dict:
    return exported_digest(site)


def test_a_new_dump_keeps_every_topic_address_and_every_earlier_paper_s_topics(
        tmp_path, keyphrase_cache, seeds_site):
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    for path in sorted(SEEDS.glob("*.txt"))[:4]:
        shutil.copy(path, dumps)
    config_file = make_project(tmp_path / "project", keyphrase_cache, dumps=[str(dumps)],
                               default_year=SEED_DEFAULT_YEAR)
    before = _papers_json(build_site(config_file, out=tmp_path / "site"))
    shutil.copy(sorted(SEEDS.glob("*.txt"))[4], dumps)
    site = build_site(config_file, out=tmp_path / "site")
    after = _papers_json(site)
    assert len(after["papers"]) > len(before["papers"])
    assert {t["id"] for t in before["topics"]} <= {t["id"] for t in after["topics"]}
    assert all((site / t["url"] / "index.html").is_file() for t in before["topics"])
    topics_now = {p["id"]: p["topics"] for p in after["papers"]}
    assert all(topics_now[p["id"]] == p["topics"] for p in before["papers"] if p["topics"])
    labels = [t["label"] for t in after["topics"]]
    assert all(len(t["papers"]) >= 3 for t in after["topics"])
    assert all(label == label.lower() or any(c.isupper() for w in label.split() for c in w[1:])
               for label in labels), "one casing rule"


def test_a_rebuild_leaves_a_redirect_and_a_final_feed_entry_where_a_topic_went(tmp_path, keyphrase_cache,
                                                                              seeds_site):
    config_file = make_project(tmp_path / "project", keyphrase_cache, dumps=[str(SEEDS)],
                               default_year=SEED_DEFAULT_YEAR)
    site = build_site(config_file, out=tmp_path / "site")
    state_file = tmp_path / "project" / ".cache" / "digest-topics.json"
    state = json.loads(state_file.read_text())
    successor = state["topics"][0]
    state["topics"][0] = {**successor, "id": "an-old-address"}
    state_file.write_text(json.dumps(state))
    command = ["topics", "--rebuild", "-f", str(config_file), "--out", str(site)]
    result = subprocess.run([sys.executable, "-m", "generator.cli", *command], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    page = (site / "topics" / "an-old-address" / "index.html").read_text(encoding="utf-8")
    assert f'url=../{successor["id"]}/"' in page and f'href="../{successor["id"]}/"' in page
    feed = feedparser.parse((site / "topics" / "an-old-address.xml").read_text(encoding="utf-8"))
    assert not feed.bozo
    (entry,) = feed.entries
    assert entry.title == f"“{successor['label']}” is now part of “{successor['label']}”"
    assert entry.link == f"{successor['id']}/", "relative to the feed, beside the topic pages"
    assert "an-old-address" not in {t["id"] for t in _papers_json(site)["topics"]}
