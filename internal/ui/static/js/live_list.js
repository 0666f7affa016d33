// LiveList is a list of a session's things (messages, files) that the
// page keeps up to date from the live events: the API's pages, newest
// first, one after the other ("Older messages", "Older files"), items
// added and removed by id as events arrive, each id shown once however it
// arrived (the answer to one's own write, or its event), all in the order
// of their ids. Events that arrive while a page loads wait for it, so
// that a page read before a delete cannot bring the deleted item back.

import { api } from "./api.js";
import { failedState, showState, stateBlock, toast } from "./dom.js";

const PAGE_SIZE = 50;

export class LiveList {
  // path is the API list, newest first (limit, cursor, and the query
  // parameters of query); show is the
  // order on screen, "asc" (oldest first) or "desc"; row(item) builds an
  // <li>; empty() is the empty state's stateBlock spec; loading names the
  // loading state; onRender runs after every change.
  constructor({ path, query = {}, show, list, state, more, row, empty, loading, errorTitle, onRender = () => {} }) {
    Object.assign(this, { path, query, show, list, state, more, row, empty, loading, errorTitle, onRender });
    this.items = new Map(); // id -> item, in the order shown
    this.nextCursor = null;
    this.busy = false;
    this.queued = [];
    more.addEventListener("click", () => this.loadMore());
  }

  // load shows the first page.
  async load() {
    this.items.clear();
    this.list.replaceChildren();
    showState(this.state, stateBlock({ title: this.loading, loading: true }));
    await this.fetchPage("");
  }

  // loadMore shows the next page; the focus, on the button, goes to the
  // list once there is no more to load (the button is gone).
  async loadMore() {
    if (!this.nextCursor || this.busy) return;
    await this.fetchPage(this.nextCursor);
    if (this.more.hidden && (document.activeElement === this.more || document.activeElement === document.body)) {
      this.list.tabIndex = -1;
      this.list.focus();
    }
  }

  async fetchPage(cursor) {
    this.busy = true;
    this.more.disabled = true;
    this.more.setAttribute("aria-busy", "true");
    const params = new URLSearchParams({ ...this.query, limit: String(PAGE_SIZE) });
    if (cursor) params.set("cursor", cursor);
    let failure = null;
    try {
      const page = await api("GET", `${this.path}?${params}`);
      for (const item of page.items || []) this.put(item);
      this.nextCursor = page.next_cursor || null;
    } catch (err) {
      failure = failedState(this.errorTitle, err, () => (cursor ? this.fetchPage(cursor) : this.load()));
    } finally {
      this.busy = false;
      this.more.disabled = false;
      this.more.removeAttribute("aria-busy");
    }
    for (const apply of this.queued.splice(0)) apply();
    this.render(failure);
  }

  // add shows an item that was just made, unless it is there already.
  add(item) {
    if (this.busy) {
      this.queued.push(() => this.add(item));
      return;
    }
    this.put(item);
    this.render();
  }

  remove(id) {
    if (this.busy) {
      this.queued.push(() => this.remove(id));
      return;
    }
    const key = String(id);
    if (!this.items.delete(key)) return;
    const li = this.list.querySelector(`[data-id="${CSS.escape(key)}"]`);
    if (li) li.remove();
    this.render();
  }

  // deleteItem deletes item (DELETE path) once its confirmation box said
  // yes, and tells so (done, or failed with the reason; a 403 is told to
  // access, see refused). The keyboard
  // stays in the list: the focus goes to the next row's first button,
  // else to fallback() (a field, or the section's heading).
  async deleteItem(item, { box, actions, path, done, failed, fallback, access }) {
    for (const b of box.querySelectorAll("button")) b.disabled = true;
    const next = box.closest("li").nextElementSibling;
    try {
      await api("DELETE", path);
      this.remove(item.id);
      toast(done);
      const target = (next && next.isConnected && next.querySelector("button")) || fallback();
      if (target.tabIndex < 0) target.setAttribute("tabindex", "-1"); // a heading takes the focus too
      target.focus();
    } catch (err) {
      toast(`${failed} ${err.message}`, "error");
      box.replaceWith(actions);
      if (err.status === 404) this.remove(item.id);
      if (err.status === 403) refused(access);
    }
  }

  // put places item by its id among those shown (ids grow with time).
  put(item) {
    const key = String(item.id);
    if (this.items.has(key)) return;
    this.items.set(key, item);
    const li = this.row(item);
    li.dataset.id = key;
    const id = Number(key);
    const comesAfter = (other) => (this.show === "asc" ? Number(other.dataset.id) > id : Number(other.dataset.id) < id);
    this.list.insertBefore(li, Array.from(this.list.children).find(comesAfter) || null);
  }

  // redraw builds every row again (the access changed: other controls).
  redraw() {
    for (const li of Array.from(this.list.children)) {
      const item = this.items.get(li.dataset.id);
      if (!item) continue;
      const fresh = this.row(item);
      fresh.dataset.id = li.dataset.id;
      li.replaceWith(fresh);
    }
  }

  render(failure) {
    this.more.hidden = !this.nextCursor;
    showState(this.state, failure || (this.items.size ? null : stateBlock(this.empty())));
    this.onRender();
  }
}

// refused tells the page's SessionAccess that a write answered 403: the
// server knows of a switch to View only that no event has told yet, and
// the page then takes its writing controls away (writeRefused, where the
// SessionAccess of session_live.js has it).
export function refused(access) {
  if (access && typeof access.writeRefused === "function") access.writeRefused();
}
