/* Results as the reader sees them: title with the query's words marked, date, upvotes, topics, a code
 * mark, and the paper's one-sentence summary until a snippet of the abstract arrives from its page.
 * Dump text is only ever set as text, never parsed as HTML. Paper pages for snippets are fetched two at a time, and none starts while a query's own files
 * load, so that those never wait behind them for a connection; a new query drops the pages that the
 * results it replaces were still waiting for. */

import { inSorted } from "./state.js";

const SNIPPET_CHARS = 220;

export function makeRenderer() {
  let words = [], searching = 0, inFlight = 0, waiting = [];
  const abstracts = new Map();

  function highlighter() {
    const stems = words.map((w) => w.stem.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).filter((s) => s.length >= 2);
    return stems.length ? new RegExp("(" + stems.join("|") + ")[\\p{L}\\p{N}]*", "giu") : null;
  }

  /* Text into an element, with query words wrapped in <mark>. */
  function fillMarked(element, text) {
    const pattern = highlighter();
    let last = 0, match;
    element.replaceChildren();
    if (pattern) {
      while ((match = pattern.exec(text)) !== null) {
        if (match.index > 0 && /[\p{L}\p{N}]/u.test(text[match.index - 1])) continue;
        element.append(text.slice(last, match.index));
        const mark = document.createElement("mark");
        mark.textContent = match[0];
        element.append(mark);
        last = match.index + match[0].length;
      }
    }
    element.append(text.slice(last));
  }

  function resultItem(facets, number, title, url, summary) {
    const item = document.createElement("li");
    item.className = "digest-result";
    const link = document.createElement("a");
    link.className = "digest-result__title";
    link.href = url.href;
    fillMarked(link, title);
    const meta = document.createElement("div");
    meta.className = "digest-result__meta";
    const date = facets.dates[number];
    if (date) {
      const time = document.createElement("time");
      time.dateTime = date;
      time.textContent = date;
      meta.append(time);
    }
    if (facets.upvotes[number] !== null) meta.append(" · ▲ " + facets.upvotes[number]);
    if (inSorted(facets.code, number)) {
      const code = document.createElement("span");
      code.className = "digest-code";
      code.textContent = "Code";
      meta.append(" · ", code);
    }
    for (const t of facets.paper_topics[number]) {
      const chip = document.createElement("span");
      chip.className = "digest-chip";
      chip.textContent = facets.topics[t];
      meta.append(" ", chip);
    }
    const snippet = document.createElement("p");
    snippet.className = "digest-result__snippet";
    item.append(link, meta, snippet);
    summary.then((text) => {
      item.dataset.tldr = text || "";
      if (text && !snippet.dataset.loaded) fillMarked(snippet, text);
    });
    loadSnippet(url, snippet);
    return item;
  }

  function fetchPage(url) {
    return new Promise((resolve) => { waiting.push([url, resolve]); nextPage(); });
  }

  function dropWaitingPages() {
    for (const [url, resolve] of waiting) {
      abstracts.delete(url.href);
      resolve(null);
    }
    waiting = [];
  }

  function nextPage() {
    if (inFlight >= 2 || searching || !waiting.length) return;
    const [url, resolve] = waiting.shift();
    inFlight += 1;
    fetch(url, { priority: "low" }).then((response) => response.text())
      .catch(() => "")
      .then((html) => { inFlight -= 1; resolve(html); nextPage(); });
  }

  function loadSnippet(url, element) {
    if (!abstracts.has(url.href)) {
      abstracts.set(url.href, fetchPage(url).then((html) => {
        if (html === null) return null;
        const abstract = new DOMParser().parseFromString(html, "text/html").querySelector(".digest-abstract");
        return abstract ? abstract.textContent.trim() : "";
      }).catch(() => ""));
    }
    abstracts.get(url.href).then((text) => {
      if (!text) return;
      element.dataset.loaded = "1";
      fillMarked(element, snippetOf(text));
    });
  }

  function snippetOf(text) {
    if (text.length <= SNIPPET_CHARS) return text;
    const pattern = highlighter(), match = pattern && pattern.exec(text), at = match ? match.index : 0;
    let start = Math.max(0, at - SNIPPET_CHARS / 3);
    const end = Math.min(text.length, start + SNIPPET_CHARS);
    start = start > 0 ? text.indexOf(" ", start) + 1 : 0;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  return {
    resultItem,
    /* A new query: its words are marked from now on, and the pages earlier results waited for are dropped. */
    startQuery(queryWords) {
      words = queryWords;
      dropWaitingPages();
      searching += 1;
    },
    endQuery() {
      searching -= 1;
      nextPage();
    },
  };
}
