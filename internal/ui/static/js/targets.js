// The sessions a bulk dialog (Invite Users, Change access) is about to
// change: the ticked sessions, or for "Select all N matching" the first
// page of the search and how many more, listed in the dialog's scrolling
// list (focusable, so it can be reviewed by keyboard).

import { api } from "./api.js";
import { h, icon, plural } from "./dom.js";

const PREVIEW = 100;

// selectedTargets returns { count, items, more } for selection.
export async function selectedTargets(selection) {
  if (!selection.query) {
    const items = selection.list();
    return { count: items.length, items, more: 0 };
  }
  const params = new URLSearchParams({ q: selection.query.q, limit: String(PREVIEW) });
  const page = await api("GET", `/api/v1/sessions?${params}`);
  const items = page.items || [];
  const count = typeof page.total === "number" ? page.total : selection.size;
  return { count, items, more: Math.max(0, count - items.length), q: selection.query.q };
}

// renderTargets fills list and its count with targets.
export function renderTargets(list, countEl, targets) {
  countEl.textContent = plural(targets.count, "session");
  const rows = targets.items.map((s) => h("li", {}, icon("session"), h("span", {}, s.title)));
  if (targets.more) rows.push(h("li", { class: "muted" }, `and ${plural(targets.more, "more session")} matching “${targets.q}”`));
  list.replaceChildren(...rows);
}
