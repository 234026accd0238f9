// Material's page globals, the parts of its frame that only show by script, and the reader's colour
// scheme, from one cached file instead of markup and inline scripts on every page. It is loaded in the
// header (partials/javascripts/palette.html), so the scheme is set before the page is first painted and
// the parts are in place before Material's bundle looks for them. The build starts this file with
// `self.__digest_frame`: the colour-scheme toggle, the back-to-top button, the link to search, Material's
// configuration and the navigation tabs, rendered once from mkdocs.yml and the theme's partials
// (generator/publish/frame.py).
(function () {
  "use strict";
  const script = document.currentScript;
  const scope = new URL("../../", script.src);  // this file is assets/javascripts/frame.js
  const frame = self.__digest_frame;
  window.__md_scope = scope;
  window.__md_hash = (text) => [...text].reduce((hash, c) => (hash << 5) - hash + c.charCodeAt(0), 0);
  window.__md_get = (key, storage = localStorage, base = scope) =>
    JSON.parse(storage.getItem(base.pathname + "." + key));
  window.__md_set = (key, value, storage = localStorage, base = scope) => {
    try {
      storage.setItem(base.pathname + "." + key, JSON.stringify(value));
    } catch {
      // storage full or refused: the choice lasts for this page only
    }
  };

  // The page's title in the header bar, which Material shows once the page's heading scrolls away.
  const [site, topic] = document.querySelectorAll(".md-header__topic .md-ellipsis");
  const suffix = " - " + site.textContent;
  topic.textContent = document.title.endsWith(suffix) ? document.title.slice(0, -suffix.length) : document.title;
  script.insertAdjacentHTML("beforebegin", frame.palette);
  script.insertAdjacentHTML("afterend", frame.search);
  const search = script.nextElementSibling;
  search.href = new URL(search.getAttribute("href"), scope).href;
  // Material's button is fixed to the window: where it sits in the page does not move it.
  document.body.insertAdjacentHTML("beforeend", frame.top);
  // The navigation tabs of a page outside the navigation, where its tabs bar calls for them (main.html).
  window.__digestTabs = () => {
    const list = document.createElement("ul");
    list.className = "md-tabs__list";
    for (const [title, address] of frame.tabs) {
      const item = document.createElement("li"), link = document.createElement("a");
      item.className = "md-tabs__item";
      link.className = "md-tabs__link";
      link.href = new URL(address, scope).href;
      link.textContent = title;
      item.append(link);
      list.append(item);
    }
    const grid = document.createElement("div");
    grid.className = "md-grid";
    grid.append(list);
    document.currentScript.replaceWith(grid);
  };
  const config = document.createElement("script");
  config.id = "__config";
  config.type = "application/json";
  config.textContent = JSON.stringify({ ...frame.config, base: scope.href });
  document.head.append(config);

  const palette = window.__md_get("__palette");
  if (!palette || !palette.color) return;
  if (palette.color.media === "(prefers-color-scheme)") {
    const light = matchMedia("(prefers-color-scheme: light)").matches;
    const input = document.querySelector(
      `[data-md-color-media='(prefers-color-scheme: ${light ? "light" : "dark"})']`);
    for (const key of ["media", "scheme", "primary", "accent"]) {
      palette.color[key] = input.getAttribute("data-md-color-" + key);
    }
  }
  for (const [key, value] of Object.entries(palette.color)) {
    document.body.setAttribute("data-md-color-" + key, value);
  }
})();
