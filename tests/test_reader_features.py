"""What a digest reader follows: watchlists, one-sentence summaries, code links, each week's best and the
home page that opens with the latest day (real model, real MkDocs builds of the seeds)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import feedparser
import pytest
from markupsafe import escape

from generator.config import DigestConfig
from generator.ingest.text import sentences
from generator.publish.pages import TOPIC_IN_FULL, WEEK_LISTED

from .conftest import SEED_WATCHLISTS, exported_digest
from .test_site import linked_urls

pytestmark = pytest.mark.slow
ATOM = "application/atom+xml"


def _term_pattern(term: str) -> re.Pattern[str]:
    """An independent reading of the watchlist rule: the words of the term in order, separated by spaces
    or hyphens, each with an optional plural ending, as a whole phrase, in any case."""
    words = [re.escape(w) + "(?:s|es)?" for w in re.split(r"[\s-]+", term.lower()) if w]
    return re.compile(r"(?<![\w])" + r"[\s-]+".join(words) + r"(?![\w])", re.IGNORECASE)


def _names(paper: dict, term: str) -> bool:
    pattern = _term_pattern(term)
    return any(pattern.search(text) for text in [paper["title"], paper["abstract"], *paper["keywords"]])


def _expected(papers: list[dict], watchlist: dict) -> set[str]:
    return {p["id"] for p in papers if any(_names(p, t) for t in watchlist["include"])
            and not any(_names(p, t) for t in watchlist.get("exclude", []))}


def test_watchlists_hold_exactly_the_papers_that_name_a_term_and_no_exclusion(seeds_json):
    papers = seeds_json["papers"]
    assert [w["name"] for w in seeds_json["watchlists"]] == [w["name"] for w in SEED_WATCHLISTS]
    for listed, configured in zip(seeds_json["watchlists"], SEED_WATCHLISTS, strict=True):
        assert set(listed["papers"]) == _expected(papers, configured), listed["name"]
        assert len(listed["papers"]) >= 5
        excluded = {p["id"] for p in papers if any(_names(p, t) for t in configured["include"])} - set(
            listed["papers"])
        assert excluded, f"{listed['name']}: the seeds hold papers its exclusions keep out"
        assert listed["url"] == f"watchlists/{listed['id']}/"


def test_each_watchlist_has_a_page_newest_first_and_an_atom_feed_it_announces(seeds_site, seeds_json):
    by_id = {p["id"]: p for p in seeds_json["papers"]}
    for watchlist in seeds_json["watchlists"]:
        html = (seeds_site / watchlist["url"] / "index.html").read_text(encoding="utf-8")
        feed_href = f"../{watchlist['id']}.xml"
        assert f'<link rel="alternate" type="{ATOM}"' in html and feed_href in html
        listed = [u.removeprefix("papers/").rstrip("/") for u in re.findall(
            r'<li[^>]*><a href="../../(papers/[^"]+)"', html)]
        assert set(listed) == set(watchlist["papers"])
        latest = [max((d for d in by_id[i]["digest_dates"] if d), default="") for i in listed]
        assert latest == sorted(latest, reverse=True)
        feed = feedparser.parse((seeds_site / "watchlists" / f"{watchlist['id']}.xml").read_bytes())
        assert not feed.bozo and feed.feed.title.endswith(watchlist["name"])
        entries = {e.link.rsplit("papers/", 1)[1].rstrip("/") for e in feed.entries}
        assert entries <= set(watchlist["papers"])
        assert len(entries) == min(DigestConfig().list_feed_papers, len(watchlist["papers"]))
    assert {w["url"] for w in seeds_json["watchlists"]} <= linked_urls(seeds_site, "watchlists/")


def test_every_paper_has_a_summary_that_is_a_sentence_of_its_abstract_and_often_not_the_first(seeds_json):
    long, not_first = 0, 0
    for paper in seeds_json["papers"]:
        parts = sentences(paper["abstract"])
        assert paper["tldr"] in parts, paper["id"]
        if len(parts) >= 3:
            long += 1
            not_first += paper["tldr"] != parts[0]
    assert long > 400 and not_first >= 0.3 * long


def test_date_topic_watchlist_and_home_pages_show_each_papers_summary(seeds_site, seeds_json):
    by_id = {p["id"]: p for p in seeds_json["papers"]}
    lists = [(d["url"], d["papers"]) for d in seeds_json["dates"]]
    lists += [(w["url"], w["papers"]) for w in seeds_json["watchlists"]]
    for url, paper_ids in lists:
        html = (seeds_site / url / "index.html").read_text(encoding="utf-8")
        for paper_id in paper_ids[:200]:
            assert f'class="digest-paper__tldr">{escape(by_id[paper_id]["tldr"])}<' in html, (url, paper_id)
    for topic in seeds_json["topics"][:10]:
        html = (seeds_site / topic["url"] / "index.html").read_text(encoding="utf-8")
        for paper_id in topic["papers"][:TOPIC_IN_FULL]:
            assert f'class="digest-paper__tldr">{escape(by_id[paper_id]["tldr"])}<' in html, (topic, paper_id)
        assert 'class="digest-paper__topics"' not in html, "a topic's page lists its papers without chips"
    home = (seeds_site / "index.html").read_text(encoding="utf-8")
    latest = max(d["date"] for d in seeds_json["dates"] if d["date"])
    day = next(d for d in seeds_json["dates"] if d["date"] == latest)
    assert all(escape(by_id[i]["tldr"]) in home for i in day["papers"])


def test_every_github_link_of_an_abstract_is_code_on_the_papers_page(seeds_site, seeds_json):
    linked = 0
    for paper in seeds_json["papers"]:
        abstract = paper.get("abstract_raw", paper["abstract"])
        for url in re.findall(r"https?://github\.com/[^\s{}\\]*[\w/]", abstract):
            linked += 1
            code = next((c for c in paper["code"] if c.startswith(url)), None)
            assert code, paper["id"]
            html = (seeds_site / paper["url"] / "index.html").read_text(encoding="utf-8")
            assert f'<a class="digest-code" href="{escape(code)}"' in html
    assert linked >= 20
    assert all(url.startswith(("http://", "https://")) for p in seeds_json["papers"] for url in p["code"])


def test_a_week_page_ranks_the_weeks_papers_by_the_upvotes_recorded_that_week(weekly_site):
    data = exported_digest(weekly_site)
    html = (weekly_site / "weeks" / "2024-W11" / "index.html").read_text(encoding="utf-8")
    votes = [int(v) for v in re.findall(r'class="digest-paper__facts">[^<]*?▲ (\d+)', html)]
    assert len(votes) >= 10 and votes == sorted(votes, reverse=True)
    in_week = {p["id"] for p in data["papers"] if any(d and "2024-03-11" <= d <= "2024-03-17"
                                                        for d in p["digest_dates"])}
    listed = set(re.findall(r'<li[^>]*><a href="../../papers/([^/"]+)/"', html))
    assert listed <= in_week and len(listed) == min(len(in_week), WEEK_LISTED)
    week_votes = {p["id"]: max((s["upvotes"] for s in p["sources"] if s["upvotes"] is not None), default=None)
                  for p in data["papers"]}
    first = re.search(r'<li[^>]*><a href="../../papers/([^/"]+)/"', html)[1]
    assert week_votes[first] == max(v for v in week_votes.values() if v is not None)
    assert "weeks/2024-W11/" in linked_urls(weekly_site, "weeks/")
    month = (weekly_site / "dates" / "2024" / "03" / "index.html").read_text(encoding="utf-8")
    assert "Top of the month" in month


def test_a_busy_week_lists_its_most_upvoted_papers_and_links_the_days_that_list_all(seeds_site, seeds_json):
    weeks = Counter()
    for paper in seeds_json["papers"]:
        for week in {dt.date.fromisoformat(d).isocalendar()[:2] for d in paper["digest_dates"] if d}:
            weeks[week] += 1
    (year, week), count = weeks.most_common(1)[0]
    assert count > WEEK_LISTED, "the seeds have a week of more papers than a week page lists"
    html = (seeds_site / "weeks" / f"{year}-W{week:02d}" / "index.html").read_text(encoding="utf-8")
    votes = [int(v) for v in re.findall(r'class="digest-paper__facts">[^<]*?▲ (\d+)', html)]
    ranked = re.search(r'<ol class="digest-papers digest-papers--ranked">(.*?)</ol>', html, re.S)[1]
    assert ranked.count("<li") == WEEK_LISTED
    assert votes == sorted(votes, reverse=True)
    assert f"{count} papers in the digest" in html and f"the {WEEK_LISTED} most upvoted here" in html
    monday = dt.date.fromisocalendar(year, week, 1)
    days = {d["url"] for d in seeds_json["dates"]
            if d["date"] and 0 <= (dt.date.fromisoformat(d["date"]) - monday).days < 7}
    assert days and days <= linked_urls(seeds_site, f"weeks/{year}-W{week:02d}/")


def test_home_opens_with_the_latest_day_ranked_then_the_weeks_best_then_rising_topics(weekly_site):
    data = exported_digest(weekly_site)
    html = (weekly_site / "index.html").read_text(encoding="utf-8")
    latest, week, rising = (html.index(f'id="{name}"') for name in ("latest", "week", "rising"))
    assert latest < week < rising
    newest = max(d["date"] for d in data["dates"] if d["date"])
    assert f'href="dates/{newest.replace("-", "/")}/"' in html[latest:week]
    day_votes = [int(v) for v in re.findall(r"▲ (\d+)", html[latest:week])]
    assert day_votes == sorted(day_votes, reverse=True)
    assert 1 <= html[rising:].count('<svg class="digest-sparkline"') <= 5
