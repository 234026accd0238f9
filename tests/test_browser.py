"""What a reader sees, in a real Chromium driven by Playwright, on the site built from the seeds."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import io
import json
import os
import re
import shutil
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote_plus, urlparse

import bibtexparser
import pytest

import generator.publish.pages as pages_module
import generator.publish.search as search_module
from generator.cli import build_site
from generator.slugs import slug

from .conftest import REPO, SEED_DEFAULT_YEAR, SEEDS, make_project, raw_text, read_digest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
"""axe-core, installed by ``npm ci`` (``make lint`` runs it; ``make test`` runs ``make lint`` first)."""
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("DIGEST_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM}; install Debian's chromium package")
        pytest.skip("Debian chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def _served(folder, handler_class=None):
    handler = functools.partial(handler_class or _QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


@pytest.fixture(scope="module")
def site_url(seeds_site):
    with _served(seeds_site) as url:
        yield url


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    with _served(hostile_site) as url:
        yield url


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


class _SlowResultFilesHandler(_QuietHandler):
    """Serves the search's title and summary files a third of a second late, as a slow network would."""

    def do_GET(self):
        if "/search/papers/" in self.path or "/search/summaries/" in self.path:
            time.sleep(0.3)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().do_GET()


def _sharded_site(tmp_path_factory, keyphrase_cache, prefetch_below: int) -> Path:
    """The seeds with the search files of a large digest: main-index postings, titles, summaries and
    abstracts in many files, each loaded when a query needs it (past ``PREFETCH_PAPERS``, here 50); the
    main index's runs and the abstract postings all loaded after the first results up to
    ``prefetch_below`` papers."""
    folder = tmp_path_factory.mktemp("sharded-seeds")
    config_file = make_project(folder, keyphrase_cache, dumps=[str(SEEDS)], default_year=SEED_DEFAULT_YEAR)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_module, "PREFETCH_PAPERS", 50)
        patch.setattr(search_module, "PREFETCH_INDEX_PAPERS", prefetch_below)
        patch.setattr(search_module, "PREFETCH_ABSTRACT_PAPERS", prefetch_below)
        patch.setattr(search_module, "MAIN_CHUNK_CHARS", 2000)
        return build_site(config_file, out=folder / "site")


@pytest.fixture(scope="module")
def sharded_url(tmp_path_factory, keyphrase_cache):
    site = _sharded_site(tmp_path_factory, keyphrase_cache, prefetch_below=50)
    with _served(site, _SlowResultFilesHandler) as url:
        yield url


@pytest.fixture(scope="module")
def prefetched_index_url(tmp_path_factory, keyphrase_cache):
    with _served(_sharded_site(tmp_path_factory, keyphrase_cache, prefetch_below=1000)) as url:
        yield url


@pytest.fixture
def page(browser, site_url):
    """A page that records dialogs (a sign of executed script) and requests to other hosts."""
    context = browser.new_context()
    page = context.new_page()
    page.dialogs = []
    page.foreign_requests = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("request", lambda request: urlparse(request.url).hostname not in ("127.0.0.1", None)
            and page.foreign_requests.append(request.url))
    yield page
    context.close()


def _tricky(papers):
    marks = ("<EOS>", "[MASK]", "|", "*", "\\", "``")
    return [p for p in papers if any(m in p["abstract"] or m in p["title"] for m in marks)]


def test_reader_sees_title_and_abstract_exactly_even_when_they_look_like_markup(page, site_url, seeds_json):
    tricky = _tricky(seeds_json["papers"])
    assert len(tricky) >= 10
    for paper in tricky:
        page.goto(site_url + paper["url"])
        title = page.locator("h1.digest-title")
        abstract = page.locator(".digest-abstract p")
        assert title.is_visible() and abstract.is_visible()
        assert title.text_content() == paper["title"]
        assert abstract.text_content() == paper["abstract"]
        assert abstract.inner_text() == " ".join(paper["abstract"].split())
        assert page.title().startswith(paper["title"])
    assert page.dialogs == []
    assert page.foreign_requests == []


def test_a_paper_page_links_searches_for_its_exact_title_on_arxiv_and_hugging_face(page, site_url, seeds_json):
    from urllib.parse import parse_qs, urlsplit

    punctuated = sorted(seeds_json["papers"], key=lambda p: -sum(not c.isalnum() for c in p["title"]))[:3]
    for paper in punctuated:
        page.goto(site_url + paper["url"])
        links = page.locator("p.digest-links:not(.digest-code-links) a")
        links.first.wait_for()
        found = {links.nth(i).text_content(): urlsplit(links.nth(i).get_attribute("href"))
                 for i in range(links.count())}
        assert set(found) == {"arXiv", "Hugging Face"}
        arxiv, hugging_face = found["arXiv"], found["Hugging Face"]
        assert (arxiv.scheme, arxiv.netloc, arxiv.path) == ("https", "arxiv.org", "/search/")
        assert parse_qs(arxiv.query) == {"query": [paper["title"]], "searchtype": ["title"]}
        assert (hugging_face.netloc, hugging_face.path) == ("huggingface.co", "/papers")
        assert parse_qs(hugging_face.query) == {"q": [paper["title"]]}


def test_keyphrases_link_to_topic_pages_that_list_the_paper(page, site_url, seeds_json):
    paper = next(p for p in seeds_json["papers"] if p["topics"])
    page.goto(site_url + paper["url"])
    page.locator(".digest-keyphrases a.digest-chip").first.click()
    page.wait_for_load_state()
    assert "/topics/" in page.url
    assert page.locator(f'a[href$="papers/{paper["id"]}/"]').count() >= 1


