"""Search in a real browser: the digest's prebuilt index against Material's built-in search and Pagefind.

For the seeds (605 papers) and synthetic digests of 5,000 and 20,000 papers (bench/corpus.py), the same
papers are built as the digest builds them and with Material's built-in search instead (its plugin on,
its own header); Pagefind (``pip install -e .[bench]``: ``pagefind[extended]``, binary included) indexes
the digest's built paper pages (their article) and is queried from a bare page that calls its JS API
and shows its top ten, the lightest page Pagefind allows. Each is served with gzip as GitHub Pages serves
it and opened in headless Chromium with an empty cache:

- bytes transferred before the first result (compressed bodies and headers, workers included),
- time from navigation start to the first result on screen, for a query given in the URL
  (``search/?q=`` for the digest, ``?q=`` for Material, which opens its search box with it),
- then the time per query typed in the same page, until its first result is on screen.

Bytes are counted on a first page of their own (it also takes the start-up of a fresh browser and
server, which a reader's running browser does not pay). Times come from five more pages, with no
listener on their requests; the first result is the median run's, later queries count all runs.

    .venv/bin/python bench/search.py [N ...]     (default: 605 5000 20000; 605 means the seeds)
    .venv/bin/python bench/search.py --engines digest,pagefind 100000   (some engines only)
    .venv/bin/python bench/search.py --turns 30 --engines digest,pagefind 5000   (first results, loads in turn)
    .venv/bin/python bench/search.py --relevance [--engines digest] (known-item search on the seeds and Inspec)
    .venv/bin/python bench/search.py --collection bench/data/ir/scifact-dev [DIR ...]   (questions)

Relevance: for 300 papers of the seeds (drawn with a fixed seed), the query is the paper's first
keyphrase of two or three words (else the first three words of its title); for 300 Inspec abstracts
(bench/data/inspec-dev, built as a digest of their own), the first human-assigned keyphrase of two or
three words. Each engine gets the query typed into its search page; MRR@10 and hits@10 of the paper.

Questions (``--collection``): a retrieval test collection with human judgments (bench/data/ir/, see
bench/collection.py) is built as a digest, and each of its queries is typed into the search page, and
into Pagefind's beside it; nDCG@10, recall@10 and the share of queries with no result, beside two Python
references on the same papers: BM25 over title and abstract (lunr's stemmer and stop words, k1 0.9,
b 0.4, BEIR's setting) and the bundled model's own cosine (the build's paper embeddings, the query
embedded by the model).

First results in turn (``--turns K``): K rounds of one fresh page of each engine after another, so that the
machine's drift over the minutes of a run falls on every engine alike; the median and quartiles of each
engine's first keyword result. Medians of five loads taken engine after engine move by 10% and more with the
machine; compare engines with this.

Sites are kept under .cache/bench-search/N/ENGINE/ (delete them after a change to the search). The
synthetic corpora and keyphrase caches are those of bench/build.py (.cache/bench-scale/N/): run that
first for a warm build.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import json
import multiprocessing
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import yaml  # noqa: E402
from collection import (  # noqa: E402
    bm25_top,
    ndcg_at_10,
    paper_docs,
    read_collection,
    recall_at_10,
    write_dumps,
)
from corpus import write_corpus  # noqa: E402
from mkdocs.utils.yaml import yaml_load  # noqa: E402

from bench.examples import INSPEC, SEED_DEFAULT_YEAR, SEEDS  # noqa: E402
from generator.analysis.keyphrases import text_file_document  # noqa: E402
from generator.cli import build_site  # noqa: E402
from generator.project import new_project  # noqa: E402

WORK = REPO / ".cache" / "bench-search"
INSPEC_COUNT = 941
"""The Inspec dev set's abstracts, built as a digest for the relevance test."""
FIRST_QUERY = "mixture of experts"
FIRST_QUESTION = "how can large language models answer questions about long documents"
LATER_QUESTIONS = ["ways to make neural network inference faster on small devices",
                   "which methods detect faults in power distribution networks",
                   "speech recognition for languages with little training data",
                   "does pretraining on code help models reason about mathematics",
                   "controlling a robot arm from camera images"]
"""Questions, ranked by words and meaning: the digest loads its semantic files for the first one."""
LATER_QUERIES = ["retrieval augmented generation", "video diffusion", "speech recognition",
                 "reinforcement learning", "neural network control", "large language models"]
