/* The theme's scripts (Material's bundle and any extra_javascript), which the search page runs only once
 * its first results show (main.html keeps them in <template id="digest-theme-scripts">): on a fresh
 * load they are the largest part of the main thread's work before the first result, and they only add
 * the frame's behaviour (the drawer, the header on scroll, the colour toggle), not the results. */

let domReady = document.readyState === "complete";
document.addEventListener("DOMContentLoaded", () => { domReady = true; }, { once: true });
let started = false;

/* Runs them once, in their order. Material starts on DOMContentLoaded: when that has passed, it is told
 * again once the scripts have run (a listener that already heard it, with ``once``, is gone). */
export function runThemeScripts() {
  const kept = document.getElementById("digest-theme-scripts");
  if (started || !kept) return;
  started = true;
  const scripts = Array.from(kept.content.querySelectorAll("script")).map((original) => {
    const script = document.createElement("script");
    for (const { name, value } of original.attributes) script.setAttribute(name, value);
    script.textContent = original.textContent;
    script.async = false;
    return script;
  });
  const told = () => { if (domReady) document.dispatchEvent(new Event("DOMContentLoaded")); };
  const last = scripts[scripts.length - 1];
  if (last && last.src) last.addEventListener("load", told);
  document.body.append(...scripts);
  if (last && !last.src) told();
}