def _result_paths(page) -> list[str]:
    return [urlparse(a.get_attribute("href")).path for a in page.locator("#search-results a").all()]


def test_typing_a_query_puts_the_expected_paper_first(page, site_url, seeds_json):
    paper = next(p for p in seeds_json["papers"] if p["title"].startswith("NV-Embed"))
    page.goto(site_url)
    page.locator("header a.digest-header-search").click()
    page.locator("input[name=q]").press_sequentially("generalist embedding model", delay=20)
    page.locator("#search-results a").first.wait_for(timeout=20_000)
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('match')")
    assert _result_paths(page)[0].endswith(f"/papers/{paper['id']}/")
    page.wait_for_url("**/search/?q=generalist+embedding+model", timeout=5_000)  # once the results show
    assert page.foreign_requests == []


_ALL_SHOWN = """(() => {
  const status = document.querySelector('#search-status').textContent;
  const count = Number((status.match(/^(\\d+) papers? match/) || [])[1]);
  return count > 0 && document.querySelectorAll('#search-results li').length === Math.min(count, 20);
})()"""
"""The search status says how many papers match, and the first page shows them all (up to 20)."""


def test_a_large_digests_search_drops_the_files_of_replaced_results_and_shows_the_new_ones(
        browser, page, site_url, sharded_url):
    query = "speech recognition"
    page.goto(site_url + "search/?q=" + query.replace(" ", "+"))
    page.wait_for_function(_ALL_SHOWN)
    expected = _result_paths(page)
    assert len(expected) >= 5

    context = browser.new_context()
    sharded = context.new_page()
    errors, failed = [], []
    sharded.on("pageerror", lambda error: errors.append(str(error)))
    sharded.on("requestfailed", lambda request: failed.append(urlparse(request.url).path))
    sharded.goto(sharded_url + "search/?q=model")
    sharded.locator("#search-results a").first.wait_for(timeout=20_000)
    sharded.locator("input[name=q]").fill(query)
    sharded.wait_for_function(_ALL_SHOWN, timeout=20_000)
    sharded.wait_for_load_state("networkidle")
    assert _result_paths(sharded) == expected, "the same results as the digest that loads every file at once"
    assert any("/search/papers/" in path or "/search/summaries/" in path for path in failed), \
        "title and summary files of the replaced results were cancelled"
    assert errors == []
    context.close()


def test_a_large_digests_queries_load_only_the_index_files_their_words_reach(browser, site_url, sharded_url):
    contexts = [browser.new_context(), browser.new_context()]
    full, sharded = (context.new_page() for context in contexts)
    chunks, errors = set(), []
    sharded.on("request", lambda request: "/search/index/" in request.url and chunks.add(request.url))
    sharded.on("pageerror", lambda error: errors.append(str(error)))
    for query in ["retriev", "diffusion mod", "speech recognition", "agent"]:
        for page, url in ((full, site_url), (sharded, sharded_url)):
            page.goto(url + "search/?q=" + query.replace(" ", "+"))
            page.wait_for_function(_ALL_SHOWN, timeout=20_000)
        assert _result_paths(sharded) == _result_paths(full), query
    written = len(sharded.request.get(sharded_url + "search/index.json").json()["chunks"])
    assert 0 < len(chunks) < written and errors == []
    for context in contexts:
        context.close()


def test_a_small_enough_digest_loads_its_index_runs_abstracts_and_titles_once_its_first_results_show(
        browser, site_url, prefetched_index_url):
    context = browser.new_context()
    page = context.new_page()
    chunks, abstracts, titles = set(), [], []
    page.on("request", lambda request: "/search/index/" in request.url and chunks.add(request.url))
    page.on("request", lambda request: "/search/abstracts" in request.url and abstracts.append(request.url))
    page.on("request", lambda request: re.search(r"/search/(papers/|titles)", request.url) and titles.append(
        request.url.rsplit("/search/", 1)[1]))
    page.goto(prefetched_index_url + "search/?q=agent")
    page.wait_for_function(_ALL_SHOWN, timeout=20_000)
    page.wait_for_load_state("networkidle")
    written = len(page.request.get(prefetched_index_url + "search/index.json").json()["chunks"])
    assert len(chunks) == written > 2
    assert [url.rsplit("/", 1)[-1] for url in abstracts].count("abstracts.json") == 1 and len(abstracts) == 2
    assert titles.count("titles.json") == 1
    requested, titles_requested = len(chunks), len(titles)
    page.locator("input[name=q]").fill("speech recognition")
    page.wait_for_url(re.compile(r"q=speech\+recognition"))  # the address follows once results show
    page.wait_for_function(_ALL_SHOWN, timeout=20_000)
    assert len(chunks) == requested, "a later query finds every posting in hand"
    assert len(abstracts) == 2, "and every abstract posting"
    assert len(titles) == titles_requested, "and every title"
    full = context.new_page()
    full.goto(site_url + "search/?q=speech+recognition")
    full.wait_for_function(_ALL_SHOWN, timeout=20_000)
    assert _result_paths(page) == _result_paths(full)
    context.close()


QUESTIONS = REPO / "tests" / "fixtures" / "questions"
"""Sixty SciFact abstracts and ten claims, each with its judged abstract (tests/fixtures/questions)."""


@pytest.fixture(scope="module")
def questions_site(tmp_path_factory, keyphrase_cache):
    folder = tmp_path_factory.mktemp("questions-project")
    return build_site(make_project(folder, keyphrase_cache, dumps=[str(QUESTIONS)]), out=folder / "site")


@pytest.fixture(scope="module")
def questions_url(questions_site):
    with _served(questions_site) as url:
        yield url


def _search_done(page) -> None:
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('match')",
                           timeout=20_000)


