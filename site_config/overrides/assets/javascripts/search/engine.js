/* The search itself, apart from the page: the prebuilt index of generator/publish/search.py read and
 * scored by lunr's formulas (scoring.js), abstract postings, titles and summaries fetched only when a
 * query needs them (shards.js), and meaning (meaning.js). It reads no form and draws nothing: main.js
 * does, with what it finds. */

import { isPrefix, queryWords, spokenWords } from "./query.js";
import { makeScorer } from "./scoring.js";
import { makeMeaning } from "./meaning.js";
import { makeLoader } from "./shards.js";
import { inSorted, ordered } from "./state.js";

const ABSTRACT_WEIGHT = 1;
const LIKELY_TITLES = 2;
/* How words and meaning combine, chosen on the development collections (docs/search.md). */
const COVERAGE_POWER = 1;
const QUESTION_WORDS = 4;
const FEW_MATCHES = 5;
const CLOSE_PAPERS = 100;
const MEANING_WEIGHT = 2;
const HOLDS_EVERY_WORD = 1000;

export function makeEngine(dataUrl, layout) {
  const loader = makeLoader(dataUrl, layout);
  const meaning = makeMeaning(dataUrl, layout);
  const ready = Promise.all([loader.fetchJson("index.json"), loader.fetchJson("facets.json")])
    .then(([index, facets]) => ({
      scorer: makeScorer(index, (chunk) => loader.fetchJson("index/" + chunk + ".json")),
      facets,
    }));
  ready.catch(() => {});
  if (layout.prefetch) loader.fetchJson("papers/0.json").catch(() => {});
  let prefetched = false;

  /* Every paper holding a word of the query (in a main field or the abstract), scored by lunr over the
   * main fields plus each word's abstract score, times the share of the query's weight (each word's
   * BM25 idf) the paper holds: a paper with more of the words, or the rarer ones, comes
   * first. A keyword query lists the papers holding every word, as lunr would. A question
   * (QUESTION_WORDS or more words, as a reader counts them: spokenWords), or a query that fewer than
   * FEW_MATCHES papers match in every word, lists those and the papers that come closest in words and
   * meaning (meaning.js): a question requests its term and paper vectors at once, while the index may
   * still be loading. Returns the scores of the papers to list, those holding every word, and whether
   * meaning ranked them. */
  function scoreAll(words, state) {
    let abstractsIn = false;
    const fromAbstracts = Promise.all(words.map(loader.abstractScores)).then((perWord) => {
      abstractsIn = true;
      return perWord;
    });
    const question = spokenWords(state.q) >= QUESTION_WORDS;
    const early = question && meaning.enabled ? meaning.cosines(words) : null;
    if (early) early.catch(() => {});
    const prefixes = words.map((_, i) => isPrefix(words, i));
    return ready.then(({ scorer, facets }) => scorer.load(words, prefixes).then(() => {
      const holders = words.map((w, i) => scorer.papersWith(w, prefixes[i]));
      if (!abstractsIn && !layout.prefetch) requestLikelyTitles(scorer, facets, words, holders, state);
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
  function requestLikelyTitles(scorer, facets, words, holders, state) {
    const scores = scorer.scoreOnly(words, isPrefix(words, words.length - 1), inEvery(holders));
    ordered(state, facets, scores).slice(0, LIKELY_TITLES).forEach((hit) => loader.paperShard(hit[0]));
  }

  /* What a query (``state``: its text and filters, state.js) finds: its words (with their stems, for
   * marking them), the hits in the order asked for ([paper number, score]), how many of them hold every
   * word, and whether meaning ranked them. A query of only common words has no words. The title and
   * summary files the previous query's results still waited for are dropped. */
  function search(state) {
    loader.cancelResults();
    const words = queryWords(state.q);
    if (!words.length) return Promise.resolve({ words, hits: [], full: 0, meaning: false });
    return scoreAll(words, state).then((found) => ready.then(({ facets }) => {
      const hits = ordered(state, facets, found.scores), every = new Set(found.every);
      const full = hits.filter((hit) => every.has(hit[0])).length;
      return { words, hits, full, meaning: found.meaning };
    }));
  }

  /* A result as a page draws it: its number, title, address (relative to the site), date, upvotes,
   * whether it has code, and its topics' labels; once its title file is in. */
  function result(number) {
    return Promise.all([loader.paperShard(number), ready]).then(([shard, { facets }]) => {
      const [title, url] = shard[number % layout.papers_per_shard];
      return { number, title, url, date: facets.dates[number], upvotes: facets.upvotes[number],
        code: inSorted(facets.code, number), topics: facets.paper_topics[number].map((t) => facets.topics[t]) };
    });
  }

  /* The one-sentence summary of paper ``number`` ("" when its file fails). */
  function summary(number) {
    return loader.summaryShard(number).then((s) => s[number % layout.papers_per_shard], () => "");
  }

  /* Once a first query's results show: the abstract postings, the titles, the whole main index and the
   * paper vectors of a digest small enough (layout, generator/publish/search.py), so that later queries
   * wait for no request. */
  function prefetch() {
    if (prefetched) return;
    prefetched = true;
    if (layout.prefetch_abstracts) loader.prefetchAll("abstracts.json", "abstracts/");
    if (layout.prefetch_titles) loader.prefetchAll("titles.json", "papers/");
    if (layout.prefetch_index) {
      ready.then(({ scorer }) => scorer.loadAll()).catch(() => {});
      meaning.prefetch();
    }
  }

  return { ready, meaning, search, result, summary, prefetch };
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
