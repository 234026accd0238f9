/* The reading list's small buttons and the bar that holds them. */

/* A small button of the reading list; ``pressed`` (a boolean) makes it a toggle. */
export function smallButton(text, onClick, pressed) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "digest-save";
  button.textContent = text;
  if (pressed !== undefined) button.setAttribute("aria-pressed", String(pressed));
  button.addEventListener("click", onClick);
  return button;
}

export function actionBar(...children) {
  const bar = document.createElement("p");
  bar.className = "digest-actions";
  bar.append(...children);
  return bar;
}