def test_a_question_no_paper_holds_in_every_word_finds_its_judged_paper_first(page, questions_site,
                                                                              questions_url):
    """Claims written by people share few of their words with the abstract judged for them: the page ranks
    papers by the words they hold and by meaning. Of the claims no paper holds in every word, the judged
    paper comes first for two in three or more, and in the first three for every one."""
    papers = {p["title"]: p for p in read_digest(questions_site)["papers"]}
    ranks = {}
    for item in json.loads((QUESTIONS / "questions.json").read_text(encoding="utf-8")):
        page.goto(questions_url + "search/?q=" + quote_plus(item["question"]))
        _search_done(page)
        if page.locator("#search-status").inner_text().startswith("No paper matches every word"):
            paths = [path.rsplit("/papers/", 1)[-1] for path in _result_paths(page)]
            ranks[item["question"]] = paths.index(papers[item["title"]]["url"].removeprefix("papers/"))
    assert len(ranks) >= 5, ranks
    first = sum(rank == 0 for rank in ranks.values())
    assert max(ranks.values()) <= 2 and 3 * first >= 2 * len(ranks), repr(ranks)
    assert page.foreign_requests == []


def test_keyword_queries_load_no_meaning_and_questions_load_the_paper_vectors_once(page, questions_url):
    meaning = []
    page.on("request", lambda request: "/search/meaning/" in request.url
            and meaning.append(urlparse(request.url).path))
    page.goto(questions_url + "search/?q=cancer")
    page.locator("#search-results a").first.wait_for(timeout=20_000)
    before_results = page.evaluate("""() => {
        const shown = performance.getEntriesByName('digest-search:results')[0].startTime;
        return performance.getEntriesByType('resource').filter((entry) =>
            entry.name.includes('/search/meaning/') && entry.startTime < shown).length;
    }""")
    assert before_results == 0, "a keyword query's first results wait for no semantic file"
    for question in ["does aspirin lower the risk of colon cancer", "which drugs treat prostate tumours"]:
        page.locator("input[name=q]").fill(question)
        page.wait_for_function("q => document.querySelector('#search-status').textContent.includes('meaning')"
                               " && new URLSearchParams(location.search).get('q') === q", arg=question)
    assert [path for path in meaning if path.endswith("/papers.bin")] == ["/search/meaning/papers.bin"]
    assert all(path.startswith("/search/meaning/terms/") for path in meaning if not path.endswith(".bin"))
    assert page.foreign_requests == []


def test_the_pages_cosines_are_the_query_encoders(page, questions_site, questions_url):
    """The page's query vector (terms' vectors summed) and its cosines with every paper, against the same
    computed here from the files the build wrote."""
    import base64

    import numpy as np

    from generator.analysis.terms import LunrTerms

    search = questions_site / "search"
    layout = json.loads(re.search(r"data-layout='([^']*)'", (search / "index.html").read_text()).group(1))
    dims, shards = layout["meaning"]["dims"], layout["meaning"]["term_shards"]
    codes = np.frombuffer((search / "meaning" / "papers.bin").read_bytes(), dtype=np.int8).reshape(-1, dims)
    vectors = codes / np.linalg.norm(codes, axis=1, keepdims=True)
    question = "Nonsteroidal anti-inflammatory drugs and the risk of colorectal cancer"
    query = np.zeros(dims)
    for term in LunrTerms()(question):
        file = search / "meaning" / "terms" / f"{search_module.shard_of(term, shards)}.json"
        shard = json.loads(file.read_text())
        if term in shard:
            scale, text = shard[term]
            query += np.frombuffer(base64.b64decode(text), dtype=np.int8) * scale
    expected = vectors @ (query / np.linalg.norm(query))
    page.goto(questions_url + "search/")
    page.wait_for_function("window.digestSearch !== undefined")
    cosines = page.evaluate("async q => {"
                            " const { queryWords } = await import('../assets/javascripts/search/query.js');"
                            " const { engine } = window.digestSearch;"
                            " return Array.from(await engine.meaning.cosines(queryWords(q))); }", question)
    np.testing.assert_allclose(cosines, expected, atol=1e-5)


def test_a_shared_search_url_opens_with_its_results_best_first(page, site_url, seeds_json):
    page.goto(site_url + "search/?q=mixture+of+experts")
    assert page.locator("input[name=q]").input_value() == "mixture of experts"
    page.locator("#search-results a").first.wait_for(timeout=20_000)
    by_url = {p["url"]: p for p in seeds_json["papers"]}
    results = [by_url[path.split("/", 1)[1].lstrip("/")] for path in _result_paths(page)]
    assert results, "mixture-of-experts papers are in the seeds"
    first = results[0]
    assert "mixture" in first["title"].lower() and "expert" in first["title"].lower()
    assert all("expert" in (p["title"] + p["abstract"] + " ".join(p["keywords"])).lower() for p in results)
    snippet = page.locator("#search-results .digest-result__snippet mark").first
    snippet.wait_for(timeout=20_000)
    assert page.locator("#search-results li").first.locator("mark").count() >= 1


