/* Keys: "/" goes to the search box, ↓ and ↑ walk the results, Escape goes back to the box. */

export function bindKeyboard(input, list) {
  document.addEventListener("keydown", (event) => {
    const links = Array.from(list.querySelectorAll("a.digest-result__title"));
    const at = links.indexOf(document.activeElement);
    if (event.key === "/" && !/^(INPUT|SELECT|TEXTAREA)$/.test(document.activeElement.tagName)) {
      event.preventDefault();
      input.focus();
      input.select();
    } else if (event.key === "ArrowDown" && (document.activeElement === input || at >= 0) && links.length) {
      event.preventDefault();
      links[Math.min(at + 1, links.length - 1)].focus();
    } else if (event.key === "ArrowUp" && at >= 0) {
      event.preventDefault();
      (at === 0 ? input : links[at - 1]).focus();
    } else if (event.key === "Escape" && at >= 0) {
      input.focus();
    }
  });
}
