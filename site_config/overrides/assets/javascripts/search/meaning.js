/* Ranking by meaning: the query encoder of generator/analysis/query_encoder.py, run in the page.
 *
 * A query's vector is the sum of its terms' vectors (search/meaning/terms/N.json, one file per term's
 * hash, each vector signed bytes times a scale, the term's rarity included); a paper's score is the
 * cosine of that vector with the paper's own (search/meaning/papers.bin: signed bytes, ``dims`` a
 * paper). Nothing is fetched until a query asks for meaning; each file is fetched once. */

import { shardOf } from "./shards.js";

export function makeMeaning(dataUrl, layout) {
  const spec = layout.meaning;
  let papers = null;
  const termFiles = new Map();

  /* Each paper's vector, and one over its length (cosines need no division per query). */
  function paperVectors() {
    if (!papers) {
      papers = fetch(new URL("meaning/papers.bin", dataUrl), { priority: "high" }).then((response) => {
        if (!response.ok) throw new Error("meaning/papers.bin: HTTP " + response.status);
        return response.arrayBuffer();
      }).then((buffer) => {
        const codes = new Int8Array(buffer), count = codes.length / spec.dims;
        const inverse = new Float32Array(count);
        for (let n = 0, at = 0; n < count; n++) {
          let sum = 0;
          for (let d = 0; d < spec.dims; d++, at++) sum += codes[at] * codes[at];
          inverse[n] = sum > 0 ? 1 / Math.sqrt(sum) : 0;
        }
        return { codes, inverse, count };
      });
      papers.catch(() => { papers = null; });
    }
    return papers;
  }

  function termFile(number) {
    if (!termFiles.has(number)) {
      const request = fetch(new URL("meaning/terms/" + number + ".json", dataUrl), { priority: "high" })
        .then((response) => {
          if (!response.ok) throw new Error("meaning/terms/" + number + ".json: HTTP " + response.status);
          return response.json();
        });
      termFiles.set(number, request);
      request.catch(() => termFiles.delete(number));
    }
    return termFiles.get(number);
  }

  /* A term's vector (its rarity included), or null for a term no paper holds. */
  function termVector(stem) {
    return termFile(shardOf(stem, spec.term_shards)).then((file) => {
      const entry = Object.prototype.hasOwnProperty.call(file, stem) ? file[stem] : null;
      if (!entry) return null;
      const [scale, text] = entry, bytes = atob(text), vector = new Float32Array(bytes.length);
      for (let d = 0; d < bytes.length; d++) vector[d] = ((bytes.charCodeAt(d) << 24) >> 24) * scale;
      return vector;
    });
  }

  /* Every paper's cosine with the query made of ``words`` (each word's stem, once per occurrence), or
   * null when none of its words is known. */
  function cosines(words) {
    return Promise.all([paperVectors(), ...words.map((w) => termVector(w.stem))]).then(([vectors, ...terms]) => {
      const query = new Float32Array(spec.dims);
      let known = false;
      for (const vector of terms) {
        if (!vector) continue;
        known = true;
        for (let d = 0; d < spec.dims; d++) query[d] += vector[d];
      }
      if (!known) return null;
      const scores = new Float32Array(vectors.count), { codes, inverse } = vectors;
      for (let n = 0, at = 0; n < vectors.count; n++) {
        let dot = 0;
        for (let d = 0; d < spec.dims; d++, at++) dot += codes[at] * query[d];
        scores[n] = dot * inverse[n];
      }
      let length = 0;
      for (let d = 0; d < spec.dims; d++) length += query[d] * query[d];
      length = Math.sqrt(length);
      for (let n = 0; n < scores.length; n++) scores[n] /= length;
      return scores;
    });
  }

  return {
    enabled: Boolean(spec),
    cosines,
    /* The paper vectors, requested ahead (after a keyword query's first results), so a question that
     * follows waits only for its term files. */
    prefetch() { if (spec) paperVectors().catch(() => {}); },
  };
}