def test_the_search_page_runs_the_themes_script_after_its_first_results_and_the_theme_works(page, site_url):
    """Material's bundle, the largest part of a fresh load's work, is requested only once the first result
    shows, and then starts as on any other page: the components it starts on DOMContentLoaded (the
    sidebar sized to the window) and the others (the colour toggle, hidden without it) work."""
    bundle = "performance.getEntriesByType('resource').find(e => e.name.includes('/bundle.'))"
    page.set_viewport_size({"width": 1280, "height": 720})
    for address in ["search/?q=mixture+of+experts", "search/"]:
        page.goto(site_url + address)
        page.wait_for_function(f"{bundle} !== undefined")
        if "?q=" in address:
            requested, shown = page.evaluate(
                f"[{bundle}.startTime, performance.getEntriesByName('digest-search:results')[0].startTime]")
            assert requested >= shown
        page.wait_for_function("document.querySelector('.md-sidebar--primary .md-sidebar__scrollwrap')"
                               ".style.height !== ''", timeout=10_000)
        scheme = page.evaluate("document.body.dataset.mdColorScheme")
        page.locator("form[data-md-component=palette] label:visible").first.click(timeout=10_000)
        page.wait_for_function("s => document.body.dataset.mdColorScheme !== s", arg=scheme)


def test_filters_and_sorting_keep_only_and_order_what_is_asked(page, site_url, seeds_json):
    topic = max(seeds_json["topics"], key=lambda t: len(t["papers"]))
    page.goto(site_url + f"search/?q=model&topic={topic['id']}&sort=date")
    page.locator("#search-results a").first.wait_for(timeout=20_000)
    by_url = {p["url"]: p for p in seeds_json["papers"]}
    results = [by_url[path.split("/", 1)[1].lstrip("/")] for path in _result_paths(page)]
    assert results and all(topic["id"] in p["topics"] for p in results)
    dates = [next((d for d in p["digest_dates"] if d), "") for p in results]
    assert dates == sorted(dates, reverse=True)
    page.select_option("select[name=topic]", "")
    page.fill("input[name=from]", "2024-10-01")
    page.wait_for_function("!location.search.includes('topic=') && location.search.includes('from=2024-10-01')")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('match')")
    later = [by_url[path.split("/", 1)[1].lstrip("/")] for path in _result_paths(page)]
    assert later and all(next(d for d in p["digest_dates"] if d) >= "2024-10-01" for p in later)


def test_watchlist_and_code_filters_keep_only_those_papers(page, site_url, seeds_json):
    by_url = {p["url"]: p for p in seeds_json["papers"]}
    watchlist = seeds_json["watchlists"][0]
    page.goto(site_url + f"search/?q=model&watchlist={watchlist['id']}")
    page.locator("#search-results a").first.wait_for(timeout=20_000)
    results = [by_url[path.split("/", 1)[1].lstrip("/")] for path in _result_paths(page)]
    assert results and all(p["id"] in watchlist["papers"] for p in results)
    page.select_option("select[name=watchlist]", "")
    page.check("input[name=code]")
    page.wait_for_function("location.search.includes('code=1') && !location.search.includes('watchlist=')")
    page.wait_for_function("document.querySelector('#search-status').textContent.includes('match')")
    with_code = [by_url[path.split("/", 1)[1].lstrip("/")] for path in _result_paths(page)]
    assert with_code and all(p["code"] for p in with_code)
    assert page.locator("#search-results .digest-code").count() == len(with_code)


def test_a_result_shows_its_summary_until_its_snippet_arrives(page, site_url, seeds_json):
    """Paper pages (the snippets' source) are held back: the results show each paper's summary."""
    page.route("**/papers/*/", lambda route: None)
    page.goto(site_url + "search/?q=mixture+of+experts")
    first = page.locator("#search-results li").first
    first.locator(".digest-result__snippet").wait_for(timeout=20_000)
    page.wait_for_function("document.querySelector('#search-results .digest-result__snippet').textContent")
    paper = next(p for p in seeds_json["papers"] if first.locator("a").first.get_attribute("href").endswith(
        p["url"]))
    assert first.locator(".digest-result__snippet").text_content() == paper["tldr"]


def test_the_keyboard_reaches_the_box_and_walks_the_results(page, site_url):
    page.goto(site_url + "search/?q=retrieval")
    page.locator("#search-results a").nth(1).wait_for(timeout=20_000)
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator("#search-results a").nth(1).get_attribute("href")
    assert page.evaluate("document.activeElement.href") == second
    page.keyboard.press("Enter")
    page.wait_for_url(second)


LUNR_INDEX_JS = Path(__file__).parent / "js" / "lunr_index.js"
"""Builds lunr's own index over the page's scorer, for comparing scores: test code, never in a site."""


def _open_search_with_lunr_index(page, site_url: str) -> None:
    page.goto(site_url + "search/")
    page.wait_for_function("window.digestSearch !== undefined")
    page.add_script_tag(path=str(LUNR_INDEX_JS))


def _full_lunr_index(digest_json: dict) -> dict:
    """lunr.py's own serialised index of the main fields, as Material-style sites ship it."""
    from lunr import lunr

    from generator.publish.search import MAIN_FIELDS, main_field_texts

    labels = {t["id"]: t["label"] for t in digest_json["topics"]}
    documents = [{"ref": str(n), **main_field_texts(p["title"], p["keywords"], p["topics"], labels)}
                 for n, p in enumerate(digest_json["papers"])]
    fields = [{"field_name": name, "boost": boost} for name, boost in MAIN_FIELDS]
    return json.loads(json.dumps(lunr(ref="ref", fields=fields, documents=documents).serialize()))


