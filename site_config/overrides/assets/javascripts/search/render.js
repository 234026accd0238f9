/* Results as the reader sees them (elements.js, paperItem): title with the query's words marked, date,
 * upvotes, a code mark, topics, and the paper's one-sentence summary until a snippet of the abstract
 * arrives from its page (pages.js fetches them). */

import { RESULT, paperItem } from "../elements.js";
import { makePageQueue } from "./pages.js";

const SNIPPET_CHARS = 220;

export function makeRenderer() {
  let words = [];
  const pages = makePageQueue();

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

  /* A result (engine.js: title, date, upvotes, code, topic labels) whose page is at ``url``. */
  function resultItem(result, url) {
    const item = paperItem({
      title: result.title, url: url.href, date: result.date, upvotes: result.upvotes, code: result.code,
      topics: result.topics.map((label) => [label, ""]),
    }, RESULT, fillMarked);
    const snippet = item.querySelector(".digest-result__snippet");
    pages.abstract(url).then((text) => {
      if (!text) return;
      snippet.dataset.loaded = "1";
      fillMarked(snippet, snippetOf(text));
    });
    return item;
  }

  function snippetOf(text) {
    if (text.length <= SNIPPET_CHARS) return text;
    const pattern = highlighter(), match = pattern && pattern.exec(text), at = match ? match.index : 0;
    let start = Math.max(0, at - SNIPPET_CHARS / 3);
    const end = Math.min(text.length, start + SNIPPET_CHARS);
    start = start > 0 ? text.indexOf(" ", start) + 1 : 0;
    return (start > 0 ? "…" : "") + text.slice(start, end) + (end < text.length ? "…" : "");
  }

  /* A result's one-sentence summary, shown until its snippet arrives. */
  function showSummary(item, text) {
    const snippet = item.querySelector(".digest-result__snippet");
    item.dataset.tldr = text;
    if (!snippet.dataset.loaded) fillMarked(snippet, text);
  }

  return {
    resultItem,
    showSummary,
    /* A new query: the pages earlier results waited for are dropped, and no page is fetched until
     * endQuery, so that none competes with the query's own files. */
    startQuery() {
      pages.startQuery();
    },
    /* The words the results mark from now on (engine.js: each with its stem). */
    setWords(queryWords) {
      words = queryWords;
    },
    endQuery() {
      pages.endQuery();
    },
  };
}