REPEATS = 5
"""Each search is measured in this many fresh browser contexts: the median first result (and its bytes),
and the later queries of all of them."""
COMPRESSED = (".html", ".json", ".js", ".css", ".svg", ".xml")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

ENGINES = {
    "digest": {"path": "search/?q={q}", "result": "#search-results a", "input": "input[name=q]",
               "links": "#search-results a.digest-result__title"},
    "material": {"path": "?q={q}", "result": ".md-search-result__item", "input": "input.md-search__input",
                 "links": ".md-search-result__item > a"},
    "pagefind": {"path": "pagefind-search.html?q={q}", "result": ".pf-result", "input": "input#q",
                 "links": ".pf-result a"},
}
PAGEFIND_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Search</title></head><body>
<input id="q" type="search" aria-label="Search papers"><ol id="results"></ol>
<script type="module">
const pagefind = await import("./pagefind/pagefind.js");
const input = document.getElementById("q"), list = document.getElementById("results");
let run = 0;
async function search() {
  const current = ++run;
  const found = await pagefind.search(input.value);
  if (current !== run || !found) return;
  const top = await Promise.all(found.results.slice(0, 10).map((result) => result.data()));
  if (current !== run) return;
  list.replaceChildren(...top.map((data) => {
    const item = document.createElement("li"), link = document.createElement("a");
    item.className = "pf-result";
    link.href = data.url;
    link.textContent = data.meta.title;
    item.append(link);
    return item;
  }));
}
input.addEventListener("input", search);
const query = new URLSearchParams(location.search).get("q");
if (query) { input.value = query; search(); }
</script></body></html>
"""
"""A bare page that calls Pagefind's JS API and shows its top ten: no theme, the lightest page it allows."""
RELEVANCE_QUERIES = 300
TOP = 10
NEXT_RESULTS = """async ([input, links, query, timeout]) => {
  const read = () => [...document.querySelectorAll(links)].slice(0, 10).map((a) => a.href);
  const before = JSON.stringify(read());
  const field = document.querySelector(input);
  field.value = query;
  field.dispatchEvent(new Event("input", {bubbles: true}));
  field.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: "a"}));
  const start = performance.now();
  let last = before, stable = 0;
  while (performance.now() - start < timeout) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const now = JSON.stringify(read());
    stable = now === last ? stable + 1 : 0;
    last = now;
    if (now !== before && stable >= 4) break;
  }
  return read();
}"""
"""Types a query and returns the top ten links once they have changed and held still for 200 ms (or
whatever shows after ``timeout`` ms: no result is a result)."""

WATCH = """
window.__firstResult = null;
new MutationObserver(() => {
  if (window.__firstResult === null && document.querySelector(window.__resultSelector || "#none")) {
    window.__firstResult = performance.now();
  }
}).observe(document, {childList: true, subtree: true});
"""

TYPE_QUERY = """async ([selector, inputSelector, query]) => {
  const input = document.querySelector(inputSelector);
  return await new Promise(resolve => {
    const start = performance.now();
    const observer = new MutationObserver(mutations => {
      const added = mutations.some(m => [...m.addedNodes].some(n => n.nodeType === 1 &&
        (n.matches(selector) || n.querySelector(selector))));
      if (added) { observer.disconnect(); resolve(performance.now() - start); }
    });
    observer.observe(document.body, {childList: true, subtree: true});
    input.value = query;
    input.dispatchEvent(new Event("input", {bubbles: true}));
    input.dispatchEvent(new KeyboardEvent("keyup", {bubbles: true, key: "a"}));
  });
}"""