def test_the_index_rebuilt_in_the_browser_scores_as_a_full_lunr_index_would(page, site_url, seeds_json):
    """Our lazily made index ranks and scores as lunr.py's full serialised index does (to 0.01)."""
    from generator.publish.search import shard_of

    _open_search_with_lunr_index(page, site_url)
    compared = page.evaluate("""async ([full, queries]) => {
        const { scorer } = await window.digestSearch.engine.ready;
        const ours = window.lunrIndexOf(scorer), reference = lunr.Index.load(full);
        return queries.map(q => [ours.search(q).map(r => [r.ref, r.score]),
                                 reference.search(q).map(r => [r.ref, r.score])]);
    }""", [_full_lunr_index(seeds_json), ["mixture of experts", "retrieval", "video diffusion", "LLM agents",
                                         "title:benchmark", "instruct*"]])
    for ours, reference in compared:
        assert ours and [ref for ref, _ in ours] == [ref for ref, _ in reference]
        assert all(abs(a - b) < 0.01 for (_, a), (_, b) in zip(ours, reference, strict=True))
    terms = ["diffus", "über", "模型", "x"]
    in_page = page.evaluate("async terms => {"
                            " const { shardOf } = await import('../assets/javascripts/search/shards.js');"
                            " return terms.map(t => shardOf(t, 2 ** 32)); }", terms)
    assert in_page == [shard_of(t, 2**32) for t in terms], "the page finds each term's abstract shard"


def test_scoring_only_papers_with_every_word_gives_lunrs_own_scores(page, site_url):
    """The page scores just the papers holding every word; each score equals lunr's query over all."""
    _open_search_with_lunr_index(page, site_url)
    compared = page.evaluate("""async queries => {
        const ds = await import("../assets/javascripts/search/query.js");
        const { scorer } = await window.digestSearch.engine.ready, index = window.lunrIndexOf(scorer);
        return queries.map(text => {
            const words = ds.queryWords(text), prefix = ds.isPrefix(words, words.length - 1);
            const holders = words.map((w, i) => scorer.papersWith(w, ds.isPrefix(words, i)));
            const every = [...holders[0].keys()].filter(n => holders.every(marks => marks[n]));
            const ours = scorer.scoreOnly(words, prefix, every);
            const query = window.lunrQuery(words, ds.isPrefix);
            const lunrs = new Map(index.query(query).map(r => [Number(r.ref), r.score]));
            return [every.length, every.map(n => [ours.get(n), lunrs.get(n)])];
        });
    }""", ["large language models", "mixture of experts", "speech recognition", "instruct",
           "retrieval augmented"])
    assert [count > 0 for count, _ in compared] == [True] * 5, [count for count, _ in compared]
    for _, pairs in compared:
        assert all(abs(ours - lunrs) < 1e-9 for ours, lunrs in pairs)


def _page_elements(page, selector):
    return page.eval_on_selector_all(f"{selector} *", "els => els.map(e => e.tagName.toLowerCase())")




def test_hostile_text_is_shown_as_text_and_never_runs(page, hostile_url, hostile_json):
    from generator.ingest.text import display_text

    papers = hostile_json["papers"]
    assert len(papers) == 10
    for paper in papers:
        page.goto(hostile_url + paper["url"])
        title = page.locator("h1.digest-title")
        abstract = page.locator(".digest-abstract p")
        assert title.inner_text() == display_text(raw_text(paper, "title"))
        assert abstract.inner_text() == display_text(raw_text(paper, "abstract"))
        assert set(_page_elements(page, ".digest-abstract p")) <= {"a"}
        assert _page_elements(page, "h1.digest-title") == []
        assert page.locator('a[href^="javascript:"]').count() == 0
        assert page.title().startswith(display_text(raw_text(paper, "title")))
    page.goto(hostile_url + "dates/2025/04/01/")
    listed = page.locator(".digest-papers > li > a:first-child").all_inner_texts()
    assert sorted(listed) == sorted(p["title"] for p in papers)
    assert page.dialogs == []
    assert page.foreign_requests == []


def test_latex_remnants_are_cleaned_and_urls_become_links(page, hostile_url, hostile_json):
    paper = next(p for p in hostile_json["papers"] if "ULU" in raw_text(p, "title"))
    page.goto(hostile_url + paper["url"])
    assert page.locator("h1.digest-title").inner_text() == "TÜLU 3: Pushing Frontiers"
    abstract = page.locator(".digest-abstract p")
    assert abstract.inner_text().startswith(
        "50% faster, see https://example.org/x and “quoted” naïve work, e.g. this; javascript:alert(6).")
    links = abstract.locator("a")
    assert links.count() == 1
    assert links.first.get_attribute("href") == "https://example.org/x"


def test_searching_hostile_titles_shows_them_as_text_and_runs_nothing(page, hostile_url):
    page.goto(hostile_url + "search/")
    page.locator("input[name=q]").press_sequentially("Attention Tricks", delay=20)
    first = page.locator("#search-results li").first
    first.wait_for(timeout=20_000)
    assert "<script>alert(1)</script> Attention Tricks" in first.inner_text()
    page.locator("#search-results .digest-result__snippet").first.wait_for(timeout=20_000)
    assert page.locator("#search-results script, #search-results img").count() == 0
    assert page.dialogs == []


