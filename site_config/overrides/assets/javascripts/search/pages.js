/* Paper pages fetched for the results' snippets: two at a time, none while a query's own files load (so
 * that those never wait behind them for a connection), and those a new query no longer shows dropped. */

export function makePageQueue() {
  let searching = 0, inFlight = 0, waiting = [];
  const abstracts = new Map();

  function next() {
    if (inFlight >= 2 || searching || !waiting.length) return;
    const [url, resolve] = waiting.shift();
    inFlight += 1;
    fetch(url, { priority: "low" }).then((response) => response.text())
      .catch(() => "")
      .then((html) => { inFlight -= 1; resolve(html); next(); });
  }

  function page(url) {
    return new Promise((resolve) => { waiting.push([url, resolve]); next(); });
  }

  return {
    /* The abstract on the paper page at ``url`` ("" where it has none; null when dropped). */
    abstract(url) {
      if (!abstracts.has(url.href)) {
        abstracts.set(url.href, page(url).then((html) => {
          if (html === null) return null;
          const abstract = new DOMParser().parseFromString(html, "text/html").querySelector(".digest-abstract");
          return abstract ? abstract.textContent.trim() : "";
        }).catch(() => ""));
      }
      return abstracts.get(url.href);
    },
    /* A new query starts: pages the results it replaces waited for are dropped. */
    startQuery() {
      for (const [url, resolve] of waiting) {
        abstracts.delete(url.href);
        resolve(null);
      }
      waiting = [];
      searching += 1;
    },
    endQuery() {
      searching -= 1;
      next();
    },
  };
}
