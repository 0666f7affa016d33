// All Sessions: search as you type, pages of 25, and a selection of sessions
// that survives searching, paging and reloading, for the Invite Users dialog.

import { api, isAbort } from "./api.js";
import { $, h, avatar, accessBadge, accessLabel, debounce, formatDate, pageData, stateBlock, plural } from "./dom.js";
import { Selection } from "./selection.js";
import { InviteDialog } from "./invite.js";

const PAGE_SIZE = 25;
const data = pageData();
const canInvite = data.canMultiInvite === "true";

const els = {
  search: $("#search"),
  rows: $("#session-rows"),
  table: $("#sessions-table"),
  state: $("#list-state"),
  prev: $("#prev-page"),
  next: $("#next-page"),
  pageLabel: $("#page-label"),
  pageAll: document.getElementById("select-page"),
  inviteOpen: document.getElementById("invite-open"),
  bar: document.getElementById("selection-bar"),
  count: document.getElementById("selection-count"),
  selList: document.getElementById("selection-list"),
  clear: document.getElementById("selection-clear"),
};

const saved = history.state || {};
const state = {
  q: new URLSearchParams(location.search).get("q") || "",
  cursors: Array.isArray(saved.cursors) && saved.q === (new URLSearchParams(location.search).get("q") || "") ? saved.cursors : [""],
  items: [],
  nextCursor: null,
  controller: null,
};

const selection = new Selection(data.tenantId, data.userId, renderSelection);
const invite = canInvite ? new InviteDialog({ selection, fallbackFocus: els.search, onDone: () => load() }) : null;

function rememberPosition() {
  const url = new URL(location.href);
  if (state.q) url.searchParams.set("q", state.q);
  else url.searchParams.delete("q");
  history.replaceState({ q: state.q, cursors: state.cursors }, "", url);
}

async function load() {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (state.q) params.set("q", state.q);
  const cursor = state.cursors[state.cursors.length - 1];
  if (cursor) params.set("cursor", cursor);
  try {
    const page = await api("GET", `/api/v1/sessions?${params}`, undefined, { signal: controller.signal });
    state.items = page.items || [];
    state.nextCursor = page.next_cursor || null;
    renderRows();
  } catch (err) {
    if (isAbort(err)) return;
    state.items = [];
    state.nextCursor = null;
    els.rows.replaceChildren();
    showState(stateBlock({ title: "Sessions could not be loaded", text: err.message, iconName: "alert",
      action: h("button", { type: "button", class: "btn", onclick: () => load() }, "Try again") }));
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
      renderPager();
      rememberPosition();
    }
  }
}

function setBusy(busy) {
  els.table.setAttribute("aria-busy", String(busy));
  els.table.classList.toggle("is-loading", busy);
}

function showState(block) {
  els.state.replaceChildren(block || "");
  els.state.hidden = !block;
}

function renderRows() {
  els.rows.replaceChildren(...state.items.map(row));
  if (state.items.length > 0) showState(null);
  else if (state.q) {
    showState(stateBlock({ title: "No sessions match your search", text: `Nothing is called “${state.q}”. Check the spelling or try a shorter word.`, iconName: "search",
      action: h("button", { type: "button", class: "btn", onclick: () => setQuery("") }, "Clear search") }));
  } else if (state.cursors.length > 1) {
    showState(stateBlock({ title: "No more sessions", text: "This page is empty. Go back to the previous page." }));
  } else {
    showState(stateBlock({ title: "No sessions yet", text: "Sessions you create or are invited to appear here.", iconName: "session" }));
  }
  renderSelection();
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

function renderPager() {
  const page = state.cursors.length;
  els.prev.disabled = page <= 1;
  els.next.disabled = !state.nextCursor;
  els.pageLabel.textContent = state.items.length ? `Page ${page}` : "";
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
  for (const tr of els.rows.children) {
    const on = selection.has(tr.dataset.id);
    tr.classList.toggle("is-selected", on);
    const box = tr.querySelector("input[type=checkbox]");
    if (box) box.checked = on;
  }
  const onPage = state.items.filter((s) => selection.has(s.id)).length;
  els.pageAll.checked = onPage > 0 && onPage === state.items.length;
  els.pageAll.indeterminate = onPage > 0 && onPage < state.items.length;
  els.pageAll.disabled = state.items.length === 0;
}

function setQuery(q) {
  els.search.value = q;
  state.q = q;
  state.cursors = [""];
  load();
}

els.search.value = state.q;
els.search.addEventListener("input", debounce(() => {
  const q = els.search.value.trim();
  if (q !== state.q) setQuery(q);
}, 250));
els.search.addEventListener("keydown", (e) => {
  if (e.key === "Enter") {
    e.preventDefault();
    const q = els.search.value.trim();
    if (q !== state.q) setQuery(q);
  }
});
els.next.addEventListener("click", () => {
  if (!state.nextCursor) return;
  state.cursors.push(state.nextCursor);
  load();
});
els.prev.addEventListener("click", () => {
  if (state.cursors.length <= 1) return;
  state.cursors.pop();
  load();
});
if (canInvite) {
  els.pageAll.addEventListener("change", (e) => selection.set(state.items, e.target.checked));
  els.clear.addEventListener("click", () => {
    selection.clear();
    els.search.focus();
  });
  els.inviteOpen.addEventListener("click", () => invite.open());
}

renderSelection();
load();
