// Selection is the set of sessions ticked on All Sessions. It lives in
// localStorage under the tenant and user, so it survives searching, paging
// and reloading, until it is cleared or used; other tabs follow along.
// It is either sessions ticked one by one or one search ("Select all N
// matching"), kept as the query and sent as session_query: the server
// resolves it when it applies the call.

export class Selection {
  constructor(tenantId, userId, onChange) {
    this.key = `convene:selection:${tenantId}:${userId}`;
    this.onChange = onChange;
    this.query = null;
    this.items = new Map(this.load());
    window.addEventListener("storage", (e) => {
      if (e.key !== this.key) return;
      this.items = new Map(this.load());
      this.onChange();
    });
  }

  load() {
    try {
      const saved = JSON.parse(localStorage.getItem(this.key) || "[]");
      this.query = saved && saved.query && typeof saved.query.q === "string" ? saved.query : null;
      if (this.query) return [];
      return Array.isArray(saved) ? saved.filter((s) => s && s.id).map((s) => [String(s.id), s.title || ""]) : [];
    } catch {
      return [];
    }
  }

  save() {
    const list = this.query ? { query: this.query } : Array.from(this.items, ([id, title]) => ({ id, title }));
    try {
      if (this.query || list.length) localStorage.setItem(this.key, JSON.stringify(list));
      else localStorage.removeItem(this.key);
    } catch {
      // Storage may be full or disabled: the selection still works in this page.
    }
    this.onChange();
  }

  get size() {
    return this.query ? this.query.total : this.items.size;
  }

  // has is true for a ticked session; with a query, for every session the
  // same search lists (matches says whether the list shows that search).
  has(id, matches = false) {
    return this.query ? matches : this.items.has(String(id));
  }

  // selectQuery selects every session matching q ({q, total, capped}).
  selectQuery(query) {
    this.items.clear();
    this.query = { q: query.q, total: query.total, capped: !!query.capped };
    this.save();
  }

  // set ticks or unticks each session of list ({id, title}); a change by
  // hand ends a query selection, keeping the sessions shown (shown).
  set(list, on, shown = []) {
    if (this.query) {
      this.query = null;
      for (const s of shown) this.items.set(String(s.id), s.title);
    }
    for (const s of list) {
      if (on) this.items.set(String(s.id), s.title);
      else this.items.delete(String(s.id));
    }
    this.save();
  }

  clear() {
    this.query = null;
    this.items.clear();
    this.save();
  }

  // list returns the selected sessions in the order they were ticked.
  list() {
    return Array.from(this.items, ([id, title]) => ({ id, title }));
  }

  // request is the selection as a bulk call names it: session_ids or
  // session_query.
  request() {
    return this.query ? { session_query: { q: this.query.q } } : { session_ids: this.list().map((s) => s.id) };
  }
}
