/* The query and its filters live in the page's URL, so a search can be shared: ?q=…&topic=…&from=….
 * "code" is a checkbox: present (code=1) when checked. */

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
  for (const name of NAMES) {
    const field = form.elements[name];
    if (!field) continue;
    const value = field.type === "checkbox" ? (field.checked ? "1" : "") : field.value;
    if (value && !(name === "sort" && value === "relevance")) params.set(name, value);
  }
  const query = params.toString().replace(/%20/g, "+");
  history.replaceState(null, "", query ? "?" + query : location.pathname);
}

/* Hits that pass the filters (topic, watchlist, code, dates), in the chosen order: relevance, newest or
 * most upvoted. */
export function ordered(form, facets, scores) {
  const sort = form.elements.sort.value, hits = [];
  scores.forEach((score, number) => { if (matches(form, facets, number)) hits.push([number, score]); });
  hits.sort((a, b) => {
    if (sort === "date") {
      const da = facets.dates[a[0]] || "", db = facets.dates[b[0]] || "";
      if (da !== db) return da < db ? 1 : -1;
    } else if (sort === "upvotes") {
      const ua = facets.upvotes[a[0]] ?? -1, ub = facets.upvotes[b[0]] ?? -1;
      if (ua !== ub) return ub - ua;
    }
    return b[1] - a[1] || a[0] - b[0];
  });
  return hits;
}

function matches(form, facets, number) {
  const topic = form.elements.topic.value, from = form.elements.from.value, to = form.elements.to.value;
  if (topic && facets.paper_topics[number].indexOf(facets.topic_ids.indexOf(topic)) < 0) return false;
  if (form.elements.code && form.elements.code.checked && !inSorted(facets.code, number)) return false;
  const watchlist = form.elements.watchlist ? form.elements.watchlist.value : "";
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