def build(count: int, engine: str) -> Path:
    """The site of ``count`` papers as the digest builds it, or with Material's search instead (its plugin
    on, its own header with the search box); reused when it exists."""
    folder = WORK / str(count) / engine
    site = folder / "site"
    if (site / "index.html").exists():
        return site
    if count == INSPEC_COUNT:
        dumps, cache, settings = [str(inspec_dump(folder))], REPO / ".cache" / "bench", {}
    elif count == 605:
        dumps, cache, settings = [str(SEEDS)], REPO / ".cache" / "digest", {"default_year": SEED_DEFAULT_YEAR}
    else:
        scale = REPO / ".cache" / "bench-scale" / str(count)
        if not (scale / "dumps").exists():
            write_corpus(count, scale / "dumps")
        dumps, cache, settings = [str(scale / "dumps")], scale / "cache", {}
    if engine == "pagefind":
        return pagefind_site(build(count, "digest"), site)
    shutil.rmtree(folder / "project", ignore_errors=True)
    config_file = new_project(folder / "project", {"cache_dir": str(cache), "dumps": dumps, **settings})
    if engine == "material":
        overrides = folder / "overrides"
        shutil.rmtree(overrides, ignore_errors=True)
        shutil.copytree(REPO / "site_config" / "overrides", overrides)
        (overrides / "partials" / "header.html").unlink()  # Material's header, with its search box
        (overrides / "main.html").unlink()  # Material's configuration, with its search worker
        with config_file.open(encoding="utf-8") as file:
            mkdocs = yaml_load(file)  # MkDocs' loader: it reads the !ENV tag of site_url
        mkdocs["theme"]["custom_dir"] = str(overrides)
        mkdocs["plugins"].insert(0, "search")
        config_file.write_text(yaml.safe_dump(mkdocs, sort_keys=False), encoding="utf-8")
    return build_site(config_file, out=site)


def pagefind_site(digest_site: Path, site: Path) -> Path:
    """The digest's site with a Pagefind index of its paper pages (their article) and a bare search page."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(digest_site, site)
    subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--glob", "papers/**/*.html",
                    "--root-selector", "article", "--output-subdir", "pagefind", "--quiet"], check=True)
    (site / "pagefind-search.html").write_text(PAGEFIND_PAGE, encoding="utf-8")
    return site


def inspec_dump(folder: Path) -> Path:
    """Inspec's dev abstracts as one dump of alternating title and abstract lines (first sentence, title)."""
    lines = []
    for path in inspec_docs():
        title, abstract = inspec_paper(path)
        lines += [title, abstract]
    dump = folder / "dumps" / "inspec.txt"
    dump.parent.mkdir(parents=True, exist_ok=True)
    dump.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dump


def inspec_docs() -> list[Path]:
    return sorted((INSPEC / "docs").glob("*.txt"), key=lambda p: int(p.stem))


