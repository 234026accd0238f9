/* The query and its filters live in the page's URL, so a search can be shared: ?q=…&topic=…&from=…. */

const NAMES = ["q", "topic", "from", "to", "sort"];

export function readState(form) {
  const params = new URLSearchParams(location.search);
  for (const name of NAMES) {
    if (params.has(name) && form.elements[name]) form.elements[name].value = params.get(name);
  }
}

export function writeState(form) {
  const params = new URLSearchParams();
  for (const name of NAMES) {
    const value = form.elements[name].value;
    if (value && !(name === "sort" && value === "relevance")) params.set(name, value);
  }
  const query = params.toString().replace(/%20/g, "+");
  history.replaceState(null, "", query ? "?" + query : location.pathname);
}

/* Hits that pass the topic and date filters, in the chosen order: relevance, newest or most upvoted. */
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
  const date = facets.dates[number];
  if ((from || to) && !date) return false;
  return !(from && date < from) && !(to && date > to);
}
