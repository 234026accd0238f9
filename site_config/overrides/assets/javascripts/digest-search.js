/* Paper Digest search: the prebuilt lunr index of generator/search.py, searched in the page.
 *
 * search/index.json holds lunr's postings of title, keyphrases and topics. Queries go through lunr's
 * pipeline (tokenizer, stop words, stemmer) and papers are scored by lunr's formulas (BM25 field
 * vectors, query vector similarity) straight from the postings of the query's terms; buildIndex also
 * makes them a lunr.Index, whose own query gives the same scores (the tests compare them). Abstract
 * postings, paper titles and paper pages (for snippets) are fetched only when a query needs them. Dump
 * text is only ever set as text, never parsed as HTML. */
(function () {
  "use strict";

  var PAGE_SIZE = 20;
  var SNIPPET_CHARS = 220;
  var ABSTRACT_WEIGHT = 1;
  var LIKELY_TITLES = 2;

  var root = document.getElementById("digest-search");
  if (!root || typeof lunr === "undefined") return;
  var dataUrl = new URL(root.dataset.index, location.href);
  var siteUrl = new URL(root.dataset.site, location.href);
  var layout = JSON.parse(root.dataset.layout);
  var form = root.querySelector("form");
  var input = form.elements.q;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");

  var cache = new Map();
  function fetchJson(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(new URL(path, dataUrl), { priority: "high" }).then(function (response) {
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return response.json();
      }));
    }
    return cache.get(path);
  }

  /* A lunr.Index over the postings of index.json, with the page's own scoring (scoreOnly, papersWith).
   * lunr's term postings and field vectors are made the first time lunr's query reaches them, so the
   * index is ready in milliseconds at any size. */
  function buildIndex(data) {
    var K1 = 1.2, B = 0.75;
    var fields = data.fields.map(function (f) { return f[0]; });
    var papers = data.papers, terms = data.terms, documentsWithTerm = new Int32Array(terms.length);
    var lengths = fields.map(function (name) {
      var counts = new Int32Array(papers), total = 0;
      data.postings[name].forEach(function (gaps, t) {
        for (var k = 0, n = 0; k < gaps.length; k++) {
          n += gaps[k];
          counts[n] += 1;
          if (k === 0 || gaps[k] !== 0) documentsWithTerm[t] += 1;
        }
        total += gaps.length;
      });
      return { of: counts, average: total / Math.max(papers, 1) };
    });
    function idf(t) {
      var x = (papers - documentsWithTerm[t] + 0.5) / (documentsWithTerm[t] + 0.5);
      return Math.log(1 + Math.abs(x));
    }
    /* A term's element of a paper's field vector, by the formula of lunr.Builder.createFieldVectors:
     * BM25 with the field's boost, to three decimals. */
    function element(t, f, n, tf) {
      var norm = K1 * (1 - B + B * (lengths[f].of[n] / lengths[f].average));
      var score = idf(t) * ((K1 + 1) * tf) / (norm + tf) * data.fields[f][1];
      return Math.round(score * 1000) / 1000;
    }
    /* Each paper's terms in each field (lunr's field vectors need them), made only if lunr's own query
     * runs: the page's searches never do. */
    var forward = null;
    function forwardIndex() {
      return fields.map(function (name, f) {
        var starts = new Int32Array(papers + 1);
        for (var n = 0; n < papers; n++) starts[n + 1] = starts[n] + lengths[f].of[n];
        var next = starts.slice(0, papers), termsOf = new Int32Array(starts[papers]);
        data.postings[name].forEach(function (gaps, t) {
          for (var k = 0, n = 0; k < gaps.length; k++) {
            n += gaps[k];
            termsOf[next[n]++] = t;
          }
        });
        return { starts: starts, terms: termsOf };
      });
    }
    function fieldVector(ref) {
      var slash = ref.indexOf("/"), f = fields.indexOf(ref.slice(0, slash)), n = Number(ref.slice(slash + 1));
      forward = forward || forwardIndex();
      var own = forward[f], end = own.starts[n + 1], elements = [];
      for (var k = own.starts[n]; k < end;) {
        var t = own.terms[k], tf = 0;
        while (k < end && own.terms[k] === t) { tf += 1; k += 1; }
        elements.push(t, element(t, f, n, tf));
      }
      return new lunr.Vector(elements);
    }
    var noMetadata = Object.freeze(Object.create(null));
    function posting(term) {
      var t = termNumbers[term], made = Object.create(null);
      made._index = t;
      fields.forEach(function (name) {
        var holders = Object.create(null), gaps = data.postings[name][t];
        for (var k = 0, n = 0; k < gaps.length; k++) { n += gaps[k]; holders[n] = noMetadata; }
        made[name] = holders;
      });
      return made;
    }
    function lazy(make, keys) {
      var made = Object.create(null);
      return new Proxy(made, {
        get: function (target, key) {
          if (typeof key !== "string") return undefined;
          return key in target ? target[key] : (target[key] = make(key));
        },
        ownKeys: keys,
        getOwnPropertyDescriptor: function () { return { enumerable: true, configurable: true }; }
      });
    }
    /* Numbers of the terms that begin with ``word`` (the terms are sorted). */
    function termsWithPrefix(word) {
      var low = 0, high = terms.length, found = [];
      while (low < high) {
        var mid = (low + high) >> 1;
        if (terms[mid] < word) low = mid + 1; else high = mid;
      }
      for (var t = low; t < terms.length && terms[t].indexOf(word) === 0; t++) found.push(t);
      return found;
    }
    /* Papers holding a word in any field (a mark per paper): its stem, and with ``prefix`` every term the
     * word begins. */
    function papersWith(w, prefix) {
      var found = new Uint8Array(papers), add = function (t) {
        fields.forEach(function (name) {
          var gaps = data.postings[name][t];
          for (var k = 0, n = 0; k < gaps.length; k++) { n += gaps[k]; found[n] = 1; }
        });
      };
      if (w.stem in termNumbers) add(termNumbers[w.stem]);
      if (prefix) termsWithPrefix(w.word).forEach(add);
      return found;
    }
    /* lunr's score of each paper in ``candidates`` for the query of ``lunrQuery`` (each stem boosted 10,
     * every term the last word begins 1): the dot product of lunr's query vector with each field vector,
     * over the query vector's length, summed over fields. Only the postings of the query's terms are
     * read, and only the candidates are scored, not every paper that holds one of the words. */
    function scoreOnly(words, prefixLast, candidates) {
      var query = new Map(), add = function (t, boost) { query.set(t, (query.get(t) || 0) + boost); };
      words.forEach(function (w, i) {
        if (w.stem in termNumbers) add(termNumbers[w.stem], 10);
        if (prefixLast && i === words.length - 1) {
          termsWithPrefix(w.word).forEach(function (t) { add(t, 1); });
        }
      });
      var length = 0, wanted = new Uint8Array(papers), sums = new Float64Array(papers), scores = new Map();
      query.forEach(function (boost) { length += boost * boost; });
      length = Math.sqrt(length);
      candidates.forEach(function (n) { wanted[n] = 1; });
      query.forEach(function (boost, t) {
        fields.forEach(function (name, f) {
          var gaps = data.postings[name][t];
          for (var k = 0, n = 0; k < gaps.length;) {
            var tf = 1;
            n += gaps[k++];
            while (k < gaps.length && gaps[k] === 0) { tf += 1; k += 1; }
            if (wanted[n]) sums[n] += boost * element(t, f, n, tf);
          }
        });
      });
      candidates.forEach(function (n) { if (sums[n] > 0) scores.set(n, sums[n] / length); });
      return scores;
    }
    var termNumbers = Object.create(null);
    terms.forEach(function (term, t) { termNumbers[term] = t; });
    var index = new lunr.Index({
      invertedIndex: lazy(posting, function () { return terms.slice(); }),
      fieldVectors: lazy(fieldVector, function () {
        var refs = [];
        fields.forEach(function (name) { for (var n = 0; n < papers; n++) refs.push(name + "/" + n); });
        return refs;
      }),
      tokenSet: lunr.TokenSet.fromArray(terms),
      fields: fields,
      pipeline: lunr.Pipeline.load(["stemmer"])
    });
    index.papersWith = papersWith;
    index.scoreOnly = scoreOnly;
    return index;
  }

  var ready = Promise.all([fetchJson("index.json"), fetchJson("facets.json")]).then(function (loaded) {
    return { index: buildIndex(loaded[0]), facets: loaded[1] };
  });
  if (layout.prefetch) fetchJson("papers/0.json");

  /* Query words: lunr's tokenizer, without stop words; each with its stem, as the index holds it. */
  function queryWords(text) {
    return lunr.tokenizer(text).map(function (token) {
      var word = lunr.trimmer(token);
      if (!word || !lunr.stopWordFilter(word)) return null;
      var plain = word.toString();
      return plain ? { word: plain, stem: lunr.stemmer(word.clone()).toString() } : null;
    }).filter(Boolean);
  }

  /* The lunr query whose scores ``scoreOnly`` gives for fewer papers: each word's stem (boost 10), and
   * every term the last word begins. The tests compare the two. */
  function lunrQuery(words) {
    return function (query) {
      words.forEach(function (w, i) {
        query.term(w.word, { boost: 10 });
        if (isPrefix(words, i)) {
          query.term(w.word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
        }
      });
    };
  }

  function isPrefix(words, i) { return i === words.length - 1 && words[i].word.length >= 3; }

  /* The abstract shard of a term: FNV-1a of its UTF-8 bytes, as generator/search.py computes it. */
  function shardOf(term, shards) {
    var hash = 0x811c9dc5, bytes = new TextEncoder().encode(term);
    for (var k = 0; k < bytes.length; k++) hash = Math.imul(hash ^ bytes[k], 0x01000193) >>> 0;
    return hash % shards;
  }

  /* Abstract scores of one word's stem, from its shard. */
  function abstractScores(w) {
    var file = "abstracts/" + shardOf(w.stem, layout.abstract_shards) + ".json";
    return fetchJson(file).catch(function () { return {}; }).then(function (shard) {
      var found = new Map(), entry = shard[w.stem];
      if (!entry) return found;
      for (var k = 0, number = 0; k < entry[0].length; k++) {
        number += entry[0][k];
        found.set(number, entry[1][k] / 100);
      }
      return found;
    });
  }

  /* Papers holding every word (in a main field or the abstract), scored by lunr over the main fields
   * plus each word's abstract score. Abstract shards are requested at once, while the index may still
   * be loading. */
  function scoreAll(words) {
    var abstractsIn = false, fromAbstracts = Promise.all(words.map(abstractScores)).then(function (perWord) {
      abstractsIn = true;
      return perWord;
    });
    return ready.then(function (loaded) {
      var last = words.length - 1;
      var holders = words.map(function (w, i) { return loaded.index.papersWith(w, isPrefix(words, i)); });
      if (!abstractsIn && !layout.prefetch) requestLikelyTitles(loaded, words, holders);
      return fromAbstracts.then(function (perWord) {
        perWord.forEach(function (found, k) { found.forEach(function (_, n) { holders[k][n] = 1; }); });
        var candidates = inEvery(holders);
        var total = loaded.index.scoreOnly(words, isPrefix(words, last), candidates);
        candidates.forEach(function (n) {
          var sum = total.get(n) || 0;
          perWord.forEach(function (found) { sum += ABSTRACT_WEIGHT * (found.get(n) || 0); });
          total.set(n, sum);
        });
        return total;
      });
    });
  }

  function inEvery(holders) {
    var found = [];
    for (var n = 0; n < holders[0].length; n++) {
      if (holders.every(function (marks) { return marks[n]; })) found.push(n);
    }
    return found;
  }

  /* While abstract postings load, the title files of the papers likely to come first (ranked by their
   * main fields alone) are requested, so that the first results do not wait for a second request. (A
   * small digest's one title file is loaded at once.) */
  function requestLikelyTitles(loaded, words, holders) {
    var scores = loaded.index.scoreOnly(words, isPrefix(words, words.length - 1), inEvery(holders));
    ordered(loaded.facets, scores).slice(0, LIKELY_TITLES).forEach(function (hit) { paperShard(hit[0]); });
  }

  function readState() {
    var params = new URLSearchParams(location.search);
    ["q", "topic", "from", "to", "sort"].forEach(function (name) {
      if (params.has(name) && form.elements[name]) form.elements[name].value = params.get(name);
    });
  }

  function writeState() {
    var params = new URLSearchParams();
    ["q", "topic", "from", "to", "sort"].forEach(function (name) {
      var value = form.elements[name].value;
      if (value && !(name === "sort" && value === "relevance")) params.set(name, value);
    });
    var query = params.toString().replace(/%20/g, "+");
    history.replaceState(null, "", query ? "?" + query : location.pathname);
  }

  function matches(facets, number) {
    var topic = form.elements.topic.value, from = form.elements.from.value, to = form.elements.to.value;
    if (topic) {
      var wanted = facets.topic_ids.indexOf(topic);
      if (facets.paper_topics[number].indexOf(wanted) < 0) return false;
    }
    var date = facets.dates[number];
    if ((from || to) && !date) return false;
    return !(from && date < from) && !(to && date > to);
  }

  function ordered(facets, scores) {
    var sort = form.elements.sort.value;
    var hits = [];
    scores.forEach(function (score, number) { if (matches(facets, number)) hits.push([number, score]); });
    hits.sort(function (a, b) {
      if (sort === "date") {
        var da = facets.dates[a[0]] || "", db = facets.dates[b[0]] || "";
        if (da !== db) return da < db ? 1 : -1;
      } else if (sort === "upvotes") {
        var ua = facets.upvotes[a[0]], ub = facets.upvotes[b[0]];
        ua = ua === null ? -1 : ua; ub = ub === null ? -1 : ub;
        if (ua !== ub) return ub - ua;
      }
      return b[1] - a[1] || a[0] - b[0];
    });
    return hits;
  }

  function paperShard(number) {
    return fetchJson("papers/" + Math.floor(number / layout.papers_per_shard) + ".json");
  }

  var run = 0, shown = [], words = [], state = null, prefetched = false;

  function search() {
    var current = ++run;
    writeState();
    var text = input.value.trim();
    words = queryWords(text);
    if (!words.length) {
      list.replaceChildren();
      more.hidden = true;
      status.textContent = text ? "Only common words: type a more specific word." : status.dataset.idle;
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    performance.mark("digest-search:query");
    dropWaitingPages();
    searching += 1;
    return scoreAll(words).then(function (scores) {
      return ready.then(function (loaded) {
        if (current !== run) return;
        performance.mark("digest-search:scored");
        state = loaded;
        shown = ordered(loaded.facets, scores);
        list.replaceChildren();
        status.textContent = shown.length === 0 ? "No paper matches." :
          shown.length === 1 ? "1 paper matches." : shown.length + " papers match.";
        return showMore(current);
      });
    }).catch(function (error) {
      if (current === run) status.textContent = "Search is unavailable: " + error.message;
    }).then(function () {
      searching -= 1;
      nextPage();
    });
  }

  /* The next page of results, each shown as soon as its title shard and those before it are in. */
  function showMore(current) {
    var start = list.children.length, page = shown.slice(start, start + PAGE_SIZE);
    more.hidden = start + page.length >= shown.length;
    var shards = page.map(function (hit) { return paperShard(hit[0]); });
    return page.reduce(function (previous, hit, k) {
      return previous.then(function () { return shards[k]; }).then(function (shard) {
        if (current !== run) return;
        var paper = shard[hit[0] % layout.papers_per_shard];
        list.appendChild(resultItem(hit[0], paper[0], new URL(paper[1], siteUrl)));
        if (start === 0 && k === 0) {
          performance.mark("digest-search:results");
          if (!prefetched && layout.prefetch) {
            prefetched = true;
            prefetch();
          }
        }
      });
    }, Promise.resolve());
  }

  function highlighter() {
    var stems = words.map(function (w) { return w.stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); })
      .filter(function (stem) { return stem.length >= 2; });
    return stems.length ? new RegExp("(" + stems.join("|") + ")[\\p{L}\\p{N}]*", "giu") : null;
  }

  /* Text into an element, with query words wrapped in <mark>; never parsed as HTML. */
  function fillMarked(element, text) {
    var pattern = highlighter(), last = 0, match;
    element.replaceChildren();
    if (pattern) {
      while ((match = pattern.exec(text)) !== null) {
        if (match.index > 0 && /[\p{L}\p{N}]/u.test(text[match.index - 1])) continue;
        element.append(text.slice(last, match.index));
        var mark = document.createElement("mark");
        mark.textContent = match[0];
        element.append(mark);
        last = match.index + match[0].length;
      }
    }
    element.append(text.slice(last));
  }

  function resultItem(number, title, url) {
    var facets = state.facets;
    var item = document.createElement("li");
    item.className = "digest-result";
    var link = document.createElement("a");
    link.className = "digest-result__title";
    link.href = url.href;
    fillMarked(link, title);
    var meta = document.createElement("div");
    meta.className = "digest-result__meta";
    var date = facets.dates[number];
    if (date) {
      var time = document.createElement("time");
      time.dateTime = date;
      time.textContent = date;
      meta.append(time);
    }
    if (facets.upvotes[number] !== null) meta.append(" · ▲ " + facets.upvotes[number]);
    facets.paper_topics[number].forEach(function (t) {
      var chip = document.createElement("span");
      chip.className = "digest-chip";
      chip.textContent = facets.topics[t];
      meta.append(" ", chip);
    });
    var snippet = document.createElement("p");
    snippet.className = "digest-result__snippet";
    item.append(link, meta, snippet);
    loadSnippet(url, snippet);
    return item;
  }

  /* Paper pages for snippets are fetched two at a time, and none starts while a query's own files
   * load, so that those never wait behind them for a connection. A new query drops the pages that the
   * results it replaces were still waiting for. */
  var abstracts = new Map(), waiting = [], inFlight = 0, searching = 0;
  function fetchPage(url) {
    return new Promise(function (resolve) { waiting.push([url, resolve]); nextPage(); });
  }
  function dropWaitingPages() {
    waiting.forEach(function (job) {
      abstracts.delete(job[0].href);
      job[1](null);
    });
    waiting = [];
  }
  function nextPage() {
    if (inFlight >= 2 || searching || !waiting.length) return;
    var job = waiting.shift();
    inFlight += 1;
    fetch(job[0], { priority: "low" }).then(function (response) { return response.text(); })
      .catch(function () { return ""; })
      .then(function (html) { inFlight -= 1; job[1](html); nextPage(); });
  }
  function loadSnippet(url, element) {
    if (!abstracts.has(url.href)) {
      abstracts.set(url.href, fetchPage(url)
        .then(function (html) {
          if (html === null) return null;
          var page = new DOMParser().parseFromString(html, "text/html");
          var abstract = page.querySelector(".digest-abstract");
          return abstract ? abstract.textContent.trim() : "";
        }).catch(function () { return ""; }));
    }
    abstracts.get(url.href).then(function (text) { if (text !== null) fillMarked(element, snippetOf(text)); });
  }

  function snippetOf(text) {
    if (text.length <= SNIPPET_CHARS) return text;
    var pattern = highlighter(), match = pattern && pattern.exec(text), at = match ? match.index : 0;
    var start = Math.max(0, at - SNIPPET_CHARS / 3), end = Math.min(text.length, start + SNIPPET_CHARS);
    start = start > 0 ? text.indexOf(" ", start) + 1 : 0;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  /* A small digest's abstract files (its titles are one file, loaded at once), requested once the first
   * results show, so no later query waits. */
  function prefetch() {
    for (var n = 0; n < layout.abstract_shards; n++) fetchJson("abstracts/" + n + ".json");
  }

  function results() { return Array.prototype.slice.call(list.querySelectorAll("a.digest-result__title")); }

  status.dataset.idle = status.textContent;
  form.addEventListener("submit", function (event) { event.preventDefault(); search(); });
  input.addEventListener("input", search);
  ["topic", "from", "to", "sort"].forEach(function (name) {
    form.elements[name].addEventListener("change", search);
  });
  more.addEventListener("click", function () { showMore(run); });
  document.addEventListener("keydown", function (event) {
    var links = results(), at = links.indexOf(document.activeElement);
    if (event.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      event.preventDefault();
      input.focus();
      input.select();
    } else if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0) && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : links[at - 1]).focus();
    } else if (event.key === "Escape" && at >= 0) {
      input.focus();
    }
  });
  readState();
  if (input.value.trim()) search();
  window.digestSearch = {
    buildIndex: buildIndex, shardOf: shardOf, queryWords: queryWords, lunrQuery: lunrQuery, ready: ready
  };
})();