def inspec_paper(path: Path) -> tuple[str, str]:
    document = text_file_document(path.read_text(encoding="utf-8", errors="replace"))
    title, _, abstract = document.partition(". ")
    return " ".join(title.split()), " ".join(abstract.split())


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, text compressed with gzip when the browser accepts it (as GitHub Pages does)."""

    compressed: ClassVar[dict[Path, bytes]] = {}

    def send_head(self):
        path = Path(self.translate_path(self.path)).resolve()
        if path.is_dir():
            path = path / "index.html"
        if (path.suffix not in COMPRESSED or "gzip" not in self.headers.get("Accept-Encoding", "")
                or not path.is_file()):
            return super().send_head()
        body = self.compressed[path]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, format, *args):
        pass

    def handle(self):
        """A request the browser gave up on (a page closed mid-transfer) is no error of the site."""
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            super().handle()


class CdnLikeServer(ThreadingHTTPServer):
    """Python's default backlog (5) drops connections that a browser opens at once, which then wait a
    second for a retry: a CDN accepts them."""

    request_queue_size = 128


def serve(site: Path) -> tuple[multiprocessing.Process, str]:
    """The site over HTTP from a process of its own (in this one, the browser driver's event handling
    would hold the interpreter's lock while files are sent), every text file compressed before the first
    request, as a CDN holds them: compressing a file on its first request would time this server, not
    the site."""
    ports: multiprocessing.Queue = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve_forever, args=(site, ports), daemon=True)
    process.start()
    return process, f"http://127.0.0.1:{ports.get(timeout=600)}/"


def _serve_forever(site: Path, ports: multiprocessing.Queue) -> None:
    texts = [path for path in sorted(site.rglob("*")) if path.suffix in COMPRESSED and path.is_file()]
    GzipHandler.compressed = {path.resolve(): gzip.compress(path.read_bytes(), compresslevel=6)
                              for path in texts}
    server = CdnLikeServer(("127.0.0.1", 0), functools.partial(GzipHandler, directory=str(site)))
    ports.put(server.server_port)
    server.serve_forever()


def measure(browser, base: str, engine: str, first: str = FIRST_QUERY, later_queries: list[str] = LATER_QUERIES
            ) -> dict:
    """One fresh page: the first result's time and the later queries' times, with no listener on the
    page's requests (the driver's network events cost the page tens of milliseconds)."""
    spec = ENGINES[engine]
    context, page = _open_search(browser, base, engine, query=first)
    first_ms = page.evaluate("window.__firstResult")
    page.wait_for_load_state("networkidle")
    later = [(page.evaluate(TYPE_QUERY, [spec["result"], spec["input"], query]), query)
             for query in later_queries]
    context.close()
    return {"first_ms": first_ms, "later_ms": later}


def _open_search(browser, base: str, engine: str, on_request_finished=None, query: str = FIRST_QUERY):
    """A fresh context (empty cache) on the search page with the first query, once its first result shows."""
    spec = ENGINES[engine]
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(f"window.__resultSelector = {spec['result']!r};" + WATCH)
    if on_request_finished is not None:
        page.on("requestfinished", on_request_finished)
    page.goto(base + spec["path"].format(q=query.replace(" ", "+")))
    page.wait_for_function("window.__firstResult !== null", timeout=180_000)
    return context, page


def transferred_before_first_result(browser, base: str, engine: str, query: str = FIRST_QUERY) -> int:
    """Bytes of every response finished before the first result (compressed bodies and headers, workers
    included), from a page of its own."""
    finished = []
    context, page = _open_search(browser, base, engine, lambda request: finished.append(request), query)
    first_ms, origin = page.evaluate("[window.__firstResult, performance.timeOrigin]")
    transferred = 0
    for request in finished:
        timing = request.timing
        if timing["startTime"] + timing["responseEnd"] <= origin + first_ms:
            sizes = request.sizes()
            transferred += sizes["responseBodySize"] + sizes["responseHeadersSize"]
    context.close()
    return transferred


def known_items(site: Path, count: int) -> list[tuple[str, str]]:
    """(query, URL of the paper it should find) for ``RELEVANCE_QUERIES`` papers of the site."""
    import gzip
    import json

    papers = json.loads(gzip.decompress((site / "papers.json.gz").read_bytes()))["papers"]
    if count == INSPEC_COUNT:
        by_title = {p["title"]: p for p in papers}
        keys = {}
        for path in inspec_docs():
            title, _ = inspec_paper(path)
            found = [k.strip() for k in (INSPEC / "keys" / f"{path.stem}.key").read_text(
                encoding="utf-8", errors="replace").splitlines() if 2 <= len(k.split()) <= 3]
            if title in by_title and found:
                keys[paper_url(by_title[title])] = found[0]
        pairs = [(query, url) for url, query in sorted(keys.items())]
    else:
        pairs = [(_query_of(p), paper_url(p)) for p in sorted(papers, key=lambda p: p["id"])]
    random.Random(11).shuffle(pairs)
    return pairs[:RELEVANCE_QUERIES]


def paper_url(paper: dict) -> str:
    """A paper's page, as papers.json.gz's id gives it."""
    return f"papers/{paper['id']}/"


def _query_of(paper: dict) -> str:
    phrase = next((k for k in paper["keywords"] if 2 <= len(k.split()) <= 3), None)
    return phrase or " ".join(re.findall(r"[\w-]+", paper["title"])[:3])


def relevance(browser, base: str, engine: str, items: list[tuple[str, str]]) -> tuple[float, float]:
    """MRR@10 and hits@10 of each paper for its query, typed into the engine's page one after another."""
    spec = ENGINES[engine]
    context, page = _open_search(browser, base, engine)
    page.wait_for_load_state("networkidle")
    reciprocal, hits = [], 0
    for query, url in items:
        links = page.evaluate(NEXT_RESULTS, [spec["input"], spec["links"], query, 4000])
        paths = [urlparse(link).path.lstrip("/").removesuffix("index.html") for link in links]
        rank = next((n for n, path in enumerate(paths[:TOP], start=1) if path == url), None)
        reciprocal.append(1 / rank if rank else 0.0)
        hits += rank is not None
    context.close()
    return statistics.mean(reciprocal), hits / len(items)


