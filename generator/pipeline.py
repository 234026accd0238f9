"""The whole flow: dumps → parse → papers (deduplicated) → keyphrases (and related papers, one-sentence
summaries, code links) → topics (and areas) & watchlists & dates (``build_digest``) → pages, feeds,
exports and the search index (``publish``, every generated file at once).

Each stage is a plain function in its own module; this one only runs them in order and reports.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from mkdocs.plugins import get_plugin_logger

from generator.analysis.areas import group_into_areas
from generator.analysis.cache import TextCache, exclusive
from generator.analysis.code_links import code_links
from generator.analysis.keyphrases import PhraseEmbedder, extract_keyphrases, paper_texts
from generator.analysis.query_encoder import (
    QueryEncoder,
    load_query_encoder,
    save_query_encoder,
    update_query_encoder,
)
from generator.analysis.related import load_neighbours, nearest_papers, save_neighbours
from generator.analysis.summaries import SUMMARY_VERSION, summarize
from generator.analysis.topic_state import (
    PUBLISHED_STATE,
    StateFiles,
    load_state,
    save_state,
    state_json,
    update_topics,
)
from generator.analysis.topics import TEXT_KEYS_VERSION, text_phrase_keys
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
from generator.records import Digest, Paper, QualityReport

log = get_plugin_logger("digest")


@contextmanager
def _stage(name: str, timings: dict[str, float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[name] = time.perf_counter() - start


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


def build_digest(config: DigestConfig, timings: dict[str, float] | None = None, rebuild_topics: bool = False,
                 state_files: StateFiles | None = None) -> Digest:
    """Run every stage up to the topics; problems in the dumps are logged and collected, never fatal.
    Topics grow from those kept by the last build (``state_files``, by default the configured state
    file) unless ``rebuild_topics``. One build at a time reads and fills the caches (``exclusive``)."""
    with exclusive(config.cache_dir):
        return _build_digest(config, {} if timings is None else timings, rebuild_topics,
                             state_files or StateFiles(config.topics.state_file))


def _build_digest(config: DigestConfig, timings: dict[str, float], rebuild_topics: bool,
                  state_files: StateFiles) -> Digest:
    with _stage("parse", timings):
        papers, report = read_papers(config)
    for problem in report.problems:
        log.warning("%s", problem)
    log.info("%s", report.summary())
    if not report.balanced:
        log.error("Entries were lost between parsing and merging: please report this with the dumps")
    with _stage("keyphrases", timings):
        texts = paper_texts(papers)
        embeddings, counts = extract_keyphrases(papers, config.keyphrases, config.cache_dir, texts)
    log.info("Keyphrases: %d from the cache, %d extracted", counts["cached"], counts["extracted"])
    with _stage("summaries", timings):
        summaries = TextCache(config.cache_dir, SUMMARY_VERSION, name="summaries.json",
                              checkpoint_every=config.keyphrases.checkpoint_texts)
        summarize(papers, summaries.through)
        if summaries.changed:
            summaries.save()
        for paper in papers:
            paper.code = code_links(paper.abstract_raw or paper.abstract)
    with _stage("related", timings):
        previous = load_neighbours(config.cache_dir)
        neighbours = nearest_papers(papers, embeddings, config.related_papers, previous)
        if neighbours is not previous:
            save_neighbours(config.cache_dir, neighbours)
        related = neighbours.by_id()
        for paper in papers:
            paper.related = related[paper.id]
    with _stage("meaning", timings):
        encoder = _query_encoder(papers, embeddings, config)
    with _stage("topics", timings):
        embed_phrases = PhraseEmbedder(config.keyphrases, config.cache_dir)
        phrase_keys = TextCache(config.cache_dir, TEXT_KEYS_VERSION, name="text-phrases.json",
                                checkpoint_every=config.keyphrases.checkpoint_texts)
        state, keep = update_topics(papers, config.topics, embeddings, texts, embed_phrases,
                                    phrase_keys.through(text_phrase_keys), load_state(state_files),
                                    rebuild=rebuild_topics)
        kept_topics = state_json(state)
        if keep:
            save_state(state_files, kept_topics)
        if phrase_keys.changed:
            phrase_keys.save()
        areas = group_into_areas(state.topics, embeddings, config.topics.areas_from)
    with _stage("watchlists", timings):
        watchlists = match_watchlists(papers, config.watchlists, embeddings,
                                      PhraseEmbedder(config.keyphrases, config.cache_dir, kind="sentences"))
    topics = state.topics
    unplaced = sum(not paper.topics for paper in papers)
    log.info("%d topics; %d of %d papers in none", len(topics), unplaced, len(papers))
    return Digest(papers, topics, dump_count=len(report.files), embeddings=embeddings, report=report,
                  retired_topics=state.retired, areas=areas, watchlists=watchlists, query_encoder=encoder,
                  topic_state=kept_topics)


def _query_encoder(papers: list[Paper], embeddings: dict[str, np.ndarray], config: DigestConfig
                   ) -> QueryEncoder | None:
    """The search page's query encoder, kept in the cache folder for a rebuild of the same papers."""
    if not config.search.semantic or not papers:
        return None
    previous = load_query_encoder(config.cache_dir)
    embed_words = PhraseEmbedder(config.keyphrases, config.cache_dir, kind="words")
    encoder = update_query_encoder(papers, embeddings, config.keyphrases.model, embed_words, previous)
    if encoder is not previous:
        save_query_encoder(config.cache_dir, encoder)
    return encoder


def publish(digest: Digest, config: DigestConfig, root: Path, links: Links = DEFAULT_LINKS,
            timings: dict[str, float] | None = None) -> dict[str, str | bytes]:
    """Every file the digest adds to the site, by path under the docs folder: its pages (``root``: the
    project, to show dump paths from), the papers' export, the feeds and redirects, the search files and
    the kept topics' published copy. The plugin adds what needs the theme (icons, the frame's settings)."""
    timings = {} if timings is None else timings
    with _stage("render", timings):
        files: dict[str, str | bytes] = {**render_pages(digest, config, root, links)}
    files[PAPERS_JSON] = papers_json_gz(digest, root, links)
    with _stage("feeds", timings):
        files.update(feed_files(digest, config.title, config.feed_papers, config.list_feed_papers, links))
        files.update(redirect_files(digest, links))
    with _stage("search", timings):
        paper_urls = [links.url(PATHS.paper(paper.id)) for paper in digest.papers]
        files.update(search_files(digest, paper_urls))
        files["assets/javascripts/lunr.js"] = lunr_js()
    files[PUBLISHED_STATE] = digest.topic_state
    return files
