// The Activity page's "Access requests" tab (activity_requests.html), for
// Tenant Admins: the people a multi-invite asked to have registered
// (contract section 14), 25 a page over the API's cursors, newest first.
// Ticking requests and pressing "Approve" registers each person, grants
// the sessions waiting for them and sends them a link to set a password;
// "Decline" drops them. Both act on all the ticked ones or on none.

import { api } from "./api.js";
import { $, h, accessLabel, failedState, notice, showState, stateBlock } from "./dom.js";
import { formatCount } from "./outcome.js";
import { bindCursorPager } from "./pager.js";

const PAGE_SIZE = 25;
const TITLES_SHOWN = 3;
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export async function mount(panel) {
  await new RequestsTab(panel).load();
}

class RequestsTab {
  constructor(panel) {
    this.els = {
      status: $("#requests-status", panel), selected: $("#requests-selected", panel), result: $("#requests-result", panel),
      approve: $("#requests-approve", panel), decline: $("#requests-decline", panel), table: $("#requests-table", panel),
      rows: $("#requests-rows", panel), state: $("#requests-state", panel), pageAll: $("#requests-select-page", panel),
      page: $("#requests-page", panel), prev: $("#requests-prev", panel), next: $("#requests-next", panel),
    };
    this.cursors = [""];
    this.nextCursor = null;
    this.items = [];
    this.ticked = new Map(); // id -> request, kept across pages
    this.requesters = new Map(); // user id -> Promise of a name
    this.busy = false;
    this.bind();
  }

  bind() {
    const { status, approve, decline, pageAll, prev, next } = this.els;
    status.addEventListener("change", () => {
      this.ticked.clear();
      this.cursors = [""];
      this.els.result.replaceChildren();
      this.load();
    });
    approve.addEventListener("click", () => this.decide("approve"));
    decline.addEventListener("click", () => this.decide("decline"));
    pageAll.addEventListener("change", () => {
      for (const r of this.items) this.tick(r, pageAll.checked);
      this.render();
    });
    bindCursorPager(this, prev, next);
  }

  get pending() {
    return this.els.status.value === "pending";
  }

  async load() {
    const params = new URLSearchParams({ status: this.els.status.value, limit: String(PAGE_SIZE) });
    const cursor = this.cursors[this.cursors.length - 1];
    if (cursor) params.set("cursor", cursor);
    const seq = (this.seq = (this.seq || 0) + 1);
    this.els.table.setAttribute("aria-busy", "true");
    try {
      const page = await api("GET", `/api/v1/access-requests?${params}`);
      if (seq !== this.seq) return;
      this.items = page.items || [];
      this.nextCursor = page.next_cursor || null;
      await this.nameRequesters(this.items);
      if (seq !== this.seq) return;
      showState(this.els.state, this.items.length ? null : this.emptyState());
    } catch (err) {
      if (seq !== this.seq) return;
      this.items = [];
      this.nextCursor = null;
      showState(this.els.state, failedState("Access requests could not be loaded", err, () => this.load()));
    }
    this.els.table.setAttribute("aria-busy", "false");
    this.render();
  }

  emptyState() {
    const text = {
      pending: "Nobody is waiting to be registered. When Invite Users asks you to register people, they appear here.",
      granted: "No request was granted yet.",
      declined: "No request was declined.",
    }[this.els.status.value];
    return stateBlock({ title: this.cursors.length > 1 ? "No more requests" : "No access requests", text });
  }

  // nameRequesters learns the name of everyone who asked, once each.
  async nameRequesters(items) {
    for (const r of items) {
      if (!this.requesters.has(r.requested_by)) {
        this.requesters.set(r.requested_by, api("GET", `/api/v1/users/${encodeURIComponent(r.requested_by)}`)
          .then((u) => u.name).catch(() => "someone no longer here"));
      }
    }
    this.names = new Map(await Promise.all([...this.requesters].map(async ([id, name]) => [id, await name])));
  }

  tick(r, on) {
    if (on) this.ticked.set(r.id, r);
    else this.ticked.delete(r.id);
  }

