/* Paper Digest search: the prebuilt index of generator/publish/search.py, searched in the page.
 *
 * search/index.json holds lunr's postings of title, keyphrases and topics; queries go through lunr's
 * pipeline and papers are scored by lunr's formulas straight from the postings of the query's terms
 * (scoring.js). Abstract postings, paper titles and paper pages (for snippets) are fetched only when a
 * query needs them (shards.js, render.js). */

import { bindKeyboard } from "./keyboard.js";
import { isPrefix, queryWords } from "./query.js";
import { makeRenderer } from "./render.js";
import { makeScorer } from "./scoring.js";
import { makeLoader, shardOf } from "./shards.js";
import { NAMES, ordered, readState, writeState } from "./state.js";

const PAGE_SIZE = 20;
const ABSTRACT_WEIGHT = 1;
const LIKELY_TITLES = 2;

const root = document.getElementById("digest-search");
if (root && typeof lunr !== "undefined") start(root);

function start(root) {
  const layout = JSON.parse(root.dataset.layout);
  const siteUrl = new URL(root.dataset.site, location.href);
  const loader = makeLoader(new URL(root.dataset.index, location.href), layout);
  const form = root.querySelector("form");
  const input = form.elements.q;
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const renderer = makeRenderer();

  const ready = Promise.all([loader.fetchJson("index.json"), loader.fetchJson("facets.json")])
    .then(([index, facets]) => ({
      scorer: makeScorer(index, (chunk) => loader.fetchJson("index/" + chunk + ".json")),
      facets,
    }));
  if (layout.prefetch) loader.fetchJson("papers/0.json");

  /* Papers holding every word (in a main field or the abstract), scored by lunr over the main fields
   * plus each word's abstract score. Abstract shards are requested at once, while the index may still
   * be loading. */
  function scoreAll(words) {
    let abstractsIn = false;
    const fromAbstracts = Promise.all(words.map(loader.abstractScores)).then((perWord) => {
      abstractsIn = true;
      return perWord;
    });
    const prefixes = words.map((_, i) => isPrefix(words, i));
    return ready.then(({ scorer, facets }) => scorer.load(words, prefixes).then(() => {
      const holders = words.map((w, i) => scorer.papersWith(w, prefixes[i]));
      if (!abstractsIn && !layout.prefetch) requestLikelyTitles(scorer, facets, words, holders);
      return fromAbstracts.then((perWord) => {
        perWord.forEach((found, k) => found.forEach((_, n) => { holders[k][n] = 1; }));
        const candidates = inEvery(holders);
        const total = scorer.scoreOnly(words, isPrefix(words, words.length - 1), candidates);
        for (const n of candidates) {
          let sum = total.get(n) || 0;
          for (const found of perWord) sum += ABSTRACT_WEIGHT * (found.get(n) || 0);
          total.set(n, sum);
        }
        return total;
      });
    }));
  }

  /* While abstract postings load, the title files of the papers likely to come first (ranked by their
   * main fields alone) are requested, so that the first results do not wait for a second request. */
  function requestLikelyTitles(scorer, facets, words, holders) {
    const scores = scorer.scoreOnly(words, isPrefix(words, words.length - 1), inEvery(holders));
    ordered(form, facets, scores).slice(0, LIKELY_TITLES).forEach((hit) => loader.paperShard(hit[0]));
  }

  let run = 0, shown = [], facets = null, prefetched = false;

  function search() {
    const current = ++run;
    loader.cancelResults();
    const text = input.value.trim();
    const words = queryWords(text);
    if (!words.length) {
      writeState(form);
      list.replaceChildren();
      more.hidden = true;
      status.textContent = text ? "Only common words: type a more specific word." : status.dataset.idle;
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    performance.mark("digest-search:query");
    renderer.startQuery(words);
    return scoreAll(words).then((scores) => ready.then((loaded) => {
      if (current !== run) return;
      performance.mark("digest-search:scored");
      facets = loaded.facets;
      shown = ordered(form, facets, scores);
      list.replaceChildren();
      status.textContent = shown.length === 0 ? "No paper matches." :
        shown.length === 1 ? "1 paper matches." : shown.length + " papers match.";
      return showMore(current);
    })).catch((error) => {
      if (current === run) status.textContent = "Search is unavailable: " + error.message;
    }).then(() => {
      /* The address follows the query once its results show: Chromium asks for the favicon again on
       * each change of address, a request that would compete with the query's own files. */
      if (current === run) writeState(form);
      renderer.endQuery();
    });
  }

  /* The next page of results, each shown as soon as its title shard and those before it are in. The
   * other results' shards are requested once the first one's is in, so none competes with it. A newer
   * query cancels the files still loading (loader.cancelResults): this page's then stops quietly. */
  function showMore(current) {
    const first = list.children.length, page = shown.slice(first, first + PAGE_SIZE);
    more.hidden = first + page.length >= shown.length;
    const leading = page.length ? loader.paperShard(page[0][0]) : Promise.resolve();
    const shards = page.map((hit, k) => (k === 0 ? leading : leading.then(() => loader.paperShard(hit[0]))));
    shards.forEach((shard) => shard.catch(() => {}));
    const shownAll = page.reduce((previous, hit, k) => previous.then(() => shards[k]).then((shard) => {
      if (current !== run) return;
      const [title, url] = shard[hit[0] % layout.papers_per_shard];
      const summary = loader.summaryShard(hit[0]).then((s) => s[hit[0] % layout.papers_per_shard], () => "");
      list.appendChild(renderer.resultItem(facets, hit[0], title, new URL(url, siteUrl), summary));
      if (first === 0 && k === 0) {
        performance.mark("digest-search:results");
        if (!prefetched) {
          prefetched = true;
          if (layout.prefetch) loader.prefetchAbstracts();
          if (layout.prefetch_index) ready.then(({ scorer }) => scorer.loadAll()).catch(() => {});
        }
      }
    }), Promise.resolve());
    return shownAll.catch((error) => { if (current === run) throw error; });
  }

  status.dataset.idle = status.textContent;
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  input.addEventListener("input", search);
  for (const name of NAMES.slice(1)) {
    if (form.elements[name]) form.elements[name].addEventListener("change", search);
  }
  more.addEventListener("click", () => showMore(run));
  bindKeyboard(input, list);
  readState(form);
  if (input.value.trim()) search();
  /* What the tests check against lunr's own index (tests/js/lunr_index.js). */
  window.digestSearch = { shardOf, queryWords, isPrefix, ready };
}

function inEvery(holders) {
  const found = [];
  for (let n = 0; n < holders[0].length; n++) {
    if (holders.every((marks) => marks[n])) found.push(n);
  }
  return found;
}
