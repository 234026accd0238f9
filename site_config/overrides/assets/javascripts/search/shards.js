/* The files of search/ beyond the index: abstract postings (one file per hash of a stem), paper titles
 * and summaries (a small digest's in one file each) and facets, each fetched once. */

import { textNumbers } from "./postings.js";

export function makeLoader(dataUrl, layout) {
  const cache = new Map(), forResults = new Map();

  /* A file of search/, fetched once. ``forResult`` files (titles and summaries of the results shown) can
   * be cancelled by cancelResults. */
  function fetchJson(path, forResult = false, priority = "high") {
    if (!cache.has(path)) {
      const controller = forResult ? new AbortController() : null;
      const request = fetch(new URL(path, dataUrl), { priority, signal: controller?.signal })
        .then((response) => {
          if (!response.ok) throw new Error(path + ": HTTP " + response.status);
          return response.json();
        });
      cache.set(path, request);
      if (controller) {
        forResults.set(path, controller);
        const settled = () => { if (forResults.get(path) === controller) forResults.delete(path); };
        request.then(settled, settled);
      }
    }
    return cache.get(path);
  }

  /* Stops the title and summary files still loading for the results a new query replaces, so that the
   * new query's own files do not queue behind them for a connection; they are fetched again if needed. */
  function cancelResults() {
    forResults.forEach((controller, path) => {
      controller.abort();
      cache.delete(path);
    });
    forResults.clear();
  }

  /* Abstract scores of one word's stem, from its shard: the gap to each paper's number, then its score. */
  function abstractScores(w) {
    const file = "abstracts/" + shardOf(w.stem, layout.abstract_shards) + ".json";
    return fetchJson(file).catch(() => ({})).then((shard) => {
      const found = new Map(), entry = textNumbers(shard[w.stem] || "");
      for (let k = 0, number = 0; k < entry.length; k += 2) {
        number += entry[k];
        found.set(number, entry[k + 1] / layout.abstract_scale);
      }
      return found;
    });
  }

  function paperShard(number) {
    return fetchJson("papers/" + Math.floor(number / layout.papers_per_shard) + ".json", true);
  }

  /* The one-sentence summaries of the same papers as paperShard(number): shown until a snippet loads. */
  function summaryShard(number) {
    return fetchJson("summaries/" + Math.floor(number / layout.papers_per_shard) + ".json", true);
  }

  /* Every file under ``prefix`` at once, from ``combined`` (the files in order, which the build writes
   * for a digest small enough), requested once the first results show so that no later query waits for
   * one; a file a query asked for already stays. */
  function prefetchAll(combined, prefix) {
    fetchJson(combined, false, "low").then((files) => files.forEach((file, n) => {
      const path = prefix + n + ".json";
      if (!cache.has(path)) cache.set(path, Promise.resolve(file));
    }), () => {});
  }

  return { fetchJson, abstractScores, paperShard, summaryShard, prefetchAll, cancelResults };
}

/* The abstract shard of a term: FNV-1a of its UTF-8 bytes, as generator/publish/search.py computes it. */
export function shardOf(term, shards) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % shards;
}
