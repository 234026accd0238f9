/* Paper Digest search, the page's part: the form, the address, the status line and the results. The
 * search itself is engine.js; this script sends it the form's query and draws what it finds (render.js). */

import { makeEngine } from "./engine.js";
import { bindKeyboard } from "./keyboard.js";
import { makeRenderer } from "./render.js";
import { formState, NAMES, readState, writeState } from "./state.js";
import { runThemeScripts } from "./theme.js";

const PAGE_SIZE = 20;

const root = document.getElementById("digest-search");
if (root && typeof lunr !== "undefined") start(root);

function start(root) {
  const layout = JSON.parse(root.dataset.layout);
  const siteUrl = new URL(root.dataset.site, location.href);
  const engine = makeEngine(new URL(root.dataset.index, location.href), layout);
  const form = root.querySelector("form");
  const input = form.elements.q;
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const renderer = makeRenderer();
  let run = 0, shown = [];

  function search() {
    const current = ++run, state = formState(form);
    if (!state.q) {
      writeState(form);
      list.replaceChildren();
      more.hidden = true;
      status.textContent = status.dataset.idle;
      return Promise.resolve();
    }
    status.textContent = "Searching…";
    performance.mark("digest-search:query");
    renderer.startQuery();
    return engine.search(state).then((found) => {
      if (current !== run) return;
      performance.mark("digest-search:scored");
      shown = found.hits;
      list.replaceChildren();
      renderer.setWords(found.words);
      status.textContent = statusText(found);
      return showMore(current);
    }).catch((error) => {
      if (current === run) status.textContent = "Search is unavailable: " + error.message;
    }).then(() => {
      /* The address follows the query once its results show: Chromium asks for the favicon again on
       * each change of address, a request that would compete with the query's own files. */
      if (current === run) writeState(form);
      renderer.endQuery();
    });
  }

  /* The next page of results, each shown as soon as its title file and those before it are in. The
   * other results' files are requested once the first one's is in, so none competes with it. A newer
   * query drops the files still loading (engine.search): this page's then stops quietly. */
  function showMore(current) {
    const first = list.children.length, page = shown.slice(first, first + PAGE_SIZE);
    more.hidden = first + page.length >= shown.length;
    const leading = page.length ? engine.result(page[0][0]) : Promise.resolve();
    const results = page.map((hit, k) => (k === 0 ? leading : leading.then(() => engine.result(hit[0]))));
    results.forEach((result) => result.catch(() => {}));
    return page.reduce((previous, hit, k) => previous.then(() => results[k]).then((result) => {
      if (current !== run) return;
      const item = renderer.resultItem(result, new URL(result.url, siteUrl));
      engine.summary(hit[0]).then((summary) => { if (summary) renderer.showSummary(item, summary); });
      list.appendChild(item);
      if (first === 0 && k === 0) {
        performance.mark("digest-search:results");
        runThemeScripts();
        engine.prefetch();
      }
    }), Promise.resolve()).catch((error) => { if (current === run) throw error; });
  }

  status.dataset.idle = status.textContent;
  form.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  input.addEventListener("input", search);
  for (const name of NAMES.slice(1)) {
    if (form.elements[name]) form.elements[name].addEventListener("change", search);
  }
  more.addEventListener("click", () => showMore(run));
  bindKeyboard(input, list);
  readState(form);
  if (input.value.trim()) search().then(runThemeScripts);
  else runThemeScripts();
  /* What the tests check against lunr's own index (tests/js/lunr_index.js). */
  window.digestSearch = { engine };
}

/* How many papers the list holds: those holding every word and those that come close. */
function statusText(found) {
  if (!found.words.length) return "Only common words: type a more specific word.";
  const { full } = found, close = found.hits.length - full;
  const papers = (count) => (count === 1 ? "1 paper" : count + " papers");
  if (close === 0) {
    return full === 0 ? "No paper matches." : full === 1 ? "1 paper matches." : full + " papers match.";
  }
  const how = found.meaning ? "in part or in meaning" : "in part";
  return full === 0 ? `No paper matches every word; ${papers(close)} match ${how}.` :
    `${papers(full)} match${full === 1 ? "es" : ""} every word; ${close} more match ${how}.`;
}