@contextlib.contextmanager
def chromium(runs: str, columns: str):
    """Headless Chromium for one benchmark, after the machine line (with what ``runs``) and the header."""
    from playwright.sync_api import sync_playwright

    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} CPUs, Chromium headless, {runs}")
    print(columns)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def served(site: Path):
    """The address of ``site``, served on localhost while the block runs."""
    server, base = serve(site)
    try:
        yield base
    finally:
        server.terminate()


def main_relevance(engines: list[str]) -> None:
    with chromium(f"{RELEVANCE_QUERIES} known-item queries per corpus",
                  f"{'corpus':<8} {'search':<9} {'MRR@10':>7} {'hits@10':>8}") as browser:
        for count, name in ((605, "seeds"), (INSPEC_COUNT, "Inspec")):
            items = known_items(build(count, "digest"), count)
            for engine in engines:
                with served(build(count, engine)) as base:
                    mrr, hits = relevance(browser, base, engine, items)
                print(f"{name:<8} {engine:<9} {mrr:>7.3f} {hits:>8.1%}", flush=True)


def collection_site(folder: Path, engine: str) -> tuple[Path, dict[tuple[str, int], str]]:
    """The collection in ``folder`` built as a digest (or with Pagefind), and its dump lines' doc ids."""
    work = WORK / folder.name
    lines_of = write_dumps(read_collection(folder), work / "dumps")
    site = work / engine / "site"
    if (site / "index.html").exists():
        return site, lines_of
    if engine == "pagefind":
        return pagefind_site(collection_site(folder, "digest")[0], site), lines_of
    shutil.rmtree(work / "project", ignore_errors=True)
    settings = {"cache_dir": str(work / "cache"), "dumps": [str(work / "dumps")]}
    config_file = new_project(work / "project", settings)
    return build_site(config_file, out=site), lines_of


def reference_rankings(collection, papers: list[dict], docs_of: dict[str, list[str]], cache_dir: Path
                       ) -> dict[str, list[list[list[str]]]]:
    """Each query's top ten (each a list of doc ids) by the Python references: BM25 over the documents,
    and the model's cosine over the built papers' own embeddings."""
    import numpy as np

    from generator.analysis.cache import EmbeddingStore
    from generator.analysis.engines.encoders import encoder_for
    from generator.analysis.keyphrases import paper_text
    from generator.config import KeyphraseSettings
    from generator.records import Paper

    texts = [f"{d['title']} {d['text']}" for d in collection.docs]
    tops = bm25_top(texts, [q["text"] for q in collection.queries])
    bm25 = [[[collection.docs[n]["id"]] for n in top] for top in tops]
    settings = KeyphraseSettings()
    store = EmbeddingStore(cache_dir, settings.model)
    records = [Paper(id=p["id"], title=p["title"], abstract=p["abstract"], sightings=[],
                     title_raw=p.get("title_raw", ""), abstract_raw=p.get("abstract_raw", ""),
                     untitled=p.get("untitled", False)) for p in papers]
    vectors = np.vstack([store.get(paper_text(r)) if store.get(paper_text(r)) is not None
                         else store.get(r.abstract_raw or r.abstract) for r in records]).astype(np.float32)
    queries = encoder_for(settings).encode([q["text"] for q in collection.queries])
    dense = [[docs_of[papers[n]["id"]] for n in np.argsort(-row, kind="stable")[:TOP]]
             for row in queries @ vectors.T]
    return {"BM25 (Python)": bm25, "MiniLM dense (Python)": dense}


def main_collections(folders: list[Path]) -> None:
    with chromium("every judged query of each collection, typed into each search page",
                  f"{'collection':<12} {'search':<22} {'nDCG@10':>8} {'recall@10':>10} {'no result':>10}"
                  ) as browser:
        for folder in folders:
            collection = read_collection(folder)
            site, lines_of = collection_site(folder, "digest")
            papers = json.loads(gzip.decompress((site / "papers.json.gz").read_bytes()))["papers"]
            docs_of = paper_docs(papers, lines_of)
            docs_at = {paper_url(p): docs_of[p["id"]] for p in papers}
            rankings = {}
            for engine in ("digest", "pagefind"):
                with served(collection_site(folder, engine)[0]) as base:
                    rankings[engine] = [[docs_at.get(path, []) for path in top]
                                        for top in ranked_paths(browser, base, engine, collection.queries)]
            rankings.update(reference_rankings(collection, papers, docs_of, WORK / folder.name / "cache"))
            for engine, ranked in rankings.items():
                judged = [collection.judgments[q["id"]] for q in collection.queries]
                ndcg = statistics.mean(ndcg_at_10(r, j) for r, j in zip(ranked, judged, strict=True))
                recall = statistics.mean(recall_at_10(r, j) for r, j in zip(ranked, judged, strict=True))
                empty = sum(not r for r in ranked) / len(ranked)
                print(f"{collection.name:<12} {engine:<22} {ndcg:>8.3f} {recall:>10.3f} {empty:>10.1%}",
                      flush=True)


