/* The reading list's small buttons and the bar that holds them. */

import { el } from "../elements.js";

/* A small button of the reading list; ``pressed`` (a boolean) makes it a toggle. */
export function smallButton(text, onClick, pressed) {
  const button = el("button", { type: "button", className: "digest-save" }, text);
  if (pressed !== undefined) button.setAttribute("aria-pressed", String(pressed));
  button.addEventListener("click", onClick);
  return button;
}

export function actionBar(...children) {
  return el("p", { className: "digest-actions" }, ...children);
}