  render() {
    const { rows, pageAll, selected, approve, decline, page, prev, next } = this.els;
    rows.replaceChildren(...this.items.map((r) => this.row(r)));
    const n = this.ticked.size;
    selected.textContent = `${formatCount(n)} selected`;
    selected.hidden = !this.pending;
    pageAll.disabled = !this.pending || !this.items.length || this.busy;
    pageAll.checked = this.items.length > 0 && this.items.every((r) => this.ticked.has(r.id));
    approve.hidden = decline.hidden = !this.pending;
    approve.disabled = decline.disabled = this.busy || n === 0;
    approve.setAttribute("aria-busy", String(this.busy));
    decline.setAttribute("aria-busy", String(this.busy));
    page.textContent = this.items.length ? `Page ${this.cursors.length}` : "";
    prev.disabled = this.cursors.length <= 1;
    next.disabled = !this.nextCursor;
  }

  row(r) {
    const check = this.pending ? h("input", {
      type: "checkbox", "aria-label": `Select ${r.contact}`, checked: this.ticked.has(r.id), disabled: this.busy,
      onchange: (e) => { this.tick(r, e.target.checked); this.render(); },
    }) : null;
    return h("tr", { "data-id": r.id, class: this.ticked.has(r.id) ? "is-selected" : null },
      h("td", { class: "col-check" }, check),
      h("td", {}, h("span", { class: "row-title" }, r.contact), r.status !== "pending" ? h("span", { class: "row-sub" }, statusText(r)) : null),
      h("td", { class: "col-requester" }, this.names.get(r.requested_by) || ""),
      h("td", {}, accessLabel(r.access)),
      h("td", {}, sessionsCell(r.sessions || [])),
      h("td", { class: "col-when nowrap muted" }, when.format(new Date(r.created_at))));
  }

  // decide approves or declines every ticked request, all or none, and
  // says what came of it.
  async decide(action) {
    const picked = [...this.ticked.values()];
    if (!picked.length || this.busy) return;
    this.busy = true;
    this.els.result.replaceChildren();
    this.render();
    try {
      const res = await api("POST", `/api/v1/access-requests/${action}`, { ids: picked.map((r) => r.id) });
      this.ticked.clear();
      this.say(notice("ok", decidedText(action, res.items || picked)), ...lessGranted(res.items || []));
      this.cursors = [""];
    } catch (err) {
      this.say(notice("error", `Nothing was ${action === "approve" ? "approved" : "declined"}. ${err.message}`));
    } finally {
      this.busy = false;
    }
    await this.load();
  }

  say(...blocks) {
    this.els.result.replaceChildren(...blocks);
    const first = blocks[0];
    first.tabIndex = -1;
    first.focus();
  }
}

function decidedText(action, items) {
  const who = listOf(items.map((r) => r.contact).sort((x, y) => x.localeCompare(y)));
  const n = items.length === 1 ? "1 request" : `${formatCount(items.length)} requests`;
  return action === "approve"
    ? `Approved ${n}: ${who} ${items.length === 1 ? "is" : "are"} registered, got their sessions and will get a link to set a password.`
    : `Declined ${n}: ${who}.`;
}

// lessGranted tells of the approved requests that granted less than they
// asked (a session deleted since, a requester who lost the right).
function lessGranted(items) {
  const less = items.filter((r) => r.reason);
  if (!less.length) return [];
  return [h("ul", { class: "chip-problems" }, ...less.map((r) => h("li", {}, `${r.contact}: ${r.reason}`)))];
}

function statusText(r) {
  if (r.status === "declined") return "Declined";
  return r.reason ? `Granted, ${r.reason}` : "Granted";
}

// sessionsCell names a request's sessions: "Budget review, Team retro",
// and past a few, "and 2 more" opening to the others; a session deleted
// since has no title any more.
function sessionsCell(sessions) {
  const titles = sessions.map((s) => s.title || "a deleted session");
  const shown = titles.slice(0, TITLES_SHOWN).join(", ");
  if (titles.length <= TITLES_SHOWN) return shown;
  return [`${shown} `, h("details", { class: "more-sessions" },
    h("summary", {}, `and ${formatCount(titles.length - TITLES_SHOWN)} more`),
    h("span", {}, titles.slice(TITLES_SHOWN).join(", ")))];
}

function listOf(words) {
  const shown = words.slice(0, 5);
  const more = words.length - shown.length;
  if (more > 0) return `${shown.join(", ")} and ${formatCount(more)} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(", ")} and ${shown[shown.length - 1]}` : shown.join("");
}
