/* "Find this paper on arXiv · Hugging Face" under a paper page's keyphrases: searches by its title, made
 * here from the page's heading rather than stored in every paper page (0.4 KB each). */

import { el } from "../elements.js";

const SEARCHES = [
  ["arXiv", (query) => "https://arxiv.org/search/?" + new URLSearchParams({ query, searchtype: "title" })],
  ["Hugging Face", (query) => "https://huggingface.co/papers?" + new URLSearchParams({ q: query })],
];

export function findElsewhere(heading) {
  const line = el("p", { className: "digest-links" }, "Find this paper on ");
  SEARCHES.forEach(([name, address], index) => {
    const link = el("a", { href: address(heading.textContent), rel: "noopener" }, name);
    line.append(...(index ? [" · ", link] : [link]));
  });
  const after = document.querySelector(".digest-code-links") || document.querySelector(".digest-keyphrases");
  (after || heading).after(line);
}
