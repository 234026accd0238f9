"""Feeds: the site's and each topic's, as Atom and JSON Feed, read back by a real feed parser."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import feedparser

from generator.config import DigestConfig
from generator.publish.feeds import atom_feed, json_feed
from generator.records import Paper

from .conftest import EXAMPLE_SITE_URL

LOCAL = "http://digest.test/"
LIST_FEED_PAPERS = DigestConfig().list_feed_papers
"""Where a test pretends the seeds site is served, to resolve the relative links of its feeds."""


class AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and attributes.get("rel") == "alternate":
            self.links.append(attributes)


def _alternates(page: Path) -> list[dict[str, str]]:
    parser = AlternateLinks()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def _parse(data: bytes, url: str = LOCAL + "feed.xml") -> feedparser.FeedParserDict:
    """A feed as a reader gets it: from ``url``, served as Atom."""
    return feedparser.parse(data, response_headers={"content-type": "application/atom+xml",
                                                    "content-location": url})


def _site_file(site: Path, url: str, base: str) -> Path:
    """The built file a URL of the site points to."""
    path = url.removeprefix(base).split("#")[0]
    return site / path / "index.html" if path.endswith("/") or not path else site / path


def test_site_feed_lists_the_newest_papers_with_working_links(seeds_site, seeds_json):
    feed = _parse((seeds_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    dates = [max(d for d in p["digest_dates"] if d) for p in seeds_json["papers"] if any(p["digest_dates"])]
    newest = max(dates)
    assert len(feed.entries) == 50
    assert feed.entries[0].updated.startswith(newest)
    assert [e.updated for e in feed.entries] == sorted((e.updated for e in feed.entries), reverse=True)
    by_url = {LOCAL + p["url"]: p for p in seeds_json["papers"]}
    for entry in feed.entries:
        paper = by_url[entry.link]
        assert entry.title == paper["title"] and entry.content[0].value == paper["abstract"]
        assert entry.summary == paper["tldr"] and paper["tldr"] in paper["abstract"]
        assert _site_file(seeds_site, entry.link, LOCAL).is_file()
    assert len({e.id for e in feed.entries}) == 50


def test_each_topic_has_a_feed_of_its_papers_announced_on_its_page(seeds_site, seeds_json):
    papers = {p["id"]: p for p in seeds_json["papers"]}
    for topic in seeds_json["topics"][:10]:
        page = _site_file(seeds_site, topic["url"], "")
        links = _alternates(page)
        assert [link["type"] for link in links] == ["application/atom+xml"]
        atom_url = urljoin(LOCAL + topic["url"], links[0]["href"])
        feed = _parse(_site_file(seeds_site, atom_url, LOCAL).read_bytes(), atom_url)
        assert not feed.bozo, feed.get("bozo_exception")
        assert topic["label"] in feed.feed.title
        expected = {papers[i]["title"] for i in topic["papers"]}
        assert {e.title for e in feed.entries} <= expected
        assert len(feed.entries) == min(LIST_FEED_PAPERS, len(expected))
        latest = {papers[i]["title"]: max((d for d in papers[i]["digest_dates"] if d), default="")
                  for i in topic["papers"]}
        shown = {e.title for e in feed.entries}
        assert min(latest[t] for t in shown) >= max((latest[t] for t in expected - shown), default=""), \
            "a topic's feed holds its newest papers"
        assert all(topic["label"] in [t.label for t in e.tags] for e in feed.entries)
        by_title = {papers[i]["title"]: papers[i] for i in topic["papers"]}
        assert all(e.summary == by_title[e.title]["tldr"] and "content" not in e for e in feed.entries
                   if by_title[e.title]["tldr"]), "a topic's feed carries the summary, the link the abstract"


def test_home_page_announces_the_site_feeds_and_other_pages_none(seeds_site):
    links = _alternates(seeds_site / "index.html")
    assert [(link["type"], link["href"]) for link in links] == [
        ("application/atom+xml", "feed.xml"), ("application/feed+json", "feed.json")]
    assert _alternates(seeds_site / "dates" / "index.html") == []


def test_json_feed_is_json_feed_1_1(seeds_site):
    feed = json.loads((seeds_site / "feed.json").read_text(encoding="utf-8"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["items"]
    for item in feed["items"]:
        assert {"id", "url", "title", "content_text", "date_modified"} <= set(item)
        assert item["date_modified"].endswith("T00:00:00Z")


def test_feeds_of_a_published_site_carry_absolute_links(example_site):
    feed = _parse((example_site / "feed.xml").read_bytes(), "file:///elsewhere/feed.xml")
    assert not feed.bozo
    assert feed.feed.link == EXAMPLE_SITE_URL
    assert all(e.link.startswith(EXAMPLE_SITE_URL + "papers/") for e in feed.entries)
    assert all(_site_file(example_site, e.link, EXAMPLE_SITE_URL).is_file() for e in feed.entries)
    json_feed_ = json.loads((example_site / "feed.json").read_text(encoding="utf-8"))
    assert json_feed_["feed_url"] == EXAMPLE_SITE_URL + "feed.json"


def test_dump_text_reaches_a_feed_reader_as_written(hostile_site, hostile_json):
    """Markup-looking text stays text, and characters XML cannot carry never break the feed."""
    feed = _parse((hostile_site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    titles = {p["title"] for p in hostile_json["papers"]}
    assert {e.title for e in feed.entries} == titles
    awkward = Paper(id="x", title="Control \x07 <b>bold</b> & [MASK]", abstract="P(y|x) \x00 <EOS>",
                    sightings=[], tldr="P(y|x) \x00 <EOS>")
    text = atom_feed("T", [awkward], {}, lambda path: path, "index.md", "feed.xml", author="T")
    entry = _parse(text.encode()).entries[0]
    assert entry.title == "Control \ufffd <b>bold</b> & [MASK]" and entry.title_detail.type == "text/plain"
    assert entry.summary == "P(y|x) \ufffd <EOS>" and entry.content[0].value == "P(y|x) \ufffd <EOS>"
    item = json.loads(json_feed("T", [awkward], {}, lambda path: path, "index.md", "feed.json"))["items"][0]
    assert item["title"] == awkward.title
