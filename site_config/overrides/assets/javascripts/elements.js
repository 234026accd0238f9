/* Page elements built by script: one builder (el) and one drawer of a paper as a list item (paperItem),
 * shared by the search results, the reading list and the for-you page. Dump text is only ever set as
 * text, never parsed as HTML. */

/* An element with ``props`` set on it (className, href, dateTime, …; "data-…" and "aria-…" as
 * attributes; an undefined, null or empty value is left unset) and ``children`` (nodes or strings). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === "") continue;
    if (key.startsWith("data-") || key.startsWith("aria-")) node.setAttribute(key, value);
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

/* How a list shows its papers: as the site's lists do (templates/_macros.md.j2, paper_item), or as the
 * search page's results, whose facts line holds the topics and whose summary gives way to a snippet. */
export const LISTED = { item: "", title: "", facts: "span", factsClass: "digest-paper__facts", summary: "span",
  summaryClass: "digest-paper__tldr", topicsInFacts: false };
export const RESULT = { item: "digest-result", title: "digest-result__title", facts: "div",
  factsClass: "digest-result__meta", summary: "p", summaryClass: "digest-result__snippet", topicsInFacts: true };

/* A paper as a list item: its title, linked to its page, first (the reading list's buttons go after it),
 * then its summary, its facts (date, upvotes, a code mark and ``more``, a node, fragment or text, joined
 * by " · ")
 * and its topics ([label, url or ""]). ``mark`` writes the title (the search page marks the query). */
export function paperItem(paper, style = LISTED, mark = (node, text) => { node.textContent = text; }) {
  const link = el("a", { className: style.title, href: paper.url });
  mark(link, paper.title);
  const facts = [
    paper.date && el("time", { dateTime: paper.date }, paper.date),
    paper.upvotes !== undefined && paper.upvotes !== null && "▲ " + paper.upvotes,
    paper.code && el("span", { className: "digest-code" }, "Code"),
    paper.more,
  ].filter(Boolean).flatMap((fact, k) => (k ? [" · ", fact] : [fact]));
  const chips = (paper.topics || []).map(([label, url]) => el(url ? "a" : "span",
    { className: "digest-chip", href: url }, label));
  const summary = el(style.summary, { className: style.summaryClass }, paper.summary || "");
  const item = el("li", { className: style.item, "data-date": paper.dataDate }, link);
  if (style.topicsInFacts) {
    item.append(el(style.facts, { className: style.factsClass }, ...facts, ...chips.flatMap((c) => [" ", c])),
      summary);
    return item;
  }
  if (paper.summary) item.append(summary);
  if (facts.length) item.append(el(style.facts, { className: style.factsClass }, ...facts));
  if (chips.length) item.append(el("span", { className: "digest-paper__topics" }, ...chips));
  return item;
}
