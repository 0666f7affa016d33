// All Sessions: search as you type, pages of 25, and a selection of sessions
// that survives searching, paging and reloading, for the Invite Users and Change access dialogs.

import { h, avatar, accessBadge, accessLabel, formatDate, pageData, plural, showPendingToast } from "./dom.js";
import { api } from "./api.js";
import { SessionForm } from "./session_form.js";
import { PagedList } from "./pager.js";
import { Selection } from "./selection.js";
import { InviteDialog } from "./invite.js";
import { ChangeAccessDialog } from "./access.js";

const data = pageData();
const canInvite = data.canMultiInvite === "true";

const els = {
  pageAll: document.getElementById("select-page"),
  inviteOpen: document.getElementById("invite-open"),
  changeOpen: document.getElementById("change-open"),
  bar: document.getElementById("selection-bar"),
  count: document.getElementById("selection-count"),
  selList: document.getElementById("selection-list"),
  clear: document.getElementById("selection-clear"),
  matching: document.getElementById("select-matching"),
  selSearchWrap: document.getElementById("selection-search-wrap"),
  selSearch: document.getElementById("selection-search"),
};

// A selection longer than this is shown as a count and a searchable list.
const COMPACT_AT = 12;

const list = new PagedList({
  path: "/api/v1/sessions", search: "#search", table: "#sessions-table", rows: "#session-rows", state: "#list-state",
  row, empty: emptySessions, errorTitle: "Sessions could not be loaded", onRender: renderSelection,
});
const selection = new Selection(data.tenantId, data.userId, renderSelection);
const invite = canInvite ? new InviteDialog({ selection, fallbackFocus: list.els.search, onDone: () => list.load() }) : null;
const change = canInvite ? new ChangeAccessDialog({ selection, fallbackFocus: list.els.search, onDone: () => list.load() }) : null;

// "New session" opens the dialog; the session made opens.
const newSessionOpen = document.getElementById("new-session-open");
const newSession = newSessionOpen ? new SessionForm("new-session", async (fields) => {
  const s = await api("POST", "/api/v1/sessions", fields);
  location.assign(`/sessions/${encodeURIComponent(s.id)}`);
}) : null;
newSessionOpen?.addEventListener("click", () => newSession.open());

function emptySessions({ q, later }) {
  if (q) return { title: "No sessions match your search", text: `Nothing is called “${q}”. Check the spelling or try a shorter word.` };
  if (later) return { title: "No more sessions", text: "This page is empty. Go back to the previous page." };
  return firstRun();
}

// firstRun is the empty list's next step: create a session, then add
// people (a Tenant Admin registers them on Users first); or, for someone
// who may not create sessions, wait to be invited.
function firstRun() {
  if (!newSession) return { title: "No sessions yet", text: "Sessions you are invited to appear here.", iconName: "session" };
  const admin = data.role === "admin";
  const text = admin
    ? "Create a session for your notes, discussion and files, then add people to it. Register your colleagues on Users first, so you can add them."
    : "Create a session for your notes, discussion and files, then add people to it. Sessions you are invited to appear here too.";
  return { title: "No sessions yet", text, iconName: "session", action: h("div", { class: "state-actions" },
    h("button", { type: "button", class: "btn btn-primary", onclick: () => newSession.open() }, "New session"),
    admin ? h("a", { class: "btn", href: "/users" }, "Add people on Users") : null) };
}

function row(s) {
  const selected = selection.has(s.id, shownQuery());
  const owner = s.owner || {};
  return h("tr", { class: selected ? "is-selected" : null, "data-id": s.id },
    canInvite ? h("td", { class: "col-check" }, h("input", {
      type: "checkbox", "aria-label": `Select ${s.title}`, checked: selected,
      onchange: (e) => selection.set([s], e.target.checked, list.items),
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
  els.changeOpen.disabled = n === 0;
  renderSelectedList();
  renderSelectMatching();
  if (n === 0) els.bar.querySelector("details").open = false;
  const matches = shownQuery();
  for (const tr of list.els.rows.children) {
    const on = selection.has(tr.dataset.id, matches);
    tr.classList.toggle("is-selected", on);
    const box = tr.querySelector("input[type=checkbox]");
    if (box) box.checked = on;
  }
  const onPage = list.items.filter((s) => selection.has(s.id, matches)).length;
  els.pageAll.checked = onPage > 0 && onPage === list.items.length;
  els.pageAll.indeterminate = onPage > 0 && onPage < list.items.length;
  els.pageAll.disabled = list.items.length === 0;
}

// shownQuery is true when the list shows the search that is selected.
function shownQuery() {
  return !!selection.query && selection.query.q === list.q;
}

// renderSelectedList lists the selection: the search when a query is
// selected; past COMPACT_AT sessions, behind a search of its own.
function renderSelectedList() {
  if (selection.query) {
    els.selSearchWrap.hidden = true;
    els.selList.replaceChildren(h("li", {}, h("span", {}, `All ${plural(selection.size, "session")} matching “${selection.query.q}”`)));
    return;
  }
  const all = selection.list();
  els.selSearchWrap.hidden = all.length <= COMPACT_AT;
  const words = els.selSearchWrap.hidden ? "" : els.selSearch.value.trim().toLowerCase();
  els.selList.classList.toggle("is-compact", !els.selSearchWrap.hidden);
  els.selList.replaceChildren(...all.filter((s) => s.title.toLowerCase().includes(words)).map((s) => h("li", {},
    h("span", {}, s.title),
    h("button", { type: "button", class: "icon-btn", "aria-label": `Unselect ${s.title}`, onclick: () => selection.set([s], false) },
      "×"))));
}

// renderSelectMatching offers "Select all N matching" when a search
// matches more sessions than the page shows (and no more than a bulk call
// takes: the total is exact).
function renderSelectMatching() {
  const offer = !!list.q && list.more && !list.total.capped && !shownQuery();
  els.matching.hidden = !offer;
  if (offer) els.matching.textContent = `Select all ${list.total.n} matching`;
}

if (canInvite) {
  els.matching.addEventListener("click", () => {
    selection.selectQuery({ q: list.q, total: list.total.n, capped: list.total.capped });
    els.count.focus?.();
  });
  els.selSearch.addEventListener("input", renderSelectedList);
  els.pageAll.addEventListener("change", (e) => selection.set(list.items, e.target.checked, list.items));
  els.clear.addEventListener("click", () => {
    selection.clear();
    list.els.search.focus();
  });
  els.inviteOpen.addEventListener("click", () => invite.open());
  els.changeOpen.addEventListener("click", () => change.open());
}

renderSelection();
showPendingToast();
list.load();
