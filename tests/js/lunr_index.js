/* For the browser tests only: a lunr.Index over the page's own scorer (search/scoring.js), so that
 * lunr's query can be compared with the page's scores. lunr's term postings and field vectors are made
 * the first time lunr's query reaches them, from the postings and the scorer's field-vector elements
 * (every posting is in hand: the tests' digests are small enough to hold them in the index).
 * Injected by tests/test_browser.py; never shipped with a site. */

window.lunrIndexOf = function (scorer) {
  const { fields, postingsOf, papers, terms, termNumbers, lengths, element } = scorer;
  let forward = null;

  /* Each paper's terms in each field, for its field vectors. */
  function forwardIndex() {
    return fields.map((name, f) => {
      const starts = new Int32Array(papers + 1);
      for (let n = 0; n < papers; n++) starts[n + 1] = starts[n] + lengths[f].of[n];
      const next = starts.slice(0, papers), termsOf = new Int32Array(starts[papers]);
      terms.forEach((_, t) => {
        const gaps = postingsOf(t)[f];
        for (let k = 0, n = 0; k < gaps.length; k++) {
          n += gaps[k];
          termsOf[next[n]++] = t;
        }
      });
      return { starts, terms: termsOf };
    });
  }

  function fieldVector(ref) {
    const slash = ref.indexOf("/"), f = fields.indexOf(ref.slice(0, slash)), n = Number(ref.slice(slash + 1));
    forward = forward || forwardIndex();
    const own = forward[f], end = own.starts[n + 1], elements = [];
    for (let k = own.starts[n]; k < end;) {
      const t = own.terms[k];
      let tf = 0;
      while (k < end && own.terms[k] === t) { tf += 1; k += 1; }
      elements.push(t, element(t, f, n, tf));
    }
    return new lunr.Vector(elements);
  }

  const noMetadata = Object.freeze(Object.create(null));
  function posting(term) {
    const t = termNumbers[term], made = Object.create(null);
    made._index = t;
    for (const [f, name] of fields.entries()) {
      const holders = Object.create(null), gaps = postingsOf(t)[f];
      for (let k = 0, n = 0; k < gaps.length; k++) { n += gaps[k]; holders[n] = noMetadata; }
      made[name] = holders;
    }
    return made;
  }

  function lazy(make, keys) {
    return new Proxy(Object.create(null), {
      get: (target, key) => {
        if (typeof key !== "string") return undefined;
        return key in target ? target[key] : (target[key] = make(key));
      },
      ownKeys: keys,
      getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
    });
  }

  return new lunr.Index({
    invertedIndex: lazy(posting, () => terms.slice()),
    fieldVectors: lazy(fieldVector, () => fields.flatMap((name) => Array.from({ length: papers }, (_, n) => name + "/" + n))),
    tokenSet: lunr.TokenSet.fromArray(terms),
    fields,
    pipeline: lunr.Pipeline.load(["stemmer"]),
  });
};

/* The lunr query whose scores the page's scoreOnly gives for fewer papers: each word's stem (boost 10),
 * and every term the last word begins. */
window.lunrQuery = function (words, isPrefix) {
  return (query) => {
    words.forEach((w, i) => {
      query.term(w.word, { boost: 10 });
      if (isPrefix(words, i)) query.term(w.word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
    });
  };
};
