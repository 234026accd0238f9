/* Paper Digest search: the prebuilt index of generator/publish/search.py, searched in the page.
 *
 * search/index.json holds lunr's postings of title, keyphrases and topics; queries go through lunr's
 * pipeline and papers are scored by lunr's formulas straight from the postings of the query's terms
 * (scoring.js). Abstract postings, paper titles and paper pages (for snippets) are fetched only when a
 * query needs them (shards.js, render.js). */

import { bindKeyboard } from "./keyboard.js";
import { isPrefix, queryWords, spokenWords } from "./query.js";
import { makeRenderer } from "./render.js";
import { makeScorer } from "./scoring.js";
import { makeMeaning } from "./meaning.js";
import { makeLoader, shardOf } from "./shards.js";
import { NAMES, ordered, readState, writeState } from "./state.js";

const PAGE_SIZE = 20;
const ABSTRACT_WEIGHT = 1;
const LIKELY_TITLES = 2;
/* How words and meaning combine, chosen on the development collections (docs/search.md). */
const COVERAGE_POWER = 1;
const QUESTION_WORDS = 4;
const FEW_MATCHES = 5;
const CLOSE_PAPERS = 100;
const MEANING_WEIGHT = 2;
const HOLDS_EVERY_WORD = 1000;

const root = document.getElementById("digest-search");
if (root && typeof lunr !== "undefined") start(root);

