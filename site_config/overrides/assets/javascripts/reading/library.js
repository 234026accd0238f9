/* The reading-list page (reading-list/: the saved papers, newest saved first, with Remove, exports to
 * BibTeX, JSON and CSV, and import of a JSON export) and the for-you page (for-you/: papers related to
 * the saved ones, read from the saved papers' own pages). */

import { el, paperItem } from "../elements.js";
import { smallButton } from "./buttons.js";
import { bibtex, csv, download } from "./formats.js";
import { paperId } from "./store.js";

const FOR_YOU_SIZE = 30;

export function startLibrary(store, root, decorate) {
  const list = document.getElementById("digest-reading-list");
  if (list) readingList(store, root, list, decorate);
  const forYou = document.getElementById("digest-for-you");
  if (forYou) forYouPage(store, root, forYou, decorate);
}

function savedNewestFirst(store) {
  const saved = store.load().saved;
  return Object.keys(saved).map((id) => [id, saved[id]])
    .sort((a, b) => (a[1].saved < b[1].saved ? 1 : a[1].saved > b[1].saved ? -1 : a[0] < b[0] ? -1 : 1));
}

function savedItem(root, paper) {
  return paperItem({ title: paper.title, url: new URL(paper.url, root).href, summary: paper.tldr, date: paper.date,
    dataDate: paper.date, topics: (paper.topics || []).map(([label, url]) => [label, url && new URL(url, root).href]) });
}

function readingList(store, root, container, decorate) {
  const items = container.querySelector("ol");
  const status = container.querySelector("[role=status]");

  function draw() {
    const saved = savedNewestFirst(store);
    items.replaceChildren();
    for (const [id, paper] of saved) {
      const item = savedItem(root, paper);
      items.append(item);
      decorate(item);
      const remove = smallButton("Remove", () => store.remove(id));
      remove.setAttribute("aria-label", "Remove from reading list: " + paper.title);
      item.querySelector(".digest-save").replaceWith(remove);
    }
    status.textContent = saved.length === 0 ? "No paper saved yet: press Save beside any paper." :
      saved.length === 1 ? "1 paper saved in this browser." : saved.length + " papers saved in this browser.";
  }

  container.querySelector("[data-export=bibtex]").addEventListener("click", () =>
    download("reading-list.bib", "application/x-bibtex", bibtexOf(savedNewestFirst(store), root)));
  container.querySelector("[data-export=json]").addEventListener("click", () =>
    download("reading-list.json", "application/json", JSON.stringify(exported(store, root), null, 1) + "\n"));
  container.querySelector("[data-export=csv]").addEventListener("click", () =>
    download("reading-list.csv", "text/csv", csvOf(savedNewestFirst(store), store, root)));
  const input = container.querySelector("input[type=file]");
  input.addEventListener("change", () => {
    const file = input.files[0];
    if (!file) return;
    file.text().then((text) => {
      const added = store.merge(JSON.parse(text));
      status.textContent = "Imported: " + added + " new paper" + (added === 1 ? "" : "s") + ".";
    }).catch((error) => { status.textContent = "Not a reading-list export: " + error.message; });
    input.value = "";
  });
  window.addEventListener("digest:reading-list", draw);
  window.addEventListener("storage", draw);
  draw();
}

/* The saved papers with their read marks; ``url`` is from the site root (an import on this site, under
 * any address, reads it), ``link`` the full address for people. */
function exported(store, root) {
  const data = store.load();
  return {
    format: "paper-digest reading list", version: 1, exported: new Date().toISOString(),
    papers: savedNewestFirst(store).map(([id, paper]) => ({
      id, ...paper, link: new URL(paper.url, root).href, read: data.read[id] || null,
    })),
  };
}

function bibtexOf(saved, root) {
  return bibtex(saved.map(([id, paper]) => ({ id, title: paper.title, date: paper.date,
    url: new URL(paper.url, root).href })));
}

function csvOf(saved, store, root) {
  const read = store.load().read;
  return csv([["title", "date", "link", "saved", "read"], ...saved.map(([id, paper]) =>
    [paper.title, paper.date || "", new URL(paper.url, root).href, paper.saved, read[id] || ""])]);
}

/* Papers related to the saved ones: each saved paper's page lists its nearest papers with their
 * closeness; a paper scores by how many saved papers point at it, then by how close, then newest. */
function forYouPage(store, root, container, decorate) {
  const items = container.querySelector("ol");
  const status = container.querySelector("[role=status]");
  const data = store.load();
  const saved = Object.keys(data.saved);
  if (!saved.length) {
    status.textContent = "Save papers first: this page suggests papers related to those you saved.";
    return;
  }
  status.textContent = "Reading the pages of " + saved.length + " saved papers…";
  Promise.all(saved.map((id) => fetch(new URL(data.saved[id].url, root))
    .then((response) => (response.ok ? response.text() : ""))
    .catch(() => "")
    .then((html) => [id, html])))
    .then((pages) => {
      const found = new Map();
      for (const [from, html] of pages) {
        const page = new DOMParser().parseFromString(html, "text/html");
        for (const li of page.querySelectorAll(".digest-related li")) {
          const link = li.querySelector("a");
          const id = link && paperId(new URL(link.getAttribute("href"), new URL(data.saved[from].url, root)).href);
          if (!id || id in data.saved || id in data.read) continue;
          const entry = found.get(id) || { id, title: link.textContent, count: 0, closeness: 0, from: [],
            url: new URL(link.getAttribute("href"), new URL(data.saved[from].url, root)).href,
            date: (li.querySelector("time") || {}).textContent || "" };
          entry.count += 1;
          entry.closeness += Number(li.dataset.closeness || 0);
          entry.from.push(from);
          found.set(id, entry);
        }
      }
      const ranked = [...found.values()].sort((a, b) => b.count - a.count || b.closeness - a.closeness ||
        (a.date < b.date ? 1 : a.date > b.date ? -1 : 0) || (a.id < b.id ? -1 : 1)).slice(0, FOR_YOU_SIZE);
      items.replaceChildren(...ranked.map((entry) => forYouItem(entry, data, root)));
      items.querySelectorAll("li").forEach(decorate);
      status.textContent = ranked.length ? ranked.length + " papers related to your " + saved.length +
        " saved papers, those related to most of them first." : "No related paper that you have not saved or read.";
    });
}

function forYouItem(entry, data, root) {
  const sources = entry.from.flatMap((from, k) => [k ? ", " : "",
    el("a", { href: new URL(data.saved[from].url, root).href }, data.saved[from].title)]);
  const more = document.createDocumentFragment();
  more.append("related to ", ...sources);
  return paperItem({ title: entry.title, url: entry.url, date: entry.date, dataDate: entry.date, more });
}
