// A person's sessions with their access, opened from the Users page
// (GET /api/v1/users/{id}/sessions, contract section 15), a page at a
// time: "Show more sessions" follows the cursor.

import { api } from "./api.js";
import { $, h, accessBadge, failedState, showState, stateBlock } from "./dom.js";
import { Modal } from "./dialog.js";

export class UserSessionsDialog {
  constructor() {
    this.dialog = $("#user-sessions-dialog");
    this.modal = new Modal(this.dialog);
    this.els = { title: $("#user-sessions-title"), list: $("#user-sessions-list"), state: $("#user-sessions-state"), more: $("#user-sessions-more") };
    this.els.more.addEventListener("click", () => this.load());
  }

  // open shows the sessions of user u from the first page.
  open(u) {
    this.user = u;
    this.cursor = "";
    this.els.title.textContent = `Sessions of ${u.name}`;
    this.els.list.replaceChildren();
    this.els.more.hidden = true;
    showState(this.els.state, stateBlock({ title: "Loading sessions…", loading: true }));
    this.modal.open(this.els.list);
    this.load();
  }

  async load() {
    const params = new URLSearchParams({ limit: "100" });
    if (this.cursor) params.set("cursor", this.cursor);
    try {
      const page = await api("GET", `/api/v1/users/${encodeURIComponent(this.user.id)}/sessions?${params}`);
      this.els.list.append(...(page.items || []).map(sessionRow));
      this.cursor = page.next_cursor || "";
      this.els.more.hidden = !this.cursor;
      showState(this.els.state, this.els.list.children.length ? null
        : stateBlock({ title: "In no session", text: `${this.user.name} is not a member of any session.`, iconName: "session" }));
    } catch (err) {
      showState(this.els.state, failedState("Sessions could not be loaded", err, () => this.load()));
    }
  }
}

function sessionRow(s) {
  return h("li", {}, h("a", { href: `/sessions/${encodeURIComponent(s.session_id)}` }, s.title), accessBadge(s.access));
}
