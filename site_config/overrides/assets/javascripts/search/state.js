/* The query and its filters live in the page's URL, so a search can be shared: ?q=…&topic=…&from=….
 * "code" is a checkbox: present (code=1) when checked. The engine (engine.js) gets them as a plain
 * object of strings (formState). */

export const NAMES = ["q", "topic", "watchlist", "code", "from", "to", "sort"];

export function readState(form) {
  const params = new URLSearchParams(location.search);
  for (const name of NAMES) {
    const field = form.elements[name];
    if (!field || !params.has(name)) continue;
    if (field.type === "checkbox") field.checked = params.get(name) === "1";
    else field.value = params.get(name);
  }
}

export function writeState(form) {
  const params = new URLSearchParams();
  const state = formState(form);
  for (const name of NAMES) {
    const value = state[name];
    if (value && !(name === "sort" && value === "relevance")) params.set(name, value);
  }
  const query = params.toString().replace(/%20/g, "+");
  history.replaceState(null, "", query ? "?" + query : location.pathname);
}

/* The query and filters the form holds: each name's value, "" when unset ("1" for a checked box). */
export function formState(form) {
  const state = {};
  for (const name of NAMES) {
    const field = form.elements[name];
    state[name] = !field ? "" : field.type === "checkbox" ? (field.checked ? "1" : "") : field.value.trim();
  }
  if (!state.sort) state.sort = "relevance";
  return state;
}

/* Hits that pass the filters of ``state`` (topic, watchlist, code, dates), in its order: relevance,
 * newest or most upvoted. */
export function ordered(state, facets, scores) {
  const hits = [];
  scores.forEach((score, number) => { if (matches(state, facets, number)) hits.push([number, score]); });
  hits.sort((a, b) => {
    if (state.sort === "date") {
      const da = facets.dates[a[0]] || "", db = facets.dates[b[0]] || "";
      if (da !== db) return da < db ? 1 : -1;
    } else if (state.sort === "upvotes") {
      const ua = facets.upvotes[a[0]] ?? -1, ub = facets.upvotes[b[0]] ?? -1;
      if (ua !== ub) return ub - ua;
    }
    return b[1] - a[1] || a[0] - b[0];
  });
  return hits;
}

function matches(state, facets, number) {
  const { topic, from, to, watchlist } = state;
  if (topic && facets.paper_topics[number].indexOf(facets.topic_ids.indexOf(topic)) < 0) return false;
  if (state.code === "1" && !inSorted(facets.code, number)) return false;
  if (watchlist) {
    const list = facets.watchlists.find((w) => w.id === watchlist);
    if (!list || !inSorted(list.papers, number)) return false;
  }
  const date = facets.dates[number];
  if ((from || to) && !date) return false;
  return !(from && date < from) && !(to && date > to);
}

/* Whether a sorted list of paper numbers holds one: binary search. */
export function inSorted(numbers, number) {
  let low = 0, high = numbers.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (numbers[middle] === number) return true;
    if (numbers[middle] < number) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}