function start(root) {
  const layout = JSON.parse(root.dataset.layout);
  const siteUrl = new URL(root.dataset.site, location.href);
  const dataUrl = new URL(root.dataset.index, location.href);
  const loader = makeLoader(dataUrl, layout);
  const meaning = makeMeaning(dataUrl, layout);
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

  /* Every paper holding a word of the query (in a main field or the abstract), scored by lunr over the
   * main fields plus each word's abstract score, times the share of the query's weight (each word's
   * BM25 idf) the paper holds: a paper with more of the words, or the rarer ones, comes
   * first. A keyword query lists the papers holding every word, as lunr would. A question
   * (QUESTION_WORDS or more words, as a reader counts them: spokenWords), or a query that fewer than FEW_MATCHES papers match in every word,
   * lists those and the papers that come closest in words and meaning (meaning.js): a question requests
   * its term and paper vectors at once, while the index may still be loading. Returns the scores of the
   * papers to list, those holding every word, and whether meaning ranked them. */
  function scoreAll(words, text) {
    let abstractsIn = false;
    const fromAbstracts = Promise.all(words.map(loader.abstractScores)).then((perWord) => {
      abstractsIn = true;
      return perWord;
    });
    const question = spokenWords(text) >= QUESTION_WORDS;
    const early = question && meaning.enabled ? meaning.cosines(words) : null;
    if (early) early.catch(() => {});
    const prefixes = words.map((_, i) => isPrefix(words, i));
    return ready.then(({ scorer, facets }) => scorer.load(words, prefixes).then(() => {
      const holders = words.map((w, i) => scorer.papersWith(w, prefixes[i]));
      if (!abstractsIn && !layout.prefetch) requestLikelyTitles(scorer, facets, words, holders);
      return fromAbstracts.then((perWord) => {
        perWord.forEach((found, k) => found.forEach((_, n) => { holders[k][n] = 1; }));
        const byWords = wordScores(scorer, words, holders, perWord, question);
        if (byWords.everyOnly) return { scores: byWords.scores, every: byWords.every, meaning: false };
        if (!meaning.enabled) return blended(byWords, null, question);
        return (early || meaning.cosines(words)).catch(() => null)
          .then((cosines) => blended(byWords, cosines, question));
      });
    }));
  }

  /* A keyword query that FEW_MATCHES papers or more match in every word scores those alone (everyOnly),
   * as it would without meaning: the papers holding only some words are not listed, so not scored. */
  function wordScores(scorer, words, holders, perWord, question) {
    const papers = holders[0].length, weights = holders.map((marks) => {
      let count = 0;
      for (let n = 0; n < papers; n++) count += marks[n];
      return Math.log(1 + (papers - count + 0.5) / (count + 0.5));
    });
    const total = weights.reduce((sum, w) => sum + w, 0), candidates = [], every = [], share = new Map();
    for (let n = 0; n < papers; n++) {
      let held = 0, all = true;
      for (let k = 0; k < holders.length; k++) {
        if (holders[k][n]) held += weights[k]; else all = false;
      }
      if (held > 0) {
        candidates.push(n);
        share.set(n, held / total);
        if (all) every.push(n);
      }
    }
    const everyOnly = !question && every.length >= FEW_MATCHES, scored = everyOnly ? every : candidates;
    const scores = scorer.scoreOnly(words, isPrefix(words, words.length - 1), scored);
    for (const n of scored) {
      let sum = scores.get(n) || 0;
      for (const found of perWord) sum += ABSTRACT_WEIGHT * (found.get(n) || 0);
      scores.set(n, sum * share.get(n) ** COVERAGE_POWER);
    }
    return { scores, every, all: new Set(every), everyOnly };
  }

  /* The papers holding every word and the CLOSE_PAPERS others that come closest, by the words' score
   * over its best plus MEANING_WEIGHT times the cosine over the best cosine. A keyword query (not a
   * question) lists the papers holding every word first, in the words' order, as it would without
   * meaning, then the others. */
  function blended(found, cosines, question) {
    const { scores: words, every, all } = found;
    let bestWords = 0, bestCosine = 0;
    words.forEach((score) => { if (score > bestWords) bestWords = score; });
    const closest = cosines ? topPapers(cosines, CLOSE_PAPERS) : [];
    if (cosines) for (const n of closest) bestCosine = Math.max(bestCosine, cosines[n]);
    const byWords = (n) => (words.get(n) || 0) / (bestWords || 1);
    const score = (n) => byWords(n) +
      (cosines && bestCosine > 0 ? MEANING_WEIGHT * Math.max(cosines[n], 0) / bestCosine : 0);
    const fused = new Map();
    for (const n of every) fused.set(n, question ? score(n) : HOLDS_EVERY_WORD + byWords(n));
    const others = [];
    words.forEach((_, n) => { if (!all.has(n)) others.push(n); });
    for (const n of closest) if (!words.has(n)) others.push(n);
    others.map((n) => [n, score(n)]).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, CLOSE_PAPERS)
      .forEach(([n, value]) => fused.set(n, value));
    return { scores: fused, every, meaning: Boolean(cosines) };
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
    return scoreAll(words, text).then((found) => ready.then((loaded) => {
      if (current !== run) return;
      performance.mark("digest-search:scored");
      facets = loaded.facets;
      shown = ordered(form, facets, found.scores);
      list.replaceChildren();
      status.textContent = statusText(shown, found);
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
          if (layout.prefetch_index) {
            ready.then(({ scorer }) => scorer.loadAll()).catch(() => {});
            meaning.prefetch();
          }
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
  window.digestSearch = { shardOf, queryWords, isPrefix, ready, meaning };
}

/* How many papers the list holds: those holding every word and those that come close. */
function statusText(shown, found) {
  const every = new Set(found.every), full = shown.filter((hit) => every.has(hit[0])).length;
  const close = shown.length - full, papers = (count) => (count === 1 ? "1 paper" : count + " papers");
  if (close === 0) {
    return full === 0 ? "No paper matches." : full === 1 ? "1 paper matches." : full + " papers match.";
  }
  const how = found.meaning ? "in part or in meaning" : "in part";
  return full === 0 ? `No paper matches every word; ${papers(close)} match ${how}.` :
    `${papers(full)} match${full === 1 ? "es" : ""} every word; ${close} more match ${how}.`;
}

/* The ``count`` papers with the highest scores, best first (ties: the earlier paper). */
function topPapers(scores, count) {
  const order = Array.from(scores.keys());
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  return order.slice(0, count);
}

function inEvery(holders) {
  const found = [];
  for (let n = 0; n < holders[0].length; n++) {
    if (holders.every((marks) => marks[n])) found.push(n);
  }
  return found;
}