def _contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two computed CSS colours: rgb()/rgba(), or color(srgb r g b) from color-mix."""
    def luminance(colour: str) -> float:
        inside = colour[colour.index("(") + 1:colour.index(")")]
        if colour.startswith("color(srgb"):
            channels = [float(c) for c in inside.split()[1:4]]
        else:
            channels = [float(c) / 255 for c in inside.split(",")[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(first), luminance(second)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_kind_of_page_loads_nothing_from_another_host(page, site_url, seeds_json):
    """Fonts, scripts and styles come from the site itself: any request elsewhere is failed and counted."""
    refused = []

    def only_local(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", None):
            route.continue_()
        else:
            refused.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    paper = next(p for p in seeds_json["papers"] if p["organization"] and p["related"])
    topic, day = seeds_json["topics"][0], next(d for d in seeds_json["dates"] if d["date"])
    for url in ["", "dates/", day["url"], "topics/", topic["url"], paper["url"], "trending/", "organizations/",
                "search/?q=mixture+of+experts", "quality/", "about/", "404.html"]:
        page.goto(site_url + url)
        page.wait_for_load_state("networkidle")
    page.goto(site_url + paper["url"])
    organization = page.locator('.digest-facts a[href*="organizations/"]')
    organization.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1.digest-title").text_content() == paper["organization"]
    assert refused == [] and page.foreign_requests == []


def test_the_scheme_toggle_back_to_top_bar_title_and_tabs_that_frame_js_adds_work(page, site_url, seeds_json):
    """Written once into frame.js (generator/publish/frame.py), not on each page."""
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    day = max(seeds_json["dates"], key=lambda d: len(d["papers"]))
    page.goto(site_url + day["url"])
    scheme = "document.body.getAttribute('data-md-color-scheme')"
    assert page.evaluate(scheme) == "default"
    page.locator("label[title='Dark mode']").click()
    assert page.evaluate(scheme) == "slate"
    paper = next(p for p in seeds_json["papers"] if "<" in p["title"] or "&" in p["title"])
    page.goto(site_url + paper["url"])
    assert page.evaluate(scheme) == "slate", "another page keeps the reader's choice"
    assert page.locator("[data-md-component=header-topic]").text_content() == paper["title"]
    tabs = "links => links.map(link => [link.textContent.trim(), link.href])"
    paper_tabs = page.locator(".md-tabs__link").evaluate_all(tabs)
    page.goto(site_url)
    assert paper_tabs == page.locator(".md-tabs__link").evaluate_all(tabs)
    assert [title for title, _ in paper_tabs] == ["Today", "Browse", "Trending", "Search", "About"]
    assert page.locator("label[title='Light mode']").is_visible()

    page.goto(site_url + day["url"])
    top = page.locator(".md-top")
    shown = "!document.querySelector('.md-top').hidden"
    assert top.count() == 1 and not page.evaluate(shown)
    page.mouse.wheel(0, 4000)
    page.wait_for_timeout(300)
    page.mouse.wheel(0, -400)
    page.wait_for_function(shown)
    top.click()
    page.wait_for_function("window.scrollY === 0")
    assert errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_charts_read_in_light_and_dark_mode(browser, site_url, seeds_json, scheme):
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    topic = max(seeds_json["topics"], key=lambda t: len(t["papers"]))
    for url, selector in [("dates/", "svg.digest-calendar"), (topic["url"], "svg.digest-chart")]:
        page.goto(site_url + url)
        chart = page.locator(selector).first
        assert chart.is_visible()
        colour, background = chart.evaluate("""svg => {
            const fill = getComputedStyle(svg).color;
            let node = svg, bg = "rgba(0, 0, 0, 0)";
            while (node && (bg === "rgba(0, 0, 0, 0)" || bg === "transparent")) {
                bg = getComputedStyle(node).backgroundColor; node = node.parentElement;
            }
            return [fill, bg];
        }""")
        assert _contrast(colour, background) >= 4.5, (scheme, url, colour, background)
    assert (page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)") == (
        scheme == "light")
    context.close()


def _every_kind_of_page(seeds_json) -> list[str]:
    papers = seeds_json["papers"]
    paper = next(p for p in papers if p["organization"] and p["related"])
    with_code = next(p for p in papers if p["code"])
    day = next(d for d in seeds_json["dates"] if d["date"])
    year, month, _ = day["date"].split("-")
    topic = max(seeds_json["topics"], key=lambda t: len(t["papers"]))
    week_year, week, _ = dt.date.fromisoformat(day["date"]).isocalendar()
    organization = f"organizations/{slug(paper['organization'], 'organization')}/"
    return ["", "dates/", f"dates/{year}/", f"dates/{year}/{month}/", day["url"], "dates/undated/", "weeks/",
            f"weeks/{week_year}-W{week:02d}/", "topics/", "no-topic/", topic["url"], paper["url"],
            with_code["url"], "trending/", "organizations/", organization, "search/?q=retrieval", "watchlists/",
            seeds_json["watchlists"][0]["url"], "reading-list/", "for-you/", "quality/", "about/", "404.html"]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_a_or_aa_violation_on_any_kind_of_page(browser, site_url, seeds_json, scheme):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make lint does)"
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    found = {}
    _save_two(page, site_url, seeds_json)
    for url in _every_kind_of_page(seeds_json):
        page.goto(site_url + url)
        page.wait_for_load_state("networkidle")
        if url.startswith("search/"):
            page.locator("#search-results .digest-result__snippet mark").first.wait_for(timeout=20_000)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
        for violation in result["violations"]:
            found[f"{url}: {violation['id']}"] = [node["target"] for node in violation["nodes"][:3]]
    context.close()
    assert found == {}


def _by_url(seeds_json) -> dict[str, dict]:
    return {p["url"]: p for p in seeds_json["papers"]}


SAVED_TITLES = "#digest-reading-list .digest-papers > li > a:first-child"
"""The title links of the reading list's papers."""


def _listed(page, selector: str, seeds_json) -> list[dict]:
    by_url = _by_url(seeds_json)
    hrefs = page.locator(selector).evaluate_all("links => links.map((link) => link.href)")
    return [by_url[urlparse(href).path.lstrip("/")] for href in hrefs]


def _save_two(page, site_url, seeds_json) -> list[dict]:
    day = max((d for d in seeds_json["dates"] if d["date"]), key=lambda d: len(d["papers"]))
    page.goto(site_url + day["url"])
    saves = page.get_by_role("button", name="Save to reading list")
    assert saves.count() == len(day["papers"])
    for n in (0, 3):
        saves.nth(n).click()
        assert saves.nth(n).get_attribute("aria-pressed") == "true"
    return _listed(page, '.digest-papers > li:has(button[aria-pressed="true"]) > a:first-child', seeds_json)


