/* Paper Digest search: the prebuilt lunr index of generator/search.py, searched in the page.
 *
 * search/index.json holds lunr's postings of title, keyphrases and topics; lunr.Builder turns them into
 * the index (vectors and token set) with lunr's own code. Abstract postings, paper titles and paper
 * pages (for snippets) are fetched only when a query needs them. Dump text is only ever set as text. */
(function () {
  "use strict";

  var PAGE_SIZE = 20;
  var SNIPPET_CHARS = 220;
  var ABSTRACT_WEIGHT = 1;

  var root = document.getElementById("digest-search");
  if (!root || typeof lunr === "undefined") return;
  var dataUrl = new URL(root.dataset.index, location.href);
  var siteUrl = new URL(root.dataset.site, location.href);
  var form = root.querySelector("form");
  var input = form.elements.q;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");

  var cache = new Map();
  function fetchJson(path) {
    if (!cache.has(path)) {
      cache.set(path, fetch(new URL(path, dataUrl)).then(function (response) {
        if (!response.ok) throw new Error(path + ": HTTP " + response.status);
        return response.json();
      }));
    }
    return cache.get(path);
  }

  /* The index from lunr's postings: the builder's state is filled as Builder.add would leave it, then
   * Builder.build computes field vectors (BM25, field boosts) and the token set. */
  function buildIndex(data) {
    var builder = new lunr.Builder();
    builder.ref("ref");
    builder.searchPipeline.add(lunr.stemmer);
    data.fields.forEach(function (field) { builder.field(field[0], { boost: field[1] }); });
    builder.documentCount = data.papers;
    for (var n = 0; n < data.papers; n++) {
      builder._documents[n] = {};
      data.fields.forEach(function (field) {
        builder.fieldTermFrequencies[field[0] + "/" + n] = Object.create(null);
        builder.fieldLengths[field[0] + "/" + n] = 0;
      });
    }
    data.terms.forEach(function (term, t) {
      var posting = Object.create(null);
      posting._index = t;
      data.fields.forEach(function (field) {
        var name = field[0], papers = Object.create(null), number = 0;
        data.postings[name][t].forEach(function (gap) {
          number += gap;
          papers[number] = Object.create(null);
          var ref = name + "/" + number, frequencies = builder.fieldTermFrequencies[ref];
          frequencies[term] = (frequencies[term] || 0) + 1;
          builder.fieldLengths[ref] += 1;
        });
        posting[name] = papers;
      });
      builder.invertedIndex[term] = posting;
    });
    return builder.build();
  }

  var ready = Promise.all([fetchJson("index.json"), fetchJson("facets.json")]).then(function (loaded) {
    return { index: buildIndex(loaded[0]), facets: loaded[1] };
  });

  /* Query words: lunr's tokenizer, without stop words; each with its stem, as the index holds it. */
  function queryWords(text) {
    return lunr.tokenizer(text).map(function (token) {
      var word = lunr.trimmer(token);
      if (!word || !lunr.stopWordFilter(word)) return null;
      var plain = word.toString();
      return plain ? { word: plain, stem: lunr.stemmer(word.clone()).toString() } : null;
    }).filter(Boolean);
  }

  /* Main-index scores of one word: its stem, and while it is the last word, every term it begins. */
  function mainScores(index, w, last) {
    var scores = new Map();
    index.query(function (query) {
      query.term(w.word, { boost: 10 });
      if (last && w.word.length >= 3) {
        query.term(w.word, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING });
      }
    }).forEach(function (result) { scores.set(Number(result.ref), result.score); });
    return scores;
  }

  function shardKey(term) {
    return (term.slice(0, 2).toLowerCase().replace(/[^a-z0-9]/g, "_") + "__").slice(0, 2);
  }

  /* Abstract scores of one word, from the shard of its first two letters. */
  function abstractScores(w, last) {
    return fetchJson("abstracts/" + shardKey(w.stem) + ".json").catch(function () { return {}; })
      .then(function (shard) {
        var found = new Map();
        Object.keys(shard).forEach(function (term) {
          var prefix = last && w.word.length >= 3 && term.indexOf(w.word) === 0;
          if (term !== w.stem && !prefix) return;
          var gaps = shard[term][0], scores = shard[term][1], number = 0;
          for (var k = 0; k < gaps.length; k++) {
            number += gaps[k];
            found.set(number, Math.max(found.get(number) || 0, scores[k] / 100));
          }
        });
        return found;
      });
  }

  /* Papers holding every word (in a main field or the abstract), each scored by the sum over words.
   * Abstract shards are requested at once, while the main index may still be loading. */
  function scoreAll(words) {
    var fromAbstracts = words.map(function (w, i) { return abstractScores(w, i === words.length - 1); });
    return ready.then(function (loaded) {
      return Promise.all(words.map(function (w, i) {
        var scores = mainScores(loaded.index, w, i === words.length - 1);
        return fromAbstracts[i].then(function (fromAbstract) {
          fromAbstract.forEach(function (score, number) {
            scores.set(number, (scores.get(number) || 0) + ABSTRACT_WEIGHT * score);
          });
          return scores;
        });
      }));
    }).then(function (perWord) {
      var total = new Map();
      perWord[0].forEach(function (score, number) {
        var sum = score;
        for (var k = 1; k < perWord.length; k++) {
          if (!perWord[k].has(number)) return;
          sum += perWord[k].get(number);
        }
        total.set(number, sum);
      });
      return total;
    });
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
    return fetchJson("papers/" + Math.floor(number / state.facets.papers_per_shard) + ".json");
  }

  var run = 0, shown = [], words = [], state = null;

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
    return scoreAll(words).then(function (scores) {
      return ready.then(function (loaded) {
        if (current !== run) return;
        state = loaded;
        shown = ordered(loaded.facets, scores);
        list.replaceChildren();
        status.textContent = shown.length === 0 ? "No paper matches." :
          shown.length === 1 ? "1 paper matches." : shown.length + " papers match.";
        return showMore(current);
      });
    }).catch(function (error) {
      if (current === run) status.textContent = "Search is unavailable: " + error.message;
    });
  }

  function showMore(current) {
    var start = list.children.length, page = shown.slice(start, start + PAGE_SIZE);
    more.hidden = start + page.length >= shown.length;
    return Promise.all(page.map(function (hit) { return paperShard(hit[0]); })).then(function (shards) {
      if (current !== run) return;
      page.forEach(function (hit, k) {
        var paper = shards[k][hit[0] % state.facets.papers_per_shard];
        list.appendChild(resultItem(hit[0], paper[0], new URL(paper[1], siteUrl)));
      });
      if (start === 0 && page.length) performance.mark("digest-search:results");
    });
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

  var abstracts = new Map();
  function loadSnippet(url, element) {
    if (!abstracts.has(url.href)) {
      abstracts.set(url.href, fetch(url).then(function (response) { return response.text(); })
        .then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var abstract = page.querySelector(".digest-abstract");
          return abstract ? abstract.textContent.trim() : "";
        }).catch(function () { return ""; }));
    }
    abstracts.get(url.href).then(function (text) { fillMarked(element, snippetOf(text)); });
  }

  function snippetOf(text) {
    if (text.length <= SNIPPET_CHARS) return text;
    var pattern = highlighter(), match = pattern && pattern.exec(text), at = match ? match.index : 0;
    var start = Math.max(0, at - SNIPPET_CHARS / 3), end = Math.min(text.length, start + SNIPPET_CHARS);
    start = start > 0 ? text.indexOf(" ", start) + 1 : 0;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
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
  window.digestSearch = { buildIndex: buildIndex, ready: ready };
})();
