"""Papers → links to their code: the web addresses of an abstract that point at code or a project page.

An address counts when its host is a code or model host (``CODE_HOSTS``), or when the words just before
it in its sentence introduce it as code or a project page ("Code and data are available at …", "project
page: …"). An address introduced as data or models only ("we release the corpus at …") does not.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from generator.ingest.text import display_segments, sentences
from generator.records import Paper

CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co", "hf.co",
              "github.io")
"""Hosts (and their subdomains) whose addresses are code, models or project pages whatever the text says."""
INTRODUCED_AS_CODE = re.compile(
    r"\b(?:code|codes|source|implementations?|repositor(?:y|ies)|repo|project|homepage|home page|website"
    r"|web page|webpage|demo)\b", re.IGNORECASE)
CONTEXT_CHARS = 120
"""How far before an address its introduction is looked for (within its sentence)."""


def add_code_links(papers: list[Paper]) -> None:
    """Sets each paper's ``code``: the code and project addresses its abstract gives."""
    for paper in papers:
        paper.code = code_links(paper.source_abstract)


def code_links(abstract: str) -> list[str]:
    """The code and project addresses of an abstract (the dump's own text), in order, each once."""
    found: list[str] = []
    before = ""
    for segment in display_segments(abstract):
        if segment.href and segment.href not in found and _is_code(segment.href, before):
            found.append(segment.href)
        before = (before + segment.text)[-CONTEXT_CHARS:]
    return found


def _is_code(url: str, before: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in CODE_HOSTS):
        return True
    sentence = sentences(before)[-1] if before.strip() else ""
    return bool(INTRODUCED_AS_CODE.search(sentence))