def test_saved_papers_persist_on_the_reading_list_and_remove_takes_one_off(page, site_url, seeds_json):
    saved = _save_two(page, site_url, seeds_json)
    assert len(saved) == 2
    page.goto(site_url + "reading-list/")
    page.reload()
    items = page.locator("#digest-reading-list .digest-papers > li")
    items.first.wait_for()
    assert {p["id"] for p in _listed(page, SAVED_TITLES, seeds_json)} == {
        p["id"] for p in saved}
    assert all(p["tldr"] in page.locator("#digest-reading-list").text_content() for p in saved)
    page.get_by_role("button", name="Remove").first.click()
    assert items.count() == 1
    page.reload()
    items.first.wait_for()
    assert items.count() == 1
    assert page.foreign_requests == [] and page.dialogs == []


def test_exports_hold_both_papers_and_a_json_export_restores_them_in_a_fresh_browser(browser, page, site_url,
                                                                                     seeds_json, tmp_path):
    saved = _save_two(page, site_url, seeds_json)
    page.goto(site_url + "reading-list/")
    page.locator("#digest-reading-list .digest-papers > li").first.wait_for()
    files = {}
    for name in ("BibTeX", "JSON", "CSV"):
        with page.expect_download() as download:
            page.get_by_role("button", name=f"Download {name}").click()
        files[name] = tmp_path / download.value.suggested_filename
        download.value.save_as(files[name])
    bibtex = files["BibTeX"].read_text(encoding="utf-8")
    assert bibtex.count("@misc{") == 2 and all(f"@misc{{{p['id']}," in bibtex for p in saved)
    exported = json.loads(files["JSON"].read_text(encoding="utf-8"))
    assert {p["id"]: p["title"] for p in exported["papers"]} == {p["id"]: p["title"] for p in saved}
    assert all(p["saved"] for p in exported["papers"])
    assert all(p["title"] in files["CSV"].read_text(encoding="utf-8") for p in saved)
    fresh = browser.new_context()
    other = fresh.new_page()
    other.goto(site_url + "reading-list/")
    assert other.locator("#digest-reading-list .digest-papers > li").count() == 0
    other.set_input_files("#digest-reading-list input[type=file]", files["JSON"])
    other.locator("#digest-reading-list .digest-papers > li").nth(1).wait_for()
    assert {p["id"] for p in _listed(other, SAVED_TITLES, seeds_json)} == {
        p["id"] for p in saved}
    fresh.close()


def test_an_import_never_loses_a_saved_paper_nor_brings_a_foreign_link(page, site_url, seeds_json, tmp_path):
    saved = _save_two(page, site_url, seeds_json)
    other = next(p for p in seeds_json["papers"] if p["id"] not in {s["id"] for s in saved})
    hostile = {"papers": [
        {"id": other["id"], "title": other["title"], "url": other["url"], "saved": "2024-01-01"},
        {"id": "evil", "title": "<img src=x onerror=alert(1)>", "url": "javascript:alert(1)"},
    ]}
    (tmp_path / "import.json").write_text(json.dumps(hostile), encoding="utf-8")
    page.goto(site_url + "reading-list/")
    page.set_input_files("#digest-reading-list input[type=file]", tmp_path / "import.json")
    page.locator("#digest-reading-list .digest-papers > li").nth(2).wait_for()
    listed = _listed(page, SAVED_TITLES, seeds_json)
    assert {p["id"] for p in listed} == {p["id"] for p in saved} | {other["id"]}
    assert page.dialogs == [] and "javascript:" not in page.content()


def test_for_you_lists_papers_related_to_the_saved_ones_and_none_saved(page, site_url, seeds_json):
    saved = _save_two(page, site_url, seeds_json)
    page.goto(site_url + "for-you/")
    status = "document.querySelector('#digest-for-you [role=status]').textContent"
    page.wait_for_function(f"{status}.includes('related')")
    suggested = _listed(page, "#digest-for-you li > a:first-child", seeds_json)
    related = {r for p in saved for r in p["related"]}
    assert len(suggested) >= 3
    assert all(p["id"] in related for p in suggested)
    assert not {p["id"] for p in suggested} & {p["id"] for p in saved}
    assert page.foreign_requests == []


def test_opened_papers_count_as_read_and_hide_read_is_remembered(page, site_url, seeds_json):
    day = max((d for d in seeds_json["dates"] if d["date"]), key=lambda d: len(d["papers"]))
    opened = _by_url(seeds_json)[f"papers/{day['papers'][0]}/"]
    page.goto(site_url + opened["url"])
    page.goto(site_url + day["url"])
    item = page.locator(f'.digest-papers > li:has(a[href$="papers/{opened["id"]}/"])')
    assert item.locator(".digest-read-mark").count() == 1
    page.get_by_role("button", name="Hide read").click()
    assert item.is_hidden()
    page.reload()
    assert page.get_by_role("button", name="Hide read").get_attribute("aria-pressed") == "true"
    assert item.is_hidden() and page.locator(".digest-papers > li:visible").count() == len(day["papers"]) - 1


def test_search_results_and_paper_pages_have_a_save_button(page, site_url, seeds_json):
    page.goto(site_url + "search/?q=retrieval")
    page.locator("#search-results li .digest-save").first.wait_for(timeout=20_000)
    page.locator("#search-results li").first.get_by_role("button", name="Save to reading list").click()
    paper = next(p for p in seeds_json["papers"] if p["related"])
    page.goto(site_url + paper["url"])
    page.get_by_role("button", name="Save to reading list").click()
    page.goto(site_url + "reading-list/")
    page.locator("#digest-reading-list .digest-papers > li").nth(1).wait_for()
    listed = _listed(page, SAVED_TITLES, seeds_json)
    assert paper["id"] in {p["id"] for p in listed}


