"""The whole flow: dumps → parse → papers (deduplicated) → keyphrases (and related papers, one-sentence
summaries, code links) → topics (and areas) & watchlists & dates (``build_digest``) → pages, feeds,
exports and the search index (``publish``, every generated file at once).

Each stage is a plain function in its own module; this one only runs them in order and reports.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from mkdocs.plugins import get_plugin_logger

from generator.analysis.areas import group_into_areas
from generator.analysis.cache import TextCache, exclusive
from generator.analysis.calendar import digest_calendar
from generator.analysis.code_links import add_code_links
from generator.analysis.keyphrases import PhraseEmbedder, extract_keyphrases, paper_texts
from generator.analysis.organizations import group_by_organization
from generator.analysis.query_encoder import QueryEncoder, kept_query_encoder
from generator.analysis.related import link_related
from generator.analysis.summaries import SUMMARY_VERSION, summarize
from generator.analysis.topic_state import PUBLISHED_STATE, StateFiles, kept_topics
from generator.analysis.topics import TEXT_KEYS_VERSION, text_phrase_keys
from generator.analysis.trending import rising_topics, trending
from generator.analysis.watchlists import match_watchlists
from generator.config import DigestConfig
from generator.ingest.dates import date_entries
from generator.ingest.papers import merge_entries
from generator.ingest.parse import read_dumps
from generator.ingest.quality import quality_report
from generator.publish.export import PAPERS_JSON, papers_json_gz
from generator.publish.feeds import feed_files
from generator.publish.pages import render_pages
from generator.publish.redirects import redirect_files
from generator.publish.search import lunr_js, search_files
from generator.publish.urls import DEFAULT_LINKS, PATHS, Links
from generator.records import Digest, Paper, QualityReport, Topic

log = get_plugin_logger("digest")


@dataclass
class Timings:
    """Seconds each stage of a build took, in the order they ran."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        yield
        self.seconds[name] = time.perf_counter() - start

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())


def read_papers(config: DigestConfig) -> tuple[list[Paper], QualityReport]:
    """Dumps → entries (dated) → distinct papers, and the report of where every entry went (with every
    problem found: they are collected, never fatal)."""
    dumps, problems = read_dumps(config.dumps)
    for dump in dumps:
        problems += dump.problems
    entries, dating_log, dating_problems = date_entries(dumps, config)
    problems += dating_problems
    papers = merge_entries(entries)
    for line in dating_log:
        log.info("%s", line)
    return papers, quality_report(dumps, papers, problems)


def build_digest(config: DigestConfig, timings: Timings | None = None, rebuild_topics: bool = False,
                 state_files: StateFiles | None = None) -> Digest:
    """Run every analysis stage, from the dumps to the calendar; problems in the dumps are logged and
    collected, never fatal.
    Topics grow from those kept by the last build (``state_files``, by default the configured state
    file) unless ``rebuild_topics``. One build at a time reads and fills the caches (``exclusive``); each
    stage keeps its own."""
    with exclusive(config.cache_dir):
        return _build_digest(config, timings or Timings(), rebuild_topics,
                             state_files or StateFiles(config.topics.state_file))


def _build_digest(config: DigestConfig, timings: Timings, rebuild_topics: bool, state_files: StateFiles
                  ) -> Digest:
    cache, checkpoint = config.cache_dir, config.keyphrases.checkpoint_texts
    with timings.stage("parse"):
        papers, report = read_papers(config)
    for problem in report.problems:
        log.warning("%s", problem)
    log.info("%s", report.summary())
    if not report.balanced:
        log.error("Entries were lost between parsing and merging: please report this with the dumps")
    with timings.stage("keyphrases"):
        texts = paper_texts(papers)
        embeddings, counts = extract_keyphrases(papers, config.keyphrases, cache, texts)
    log.info("Keyphrases: %d from the cache, %d extracted", counts["cached"], counts["extracted"])
    with timings.stage("summaries"):
        with TextCache(cache, SUMMARY_VERSION, name="summaries.json", checkpoint_every=checkpoint) as kept:
            summarize(papers, kept.through)
        add_code_links(papers)
    with timings.stage("related"):
        link_related(papers, embeddings, config.related_papers, cache)
    with timings.stage("meaning"):
        encoder = _query_encoder(papers, embeddings, config)
    with timings.stage("topics"):
        embed_phrases = PhraseEmbedder(config.keyphrases, cache)
        with TextCache(cache, TEXT_KEYS_VERSION, name="text-phrases.json", checkpoint_every=checkpoint) as kept:
            state, state_text = kept_topics(papers, config.topics, embeddings, texts, embed_phrases,
                                            kept.through(text_phrase_keys), state_files, rebuild_topics)
        areas = group_into_areas(state.topics, embeddings, config.topics.areas_from)
    with timings.stage("watchlists"):
        watchlists = match_watchlists(papers, config.watchlists, embeddings,
                                      PhraseEmbedder(config.keyphrases, cache, kind="sentences"))
    unplaced = sum(not paper.topics for paper in papers)
    log.info("%d topics; %d of %d papers in none", len(state.topics), unplaced, len(papers))
    with timings.stage("dates"):
        return dated_digest(papers, state.topics, config, dump_count=len(report.files), embeddings=embeddings,
                            report=report, retired_topics=state.retired, areas=areas, watchlists=watchlists,
                            query_encoder=encoder, topic_state=state_text)


def dated_digest(papers: list[Paper], topics: list[Topic], config: DigestConfig, **facts) -> Digest:
    """The digest with what its pages show by date and upvotes: its days, weeks and months, the trending
    papers, the rising topics, and the organisations the dumps name."""
    calendar = digest_calendar(papers)
    latest = calendar.latest.date if calendar.latest else None
    return Digest(papers, topics, calendar=calendar, rising=rising_topics(papers, topics, latest),
                  trending=trending(papers, calendar, config.trending_papers),
                  organizations=group_by_organization(papers), **facts)


def _query_encoder(papers: list[Paper], embeddings: dict[str, np.ndarray], config: DigestConfig
                   ) -> QueryEncoder | None:
    """The search page's query encoder; none where ``search.semantic`` is off."""
    if not config.search.semantic or not papers:
        return None
    embed_words = PhraseEmbedder(config.keyphrases, config.cache_dir, kind="words")
    return kept_query_encoder(papers, embeddings, config.keyphrases.model, embed_words, config.cache_dir)


def publish(digest: Digest, config: DigestConfig, root: Path, links: Links = DEFAULT_LINKS,
            timings: Timings | None = None) -> dict[str, str | bytes]:
    """Every file the digest adds to the site, by path under the docs folder: its pages (``root``: the
    project, to show dump paths from), the papers' export, the feeds and redirects, the search files and
    the kept topics' published copy. The plugin adds what needs the theme (icons, the frame's settings)."""
    timings = timings or Timings()
    with timings.stage("render"):
        files: dict[str, str | bytes] = {**render_pages(digest, config, root, links)}
    files[PAPERS_JSON] = papers_json_gz(digest, root, links)
    with timings.stage("feeds"):
        files.update(feed_files(digest, config.title, config.feed_papers, config.list_feed_papers, links))
        files.update(redirect_files(digest, links))
    with timings.stage("search"):
        paper_urls = [links.url(PATHS.paper(paper.id)) for paper in digest.papers]
        files.update(search_files(digest, paper_urls))
        files["assets/javascripts/lunr.js"] = lunr_js()
    files[PUBLISHED_STATE] = digest.topic_state
    return files
