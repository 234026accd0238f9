"""Stage 7c (beside the pages): digest → feeds of the newest papers: the site's as Atom (RFC 4287) and
JSON Feed 1.1, and one per topic and per watchlist as Atom (a JSON copy of each would add a fifth to the
feeds' bytes for readers that all take Atom). An entry's summary is the paper's one-sentence summary;
in the site's feeds its content is the whole abstract. Topic and watchlist feeds, one per topic, carry
the summary alone (the abstracts would make them a large share of a large site's bytes); the link leads to the
abstract. Atom is written without indentation: feed readers need none.

Links are absolute when MkDocs' ``site_url`` is set; otherwise relative to the feed's own address, which
feed readers resolve as they do any relative link. Ids are ``urn:uuid`` names made from the paper id,
so they stay the same when the site moves.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Callable
from xml.etree import ElementTree as ET

from generator.publish.urls import DEFAULT_LINKS, PATHS, Links
from generator.records import Digest, Paper, RetiredTopic, newest_first

ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry at all; a dump may hold them, a feed must not."""
EPOCH = dt.date(1970, 1, 1)


def feed_files(digest: Digest, title: str, size: int, list_size: int, links: Links = DEFAULT_LINKS
               ) -> dict[str, str]:
    """Feeds of the newest papers, by path under the site root: the site's (Atom, JSON Feed) of ``size``,
    each topic's and watchlist's (Atom) of ``list_size``."""
    papers = {paper.id: paper for paper in digest.papers}
    labels = {topic.id: topic.label for topic in digest.topics}

    name, newest, home = f"{title}: newest papers", newest_first(digest.papers)[:size], PATHS.home
    files = {
        PATHS.feed: atom_feed(name, newest, labels, _linker(PATHS.feed, links), home, PATHS.feed, title),
        PATHS.json_feed: json_feed(name, newest, labels, _linker(PATHS.json_feed, links), home,
                                   PATHS.json_feed),
    }
    lists = [(PATHS.topic(t.id), t.label, t.paper_ids) for t in digest.topics]
    lists += [(PATHS.watchlist(w.id), w.name, w.paper_ids) for w in digest.watchlists]
    for page, name, paper_ids in lists:
        path = PATHS.beside(page, ".xml")
        members = newest_first(papers[i] for i in paper_ids)[:list_size]
        files[path] = atom_feed(f"{title}: {name}", members, labels, _linker(path, links), page, path, title,
                                abstracts=False)
    return files


def atom_feed(title: str, papers: list[Paper], labels: dict[str, str], link: Callable[[str], str], page: str,
              path: str, author: str, abstracts: bool = True) -> str:
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "title", title)
    _text(feed, "id", _urn(f"feed/{path}"))
    _text(feed, "updated", _timestamp(_feed_updated(papers)))
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=link(path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=link(page))
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = _xml(author)
    _text(feed, "generator", "Paper Digest")
    for paper in papers:
        entry = ET.SubElement(feed, "entry")
        _text(entry, "title", paper.title)
        _text(entry, "id", _urn(f"paper/{paper.id}"))
        ET.SubElement(entry, "link", rel="alternate", type="text/html", href=link(PATHS.paper(paper.id)))
        _text(entry, "updated", _timestamp(_updated(paper)))
        if paper.published:
            _text(entry, "published", _timestamp(paper.published))
        for topic_id in paper.topics:
            if topic_id in labels:
                ET.SubElement(entry, "category", term=topic_id, label=_xml(labels[topic_id]))
        if paper.tldr:
            _text(entry, "summary", paper.tldr).set("type", "text")
        if abstracts or not paper.tldr:
            _text(entry, "content", paper.abstract).set("type", "text")
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def moved_feed(retired: RetiredTopic, successor_label: str | None, target: str, path: str,
               updated: dt.date | None, links: Links = DEFAULT_LINKS) -> str:
    """The feed of a retired topic: one entry that says where the topic went, so that a subscriber
    learns it rather than seeing the feed fall silent."""
    link = _linker(path, links)
    when = _timestamp(updated or EPOCH)
    feed = ET.Element("feed", xmlns=ATOM)
    _text(feed, "title", f"{retired.label} (moved)")
    _text(feed, "id", _urn(f"feed/{path}"))
    _text(feed, "updated", when)
    ET.SubElement(feed, "link", rel="self", type="application/atom+xml", href=link(path))
    ET.SubElement(feed, "link", rel="alternate", type="text/html", href=link(target))
    ET.SubElement(ET.SubElement(feed, "author"), "name").text = "Paper Digest"
    entry = ET.SubElement(feed, "entry")
    moved = (f"“{retired.label}” is now part of “{successor_label}”" if successor_label
             else f"“{retired.label}” was retired")
    _text(entry, "title", moved)
    _text(entry, "id", _urn(f"topic-moved/{retired.id}"))
    ET.SubElement(entry, "link", rel="alternate", type="text/html", href=link(target))
    _text(entry, "updated", when)
    follow = (f"Follow {link(PATHS.beside(target, '.xml'))} for its papers." if successor_label
              else "See the topic index for the digest's topics.")
    _text(entry, "summary", f"{moved}. {follow}").set("type", "text")
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def json_feed(title: str, papers: list[Paper], labels: dict[str, str], link: Callable[[str], str], page: str,
              path: str) -> str:
    items = []
    for paper in papers:
        item = {"id": _urn(f"paper/{paper.id}"), "url": link(PATHS.paper(paper.id)), "title": paper.title,
                "content_text": paper.abstract, "date_modified": _timestamp(_updated(paper))}
        if paper.tldr:
            item["summary"] = paper.tldr
        if paper.published:
            item["date_published"] = _timestamp(paper.published)
        tags = [labels[t] for t in paper.topics if t in labels]
        if tags:
            item["tags"] = tags
        items.append(item)
    feed = {"version": JSON_FEED, "title": title, "home_page_url": link(page), "feed_url": link(path),
            "items": items}
    return json.dumps(feed, ensure_ascii=False, indent=1) + "\n"


def _linker(feed_path: str, links: Links) -> Callable[[str], str]:
    """Links to generated pages and files: absolute under the site's address, else relative to the feed."""
    return lambda target: links.absolute(target, feed_path)


def _updated(paper: Paper) -> dt.date:
    return paper.latest_date or paper.published or EPOCH


def _feed_updated(papers: list[Paper]) -> dt.date:
    return max((_updated(p) for p in papers), default=EPOCH)


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _urn(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"paper-digest:{name}").urn


def _xml(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = _xml(text)
    return element
