"""Addresses of retired topics stay: each becomes a small page that sends the reader on to the topic's
successor (or to the topic index, when no topic took its papers), and its feed ends with an entry that
says where the topic went."""

from __future__ import annotations

from markupsafe import escape

from generator.publish.feeds import moved_feed
from generator.publish.urls import DEFAULT_LINKS, PATHS, Links
from generator.records import Digest, RetiredTopic

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{href}">
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<p>{message} <a href="{href}">{target}</a>.</p>
</body>
</html>
"""


def redirect_files(digest: Digest, links: Links = DEFAULT_LINKS) -> dict[str, str]:
    """A redirect page and a final feed for each retired topic, by path under the site root."""
    labels = {topic.id: topic.label for topic in digest.topics}
    newest = max((p.latest_date for p in digest.papers if p.latest_date), default=None)
    files: dict[str, str] = {}
    for retired in digest.retired_topics:
        successor = retired.successor if retired.successor in labels else ""
        here = links.url(PATHS.topic(retired.id))
        target = PATHS.topic(successor) if successor else PATHS.topics
        href = links.relative(target, here)
        files[_file_of(here)] = _redirect_page(retired, labels.get(successor, "all topics"), href)
        feed = PATHS.beside(PATHS.topic(retired.id), ".xml")
        files[feed] = moved_feed(retired, labels.get(successor), target, feed, newest, links)
    return files


def _file_of(url: str) -> str:
    return url + "index.html" if url.endswith("/") else url


def _redirect_page(retired: RetiredTopic, target: str, href: str) -> str:
    message = f"The topic “{retired.label}” is now part of" if retired.successor else \
        f"The topic “{retired.label}” was retired; see"
    return _PAGE.format(title=escape(f"Moved: {retired.label}"), href=escape(href), message=escape(message),
                        target=escape(target))
