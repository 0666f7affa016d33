// An inline confirmation, as a list row asks before it deletes: the row's
// actions give way to the question, "Cancel" (which takes the focus) and
// the button that does it. Escape cancels, as it closes a dialog, and the
// focus goes back to the first button of the actions.

import { h } from "./dom.js";

// confirmInline swaps actions for the question; label names the group
// (the question by default), yes names the button that runs onYes (which
// gets the box, to disable it while it works).
export function confirmInline(actions, { question, label = question, yes, onYes }) {
  const cancel = () => {
    box.replaceWith(actions);
    const first = actions.querySelector("button");
    if (first) first.focus();
  };
  const keep = h("button", { type: "button", class: "btn btn-sm", onclick: cancel }, "Cancel");
  const onkeydown = (e) => { if (e.key === "Escape") { e.preventDefault(); cancel(); } };
  const box = h("div", { class: "member-confirm", role: "group", "aria-label": label, onkeydown },
    h("span", {}, question),
    keep,
    h("button", { type: "button", class: "btn btn-sm btn-danger-solid", onclick: () => onYes(box) }, yes));
  actions.replaceWith(box);
  keep.focus();
  return { cancel };
}
