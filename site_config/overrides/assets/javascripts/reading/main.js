/* Reading list, on every page: a Save button on the paper page and on each paper of a list (date, week,
 * topic and watchlist pages, search results); opening a paper's page marks it read; lists can hide read
 * papers ("Hide read", remembered). The reading-list and for-you pages are drawn by library.js, the CSV
 * and BibTeX downloads of day and topic pages by exports.js. All of it lives in this browser's
 * localStorage (store.js); dump text is only ever set as text. */

import { el } from "../elements.js";
import { actionBar, smallButton } from "./buttons.js";
import { fromRoot, makeStore, paperId, siteRoot } from "./store.js";
import { startLibrary } from "./library.js";
import { findElsewhere } from "./elsewhere.js";
import { startListExports } from "./exports.js";

const ITEMS = ".digest-papers > li, li.digest-result";
const LISTS = "ul.digest-papers, ol.digest-papers, ol.digest-results";

const root = siteRoot();
const store = makeStore(root);
const buttons = new Map();

function saveButton(id, describe) {
  const button = smallButton("Save", () => {
    if (store.isSaved(id)) store.remove(id);
    else store.add(id, describe());
  }, store.isSaved(id));
  button.setAttribute("aria-label", "Save to reading list");
  if (!buttons.has(id)) buttons.set(id, []);
  buttons.get(id).push(button);
  return button;
}

/* What a list item says of its paper, to keep with the saved paper. */
function describeItem(item, link) {
  const tldr = item.querySelector(".digest-paper__tldr, .digest-result__snippet");
  return {
    title: link.textContent,
    url: fromRoot(link.href, root),
    date: item.dataset.date || (item.querySelector("time") || {}).dateTime || null,
    topics: [...item.querySelectorAll(".digest-chip")].map((chip) => [chip.textContent,
      chip.href ? fromRoot(chip.href, root) : ""]),
    tldr: item.dataset.tldr || (tldr && tldr.classList.contains("digest-paper__tldr") ? tldr.textContent : ""),
  };
}

function decorate(item) {
  if (item.dataset.reading) return;
  const link = item.querySelector(":scope > a:first-child");
  const id = link && paperId(link.href);
  if (!id) return;
  item.dataset.reading = id;
  const button = saveButton(id, () => describeItem(item, link));
  link.after(" ", button);
  refreshItem(item);
}

function refreshItem(item) {
  const read = store.isRead(item.dataset.reading);
  item.classList.toggle("digest-paper--read", read);
  let mark = item.querySelector(".digest-read-mark");
  if (read && !mark) {
    mark = el("span", { className: "digest-read-mark" }, "read");
    item.querySelector(".digest-save").after(" ", mark);
  } else if (!read && mark) {
    mark.remove();
  }
  item.hidden = read && store.load().hideRead && !item.closest("#digest-reading-list");
}

function paperPage(heading, id) {
  store.markRead(id);
  const description = document.querySelector('meta[name="description"]');
  const describe = () => ({
    title: heading.textContent,
    url: fromRoot(location.href, root),
    date: heading.dataset.date || null,
    topics: [...document.querySelectorAll(".digest-facts a.digest-chip")].map((chip) => [chip.textContent,
      fromRoot(chip.href, root)]),
    tldr: description ? description.content : "",
  });
  const unread = smallButton("Mark unread", () => {
    if (store.isRead(id)) store.markUnread(id);
    else store.markRead(id);
    unread.textContent = store.isRead(id) ? "Mark unread" : "Mark read";
  });
  heading.after(actionBar(saveButton(id, describe), " ", unread));
}

function hideReadToggle(firstList) {
  const toggle = smallButton("Hide read", () => store.setHideRead(!store.load().hideRead), store.load().hideRead);
  firstList.before(actionBar(toggle));
  return toggle;
}

function refresh(toggle) {
  for (const [id, list] of buttons) {
    for (const button of list) button.setAttribute("aria-pressed", String(store.isSaved(id)));
  }
  if (toggle) toggle.setAttribute("aria-pressed", String(store.load().hideRead));
  document.querySelectorAll(ITEMS).forEach((item) => { if (item.dataset.reading) refreshItem(item); });
}

function start() {
  const heading = document.querySelector("h1.digest-title"), id = paperId(location.href, root);
  if (heading && id) {
    paperPage(heading, id);
    findElsewhere(heading);
  }
  document.querySelectorAll(ITEMS).forEach(decorate);
  const firstList = document.querySelector(LISTS);
  const toggle = firstList && !document.getElementById("digest-reading-list") ? hideReadToggle(firstList) : null;
  const results = document.getElementById("search-results");
  if (results) {
    new MutationObserver(() => results.querySelectorAll(ITEMS).forEach(decorate))
      .observe(results, { childList: true });
  }
  window.addEventListener("digest:reading-list", () => refresh(toggle));
  window.addEventListener("storage", () => refresh(toggle));
  startLibrary(store, root, decorate);
  startListExports();
}

start();
