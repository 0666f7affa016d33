// Selection is the set of sessions ticked on All Sessions. It lives in
// localStorage under the tenant and user, so it survives searching, paging
// and reloading, until it is cleared or used; other tabs follow along.

export class Selection {
  constructor(tenantId, userId, onChange) {
    this.key = `convene:selection:${tenantId}:${userId}`;
    this.onChange = onChange;
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
      return Array.isArray(saved) ? saved.filter((s) => s && s.id).map((s) => [String(s.id), s.title || ""]) : [];
    } catch {
      return [];
    }
  }

  save() {
    const list = Array.from(this.items, ([id, title]) => ({ id, title }));
    try {
      if (list.length) localStorage.setItem(this.key, JSON.stringify(list));
      else localStorage.removeItem(this.key);
    } catch {
      // Storage may be full or disabled: the selection still works in this page.
    }
    this.onChange();
  }

  get size() {
    return this.items.size;
  }

  has(id) {
    return this.items.has(String(id));
  }

  // set ticks or unticks each session of list ({id, title}).
  set(list, on) {
    for (const s of list) {
      if (on) this.items.set(String(s.id), s.title);
      else this.items.delete(String(s.id));
    }
    this.save();
  }

  clear() {
    this.items.clear();
    this.save();
  }

  // list returns the selected sessions in the order they were ticked.
  list() {
    return Array.from(this.items, ([id, title]) => ({ id, title }));
  }
}
