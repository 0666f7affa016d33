// All Sessions: search as you type, pages of 25, and a selection of sessions
// that survives searching, paging and reloading, for the Invite Users dialog.

import { h, avatar, accessBadge, accessLabel, formatDate, pageData, plural } from "./dom.js";
import { PagedList } from "./pager.js";
import { Selection } from "./selection.js";
import { InviteDialog } from "./invite.js";

const data = pageData();
const canInvite = data.canMultiInvite === "true";

const els = {
  pageAll: document.getElementById("select-page"),
  inviteOpen: document.getElementById("invite-open"),
  bar: document.getElementById("selection-bar"),
  count: document.getElementById("selection-count"),
  selList: document.getElementById("selection-list"),
  clear: document.getElementById("selection-clear"),
};

const list = new PagedList({
  path: "/api/v1/sessions", search: "#search", table: "#sessions-table", rows: "#session-rows", state: "#list-state",
  row, empty: emptySessions, errorTitle: "Sessions could not be loaded", onRender: renderSelection,
});
const selection = new Selection(data.tenantId, data.userId, renderSelection);
const invite = canInvite ? new InviteDialog({ selection, fallbackFocus: list.els.search, onDone: () => list.load() }) : null;

function emptySessions({ q, later }) {
  if (q) return { title: "No sessions match your search", text: `Nothing is called “${q}”. Check the spelling or try a shorter word.` };
  if (later) return { title: "No more sessions", text: "This page is empty. Go back to the previous page." };
  return { title: "No sessions yet", text: "Sessions you create or are invited to appear here.", iconName: "session" };
}

function row(s) {
  const selected = selection.has(s.id);
  const owner = s.owner || {};
  return h("tr", { class: selected ? "is-selected" : null, "data-id": s.id },
    canInvite ? h("td", { class: "col-check" }, h("input", {
      type: "checkbox", "aria-label": `Select ${s.title}`, checked: selected,
      onchange: (e) => selection.set([s], e.target.checked),
    })) : null,
    h("td", {},
      h("a", { class: "row-title", href: `/sessions/${encodeURIComponent(s.id)}` }, s.title),
      h("span", { class: "row-sub" }, [owner.name, s.my_access ? accessLabel(s.my_access) : null, plural(s.member_count || 0, "member")].filter(Boolean).join(" · "))),
    h("td", { class: "col-owner" }, owner.id ? h("div", { class: "owner-cell" }, avatar(owner, "avatar avatar-xs"), owner.name) : ""),
    h("td", { class: "col-access" }, s.my_access ? accessBadge(s.my_access) : h("span", { class: "faint" }, "—")),
    h("td", { class: "col-members col-num" }, String(s.member_count ?? "")),
    h("td", { class: "col-created nowrap muted" }, formatDate(s.created_at)));
}

function renderSelection() {
  if (!canInvite) return;
  const n = selection.size;
  els.count.textContent = `${n} selected`;
  els.bar.classList.toggle("is-empty", n === 0);
  els.clear.hidden = n === 0;
  els.inviteOpen.disabled = n === 0;
  els.selList.replaceChildren(...selection.list().map((s) => h("li", {},
    h("span", {}, s.title),
    h("button", { type: "button", class: "icon-btn", "aria-label": `Unselect ${s.title}`, onclick: () => selection.set([s], false) },
      "×"))));
  if (n === 0) els.bar.querySelector("details").open = false;
  for (const tr of list.els.rows.children) {
    const on = selection.has(tr.dataset.id);
    tr.classList.toggle("is-selected", on);
    const box = tr.querySelector("input[type=checkbox]");
    if (box) box.checked = on;
  }
  const onPage = list.items.filter((s) => selection.has(s.id)).length;
  els.pageAll.checked = onPage > 0 && onPage === list.items.length;
  els.pageAll.indeterminate = onPage > 0 && onPage < list.items.length;
  els.pageAll.disabled = list.items.length === 0;
}

if (canInvite) {
  els.pageAll.addEventListener("change", (e) => selection.set(list.items, e.target.checked));
  els.clear.addEventListener("click", () => {
    selection.clear();
    list.els.search.focus();
  });
  els.inviteOpen.addEventListener("click", () => invite.open());
}

renderSelection();
list.load();