def ranked_paths(browser, base: str, engine: str, queries: list[dict]) -> list[list[str]]:
    """The paths of the top ten papers of each query, typed into the engine's page one after another."""
    spec = ENGINES[engine]
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + spec["path"].split("?")[0])
    page.wait_for_load_state("networkidle")
    found = []
    for query in queries:
        links = page.evaluate(NEXT_RESULTS, [spec["input"], spec["links"], query["text"], 3000])
        found.append([urlparse(link).path.lstrip("/").removesuffix("index.html") for link in links[:TOP]])
    context.close()
    return found


def main() -> None:
    arguments = sys.argv[1:]
    engines = list(ENGINES)
    if "--engines" in arguments:
        at = arguments.index("--engines")
        engines = arguments[at + 1].split(",")
        del arguments[at:at + 2]
    if arguments[:1] == ["--relevance"]:
        main_relevance(engines)
        return
    if arguments[:1] == ["--collection"]:
        main_collections([Path(folder) for folder in arguments[1:]])
        return
    if arguments[:1] == ["--turns"]:
        main_turns(int(arguments[1]), engines, [int(a) for a in arguments[2:]] or [5000])
        return
    counts = [int(a) for a in arguments] or [605, 5000, 20000]
    with chromium("gzip server on localhost",
                  f"{'papers':>6} {'search':<19} {'first result':>13} {'transferred':>12} {'later queries':>22}"
                  ) as browser:
        for count in counts:
            for engine in engines:
                timed = [("keywords", FIRST_QUERY, LATER_QUERIES)]
                if engine == "digest":
                    timed.append(("questions", FIRST_QUESTION, LATER_QUESTIONS))
                with served(build(count, engine)) as base:
                    for kind, first, later in timed:
                        print_timings(count, engine if kind == "keywords" else f"{engine}, questions",
                                      *time_search(browser, base, engine, first, later))


def main_turns(turns: int, engines: list[str], counts: list[int]) -> None:
    with chromium(f"gzip server on localhost, {turns} loads of each engine in turn",
                  f"{'papers':>6} {'search':<19} {'first result: median':>21} {'quartiles':>16}") as browser:
        for count in counts:
            with contextlib.ExitStack() as stack:
                bases = {engine: stack.enter_context(served(build(count, engine))) for engine in engines}
                times: dict[str, list[float]] = {engine: [] for engine in engines}
                for _ in range(turns):
                    for engine, base in bases.items():
                        context, page = _open_search(browser, base, engine)
                        times[engine].append(page.evaluate("window.__firstResult"))
                        context.close()
            for engine, values in times.items():
                low, middle, high = statistics.quantiles(values, n=4)
                print(f"{count:>6} {engine:<19} {middle:>18.0f} ms {low:>8.0f}–{high:.0f} ms", flush=True)


def time_search(browser, base: str, engine: str, first: str, later: list[str]) -> tuple[int, list[dict]]:
    """Bytes before the first result, and ``REPEATS`` fresh pages' timings, the fastest first."""
    transferred = transferred_before_first_result(browser, base, engine, first)
    runs = sorted((measure(browser, base, engine, first, later) for _ in range(REPEATS)),
                  key=lambda run: run["first_ms"])
    return transferred, runs


def print_timings(count: int, label: str, transferred: int, runs: list[dict]) -> None:
    middle = runs[len(runs) // 2]
    later = [timed for run in runs for timed in run["later_ms"]]
    slowest_ms, slowest = max(later)
    median = statistics.median(ms for ms, _ in later)
    print(f"{count:>6} {label:<19} {middle['first_ms']:>10.0f} ms {transferred / 1e6:>9.2f} MB "
          f"{median:>8.0f} ms median, {slowest_ms:>5.0f} ms max ({slowest})", flush=True)


if __name__ == "__main__":
    main()
