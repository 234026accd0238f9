/* Scoring from the postings of search/index.json (generator/publish/search.py), by lunr's formulas:
 * each term's element of a paper's field vector is BM25 with the field's boost, to three decimals
 * (lunr.Builder.createFieldVectors), and a paper's score is the dot product of lunr's query vector with
 * its field vectors, over the query vector's length (lunr.Index.query). Only the postings of the query's
 * terms are read, and only the candidates are scored. BM25's k1 and b come with the index. */

import { textNumbers } from "./postings.js";

export function makeScorer(data) {
  const fields = data.fields.map((f) => f[0]);
  /* For each field, each term's gaps between paper numbers (a gap 0 repeats a paper: one more occurrence). */
  const postings = Object.fromEntries(fields.map((name) => [name, data.postings[name].map(textNumbers)]));
  const papers = data.papers, terms = data.terms, documentsWithTerm = new Int32Array(terms.length);
  const { k1, b } = data.bm25;
  const lengths = fields.map((name) => {
    const counts = new Int32Array(papers);
    let total = 0;
    postings[name].forEach((gaps, t) => {
      for (let k = 0, n = 0; k < gaps.length; k++) {
        n += gaps[k];
        counts[n] += 1;
        if (k === 0 || gaps[k] !== 0) documentsWithTerm[t] += 1;
      }
      total += gaps.length;
    });
    return { of: counts, average: total / Math.max(papers, 1) };
  });
  const termNumbers = Object.create(null);
  terms.forEach((term, t) => { termNumbers[term] = t; });

  function idf(t) {
    const x = (papers - documentsWithTerm[t] + 0.5) / (documentsWithTerm[t] + 0.5);
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

  /* Papers holding a word in any field (a mark per paper): its stem, and with ``prefix`` every term the
   * word begins. */
  function papersWith(w, prefix) {
    const found = new Uint8Array(papers);
    const add = (t) => {
      for (const name of fields) {
        const gaps = postings[name][t];
        for (let k = 0, n = 0; k < gaps.length; k++) { n += gaps[k]; found[n] = 1; }
      }
    };
    if (w.stem in termNumbers) add(termNumbers[w.stem]);
    if (prefix) termsWithPrefix(w.word).forEach(add);
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
      fields.forEach((name, f) => {
        const gaps = postings[name][t];
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

  return { data, fields, postings, papers, terms, termNumbers, lengths, element, termsWithPrefix, papersWith,
    scoreOnly };
}
