"""Addresses of retired topics stay: each becomes a small page that sends the reader on to the topic's
successor (or to the topic index, when no topic took its papers), and its feed ends with an entry that
says where the topic went."""

from __future__ import annotations

from generator.publish.feeds import moved_feed
from generator.publish.templating import render_markup
from generator.publish.urls import DEFAULT_LINKS, PATHS, Links
from generator.records import Digest, RetiredTopic


def redirect_files(digest: Digest, links: Links = DEFAULT_LINKS) -> dict[str, str]:
    """A redirect page and a final feed for each retired topic, by path under the site root."""
    labels = {topic.id: topic.label for topic in digest.topics}
    files: dict[str, str] = {}
    for retired in digest.retired_topics:
        successor = retired.successor if retired.successor in labels else ""
        page = PATHS.topic(retired.id)
        target = PATHS.topic(successor) if successor else PATHS.topics
        href = links.relative(target, links.url(page))
        files[links.output_file(page)] = _redirect_page(retired, labels.get(successor, "all topics"), href)
        feed = PATHS.beside(page, ".xml")
        files[feed] = moved_feed(retired, labels.get(successor), target, feed, digest.newest_day, links)
    return files


def _redirect_page(retired: RetiredTopic, target: str, href: str) -> str:
    return render_markup("redirect.html.j2", label=retired.label, merged=bool(retired.successor), href=href,
                         target=target) + "\n"
