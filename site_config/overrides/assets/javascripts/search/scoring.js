/* Scoring from the postings of search/index.json (generator/publish/search.py), by lunr's formulas:
 * each term's element of a paper's field vector is BM25 with the field's boost, to three decimals
 * (lunr.Builder.createFieldVectors), and a paper's score is the dot product of lunr's query vector with
 * its field vectors, over the query vector's length (lunr.Index.query). Only the postings of the query's
 * terms are read, and only the candidates are scored. BM25's k1 and b come with the index.
 *
 * A large digest's postings are in runs of consecutive terms (search/index/N.json): ``load`` fetches
 * those a query's words reach, with ``fetchChunk``, before papersWith and scoreOnly read them. */

import { textNumbers } from "./postings.js";

export function makeScorer(data, fetchChunk) {
  const fields = data.fields.map((f) => f[0]);
  const papers = data.papers, terms = data.terms, starts = data.chunks || [0];
  const { k1, b } = data.bm25;
  const lengths = fields.map((name) => {
    const of = Int32Array.from(textNumbers(data.lengths[name]));
    return { of, average: of.reduce((sum, n) => sum + n, 0) / Math.max(papers, 1) };
  });
  const termNumbers = Object.create(null);
  terms.forEach((term, t) => { termNumbers[term] = t; });
  /* For each term in hand: per field, its gaps between paper numbers (a gap 0 repeats a paper: one more
   * occurrence); and the number of postings that open a paper, lunr's count for idf. */
  const postings = new Map(), documentsWithTerm = new Map(), chunks = new Map();

  function addTerms(start, perField) {
    const count = perField[fields[0]].length;
    for (let k = 0; k < count; k++) {
      let documents = 0;
      const lists = fields.map((name) => {
        const gaps = textNumbers(perField[name][k]);
        for (let i = 0; i < gaps.length; i++) if (i === 0 || gaps[i] !== 0) documents += 1;
        return gaps;
      });
      postings.set(start + k, lists);
      documentsWithTerm.set(start + k, documents);
    }
  }
  if (data.postings) {
    addTerms(0, data.postings);
    chunks.set(0, Promise.resolve());
  }

  function chunkOf(t) {
    let low = 0, high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= t) low = mid; else high = mid - 1;
    }
    return low;
  }

  function idf(t) {
    const count = documentsWithTerm.get(t) || 0;
    const x = (papers - count + 0.5) / (count + 0.5);
    return Math.log(1 + Math.abs(x));
  }

  /* A term's element of paper n's vector in field f, where the term occurs tf times. */
  function element(t, f, n, tf) {
    const norm = k1 * (1 - b + b * (lengths[f].of[n] / lengths[f].average));
    const score = idf(t) * ((k1 + 1) * tf) / (norm + tf) * data.fields[f][1];
    return Math.round(score * 1000) / 1000;
  }

  /* Numbers of the terms that begin with ``word`` (the terms are sorted). */
  function termsWithPrefix(word) {
    let low = 0, high = terms.length;
    const found = [];
    while (low < high) {
      const mid = (low + high) >> 1;
      if (terms[mid] < word) low = mid + 1; else high = mid;
    }
    for (let t = low; t < terms.length && terms[t].indexOf(word) === 0; t++) found.push(t);
    return found;
  }

  /* The terms a word reaches: its stem, and with ``prefix`` every term the word begins. */
  function termsOf(w, prefix) {
    const found = w.stem in termNumbers ? [termNumbers[w.stem]] : [];
    return prefix ? found.concat(termsWithPrefix(w.word)) : found;
  }

  /* Run c of the postings, fetched once. */
  function chunk(c) {
    if (!chunks.has(c)) chunks.set(c, fetchChunk(c).then((perField) => addTerms(starts[c], perField)));
    return chunks.get(c);
  }

  /* Fetches the postings the words reach that are not in hand yet; ``prefixes[i]``: word i is a prefix. */
  function load(words, prefixes) {
    const needed = new Set();
    words.forEach((w, i) => termsOf(w, prefixes[i]).forEach((t) => needed.add(chunkOf(t))));
    return Promise.all([...needed].map(chunk));
  }

  /* Every run of postings (a digest small enough to hold them all once its first results show). */
  function loadAll() {
    return Promise.all(starts.map((_, c) => chunk(c)));
  }

  const none = fields.map(() => []);
  function postingsOf(t) {
    return postings.get(t) || none;
  }

  /* Papers holding a word in any field (a mark per paper): its stem, and with ``prefix`` every term the
   * word begins. */
  function papersWith(w, prefix) {
    const found = new Uint8Array(papers);
    for (const t of termsOf(w, prefix)) {
      for (const gaps of postingsOf(t)) {
        for (let k = 0, n = 0; k < gaps.length; k++) { n += gaps[k]; found[n] = 1; }
      }
    }
    return found;
  }

  /* lunr's score of each paper in ``candidates`` for the query made of each word's stem (boost 10) and
   * every term the last word begins (boost 1, with ``prefixLast``). */
  function scoreOnly(words, prefixLast, candidates) {
    const query = new Map(), add = (t, boost) => query.set(t, (query.get(t) || 0) + boost);
    words.forEach((w, i) => {
      if (w.stem in termNumbers) add(termNumbers[w.stem], 10);
      if (prefixLast && i === words.length - 1) termsWithPrefix(w.word).forEach((t) => add(t, 1));
    });
    let length = 0;
    query.forEach((boost) => { length += boost * boost; });
    length = Math.sqrt(length);
    const wanted = new Uint8Array(papers), sums = new Float64Array(papers), scores = new Map();
    candidates.forEach((n) => { wanted[n] = 1; });
    query.forEach((boost, t) => {
      postingsOf(t).forEach((gaps, f) => {
        for (let k = 0, n = 0; k < gaps.length;) {
          let tf = 1;
          n += gaps[k++];
          while (k < gaps.length && gaps[k] === 0) { tf += 1; k += 1; }
          if (wanted[n]) sums[n] += boost * element(t, f, n, tf);
        }
      });
    });
    candidates.forEach((n) => { if (sums[n] > 0) scores.set(n, sums[n] / length); });
    return scores;
  }

  return { data, fields, postingsOf, papers, terms, termNumbers, lengths, element, termsWithPrefix, load,
    loadAll, papersWith, scoreOnly };
}
