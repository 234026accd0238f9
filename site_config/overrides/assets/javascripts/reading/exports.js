/* CSV and BibTeX of a day's or a topic's papers, written in the browser from the list the page shows
 * (and, for a topic listed over several pages, the lists of its other pages, fetched from this site):
 * the site ships no export files of its own. Columns as papers.json.gz names them. */

import { bibtex, csv, download } from "./formats.js";
import { paperId } from "./store.js";

const ITEMS = ".digest-papers > li";

export function startListExports() {
  for (const bar of document.querySelectorAll(".digest-downloads[data-export-name]")) {
    for (const button of bar.querySelectorAll("button[data-export]")) {
      button.addEventListener("click", () => exportList(bar, button.dataset.export));
    }
    bar.querySelector(".digest-downloads__files").hidden = false;
  }
}

async function exportList(bar, format) {
  const rows = [];
  for (const [address, page] of await listPages()) {
    for (const item of page.querySelectorAll(ITEMS)) rows.push(paperRow(item, address, bar.dataset.exportDate));
  }
  const name = bar.dataset.exportName;
  if (format === "bibtex") download(name + ".bib", "application/x-bibtex", bibtex(rows));
  else download(name + ".csv", "text/csv", csv([["title", "date", "link", "upvotes", "organization"],
    ...rows.map((row) => [row.title, row.date, row.url, row.upvotes, row.organization])]));
}

/* [address, document] of each page of the list, in the pager's order (this page alone when unpaged). */
async function listPages() {
  const here = location.href.split("#")[0];
  const pager = document.querySelector("nav.digest-pager");
  const order = pager ? [...pager.querySelectorAll("a:not([rel]), [aria-current=page]")]
    .map((node) => (node.href ? node.href : here)) : [here];
  return Promise.all(order.map(async (address) => {
    if (address === here) return [here, document];
    const response = await fetch(address);
    if (!response.ok) throw new Error(address + ": " + response.status);
    return [address, new DOMParser().parseFromString(await response.text(), "text/html")];
  }));
}

function paperRow(item, address, pageDate) {
  const link = item.querySelector(":scope > a:first-child");
  const url = new URL(link.getAttribute("href"), address).href;
  const organization = item.querySelector("a.digest-org");
  return {
    id: paperId(url),
    title: link.textContent,
    date: pageDate || item.dataset.date || "",
    url,
    upvotes: item.dataset.upvotes || "",
    organization: organization ? organization.textContent : "",
  };
}
