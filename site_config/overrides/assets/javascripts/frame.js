// Material's page globals and the reader's colour scheme, from one cached file instead of two inline
// scripts on every page (partials/javascripts/palette.html loads it right after the palette toggle, so
// the scheme is set before the page is first painted). Same behaviour as Material's own inline code.
(function () {
  "use strict";
  const scope = new URL("../../", document.currentScript.src);  // this file is assets/javascripts/frame.js
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
