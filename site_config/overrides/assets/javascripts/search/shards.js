/* The files of search/ beyond the index: abstract postings (one file per hash of a stem), paper titles
 * and summaries (a small digest's in one file each) and facets, each fetched once. */

export function makeLoader(dataUrl, layout) {
  const cache = new Map();

  function fetchJson(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(new URL(path, dataUrl), { priority: "high" }).then((response) => {
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return response.json();
      }));
    }
    return cache.get(path);
  }

  /* Abstract scores of one word's stem, from its shard. */
  function abstractScores(w) {
    const file = "abstracts/" + shardOf(w.stem, layout.abstract_shards) + ".json";
    return fetchJson(file).catch(() => ({})).then((shard) => {
      const found = new Map(), entry = shard[w.stem];
      if (!entry) return found;
      for (let k = 0, number = 0; k < entry[0].length; k++) {
        number += entry[0][k];
        found.set(number, entry[1][k] / layout.abstract_scale);
      }
      return found;
    });
  }

  function paperShard(number) {
    return fetchJson("papers/" + Math.floor(number / layout.papers_per_shard) + ".json");
  }

  /* The one-sentence summaries of the same papers as paperShard(number): shown until a snippet loads. */
  function summaryShard(number) {
    return fetchJson("summaries/" + Math.floor(number / layout.papers_per_shard) + ".json");
  }

  /* A small digest's abstract files, requested once the first results show, so no later query waits. */
  function prefetchAbstracts() {
    for (let n = 0; n < layout.abstract_shards; n++) fetchJson("abstracts/" + n + ".json");
  }

  return { fetchJson, abstractScores, paperShard, summaryShard, prefetchAbstracts };
}

/* The abstract shard of a term: FNV-1a of its UTF-8 bytes, as generator/publish/search.py computes it. */
export function shardOf(term, shards) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(term)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return hash % shards;
}
