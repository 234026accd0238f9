/* "Find this paper on arXiv · Hugging Face" under a paper page's keyphrases: searches by its title, made
 * here from the page's heading rather than stored in every paper page (0.4 KB each). */

const SEARCHES = [
  ["arXiv", (query) => "https://arxiv.org/search/?" + new URLSearchParams({ query, searchtype: "title" })],
  ["Hugging Face", (query) => "https://huggingface.co/papers?" + new URLSearchParams({ q: query })],
];

export function findElsewhere(heading) {
  const line = document.createElement("p");
  line.className = "digest-links";
  line.append("Find this paper on ");
  SEARCHES.forEach(([name, address], index) => {
    const link = document.createElement("a");
    link.href = address(heading.textContent);
    link.rel = "noopener";
    link.textContent = name;
    line.append(...(index ? [" · ", link] : [link]));
  });
  const after = document.querySelector(".digest-code-links") || document.querySelector(".digest-keyphrases");
  (after || heading).after(line);
}