def test_the_reading_list_adds_little_to_a_page(seeds_site):
    scripts = list((seeds_site / "assets" / "javascripts" / "reading").glob("*.js"))
    assert scripts and sum(f.stat().st_size for f in scripts) < 50_000


# CSV and BibTeX of each day's and each topic's papers, written in the browser (reading/exports.js) and
# read back by csv and bibtexparser.

_UNESCAPE = re.compile(r"\\textbackslash\{\}|\\\^\{\}|\\~\{\}|\\([{}%&#$_])")
_SPELLED = {"\\textbackslash{}": "\\", "\\^{}": "^", "\\~{}": "~"}


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: m.group(1) or _SPELLED[m.group()], text)


def _downloads(page, address: str, tmp_path) -> tuple[list[dict[str, str]], bibtexparser.Library, list[str]]:
    """The CSV rows and the BibTeX library the page's two Download buttons give, and the files' names."""
    page.goto(address)
    texts, names = {}, []
    for label in ("CSV", "BibTeX"):
        with page.expect_download() as download:
            page.locator(".digest-downloads").get_by_role("button", name=label).click()
        path = tmp_path / download.value.suggested_filename
        download.value.save_as(path)
        texts[label], names = path.read_text(encoding="utf-8"), [*names, path.name]
    rows = list(csv.DictReader(io.StringIO(texts["CSV"], newline="")))
    return rows, bibtexparser.parse_string(texts["BibTeX"]), names


def _check(listing: dict, rows, library, papers: dict, base: str) -> None:
    by_link = {base + papers[pid]["url"]: papers[pid] for pid in listing["papers"]}
    assert sorted(row["link"] for row in rows) == sorted(by_link), listing["url"]
    for row in rows:
        paper = by_link[row["link"]]
        assert row["title"] == paper["title"]
        assert row["upvotes"] == str("" if paper["upvotes"] is None else paper["upvotes"])
        assert row["organization"] == (paper["organization"] or "")
        if listing.get("date"):
            assert row["date"] == listing["date"]
    assert not library.failed_blocks
    assert sorted(entry.key for entry in library.entries) == sorted(listing["papers"])
    for entry in library.entries:
        assert entry["title"].startswith("{") and entry["title"].endswith("}")
        assert _unescape(entry["title"][1:-1]) == papers[entry.key]["title"]
        assert entry["url"] == base + papers[entry.key]["url"]


def test_every_day_and_topic_page_downloads_its_papers_as_csv_and_bibtex(page, site_url, seeds_json, tmp_path):
    papers = {p["id"]: p for p in seeds_json["papers"]}
    topics = sorted(seeds_json["topics"], key=lambda t: -len(t["papers"]))
    for listing in [*seeds_json["dates"], *topics[:8]]:
        rows, library, names = _downloads(page, site_url + listing["url"], tmp_path)
        _check(listing, rows, library, papers, site_url)
        stem = listing["id"] if "id" in listing else listing["date"] or "undated"
        assert names == [f"{stem}.csv", f"{stem}.bib"]
    assert page.dialogs == [] and page.foreign_requests == []


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory, keyphrase_cache):
    """The seeds with at most 10 papers a page, so that large topics span several pages."""
    folder = tmp_path_factory.mktemp("paged-project")
    config_file = make_project(folder, keyphrase_cache, dumps=[str(SEEDS)], default_year=SEED_DEFAULT_YEAR)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages_module, "PAPERS_PER_PAGE", 10)
        site = build_site(config_file, out=folder / "site")
    with _served(site) as url:
        yield site, url


def test_a_topic_over_several_pages_downloads_the_papers_of_all_its_pages(page, paged_site, tmp_path):
    site, url = paged_site
    digest = read_digest(site)
    papers = {p["id"]: p for p in digest["papers"]}
    topic = max(digest["topics"], key=lambda t: len(t["papers"]))
    assert len(topic["papers"]) > 20, "the largest topic spans three pages or more"
    assert (site / topic["url"] / "3" / "index.html").exists()
    rows, library, _ = _downloads(page, url + topic["url"], tmp_path)
    _check(topic, rows, library, papers, url)
    assert len(rows) == len(topic["papers"]) == len({row["link"] for row in rows})


def test_text_that_tex_or_a_spreadsheet_would_run_is_escaped(page, site_url):
    title = '=HYPERLINK("x") 100% {a}_b & #1 $\\alpha$ ^ ~'
    page.goto(site_url)
    texts = page.evaluate("""async ([title]) => {
        const formats = await import(new URL("assets/javascripts/reading/formats.js", location.href).href);
        return [formats.csv([["title", "organization"], [title, "@Lab"], ["a, \\"b\\"", "+1"]]),
                formats.bibtex([{id: "p1", title, date: "2025-03-04", url: "https://x.org/papers/p1/"}])];
    }""", [title])
    rows = list(csv.reader(io.StringIO(texts[0], newline="")))
    assert rows == [["title", "organization"], ["'" + title, "'@Lab"], ['a, "b"', "'+1"]]
    entry = bibtexparser.parse_string(texts[1]).entries[0]
    assert _unescape(entry["title"][1:-1]) == title
    assert (entry["year"], entry["month"], entry["date"], entry["url"]) == (
        "2025", "mar", "2025-03-04", "https://x.org/papers/p1/")
    assert texts[1].count("{") == texts[1].count("}")
