// PagedList is a searchable list in pages of 25, as All Sessions and Users
// show it: search as you type (or on Enter), "Next page" / "Previous page"
// over the API's cursors, a live "Page N of M" (from the API's total), the table marked busy while a
// page loads, an empty or error state, and the search and page kept in the
// history entry so that a reload or "Back" comes back to the same place.
// A list without a search box, or one of several lists on a page (the tabs
// of Activity), leaves the history alone (persist: false) and names its
// pager by the prefix the "pager" partial was given.

import { api, isAbort } from "./api.js";
import { $, h, debounce, failedState, showState, stateBlock } from "./dom.js";

const PAGE_SIZE = 25;

// A pager's parts are found by these ids (the "pager" partial writes them),
// after the prefix "<pager>-" when the partial was given one.
function pagerParts(prefix) {
  const id = (name) => $(`#${prefix ? prefix + "-" : ""}${name}`);
  return { prev: id("prev-page"), next: id("next-page"), label: id("page-label") };
}

// bindCursorPager wires the buttons prev and next to list's stack of the
// API's cursors: list has cursors (the first page's is ""), nextCursor and
// load(). Every list paged by cursors uses it.
export function bindCursorPager(list, prev, next) {
  next.addEventListener("click", () => {
    if (!list.nextCursor) return;
    list.cursors.push(list.nextCursor);
    list.load();
  });
  prev.addEventListener("click", () => {
    if (list.cursors.length <= 1) return;
    list.cursors.pop();
    list.load();
  });
}

export class PagedList {
  // path is the API list (it takes limit, q and cursor); the elements are
  // selectors; row(item) builds a table row; empty({ q, later }) names the
  // empty state (later: a page after the first); errorTitle heads the
  // error state; onRender runs after every page or failure. search is
  // optional; filters() adds query parameters of the page's own (a filter
  // by outcome); pageSize defaults to 25.
  constructor({ path, search = null, table, rows, state, row, empty, errorTitle, onRender = () => {},
    pager = "", persist = true, filters = () => ({}), pageSize = PAGE_SIZE }) {
    this.path = path;
    this.els = { search: search ? $(search) : null, table: $(table), rows: $(rows), state: $(state), ...pagerParts(pager) };
    Object.assign(this, { row, empty, errorTitle, onRender, persist, filters, pageSize });
    this.items = [];
    this.nextCursor = null;
    this.total = null;
    this.controller = null;
    this.restore();
    this.bind();
  }

  // restore takes the search from the URL and the cursors from the history
  // entry, if that entry was left with the same search.
  restore() {
    if (!this.persist) {
      this.q = "";
      this.cursors = [""];
      return;
    }
    const saved = history.state || {};
    this.q = new URLSearchParams(location.search).get("q") || "";
    this.cursors = Array.isArray(saved.cursors) && saved.q === this.q ? saved.cursors : [""];
    if (this.els.search) this.els.search.value = this.q;
  }

  bind() {
    const { search, next, prev } = this.els;
    if (search) this.bindSearch(search);
    bindCursorPager(this, prev, next);
  }

  bindSearch(search) {
    search.addEventListener("input", debounce(() => this.searchTyped(), 250));
    search.addEventListener("keydown", (e) => {
      if (e.key !== "Enter") return;
      e.preventDefault();
      this.searchTyped();
    });
  }

  searchTyped() {
    const q = this.els.search.value.trim();
    if (q !== this.q) this.setQuery(q);
  }

  // setQuery searches for q from the first page.
  setQuery(q) {
    if (this.els.search) this.els.search.value = q;
    this.q = q;
    this.cursors = [""];
    this.load();
  }

  // load fetches the current page; a newer load cancels an older one, so
  // only the answer to the last search is shown.
  async load() {
    if (this.controller) this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.setBusy(true);
    try {
      const page = await api("GET", `${this.path}?${this.params()}`, undefined, { signal: controller.signal });
      this.total = typeof page.total === "number" ? { n: page.total, capped: !!page.total_capped } : null;
      this.show(page.items || [], page.next_cursor || null);
    } catch (err) {
      if (isAbort(err)) return;
      this.total = null;
      this.show([], null, failedState(this.errorTitle, err, () => this.load()));
    } finally {
      if (this.controller === controller) {
        this.controller = null;
        this.setBusy(false);
        this.renderPager();
        this.remember();
      }
    }
  }

  params() {
    const params = new URLSearchParams({ ...this.filters(), limit: String(this.pageSize) });
    if (this.q) params.set("q", this.q);
    const cursor = this.cursors[this.cursors.length - 1];
    if (cursor) params.set("cursor", cursor);
    return params;
  }

  show(items, nextCursor, failure) {
    this.items = items;
    this.nextCursor = nextCursor;
    this.els.rows.replaceChildren(...items.map(this.row));
    showState(this.els.state, failure || (items.length ? null : this.emptyState()));
    this.onRender();
  }

  emptyState() {
    const spec = this.empty({ q: this.q, later: this.cursors.length > 1 });
    if (!this.q) return stateBlock(spec);
    return stateBlock({ ...spec, iconName: "search",
      action: h("button", { type: "button", class: "btn", onclick: () => this.setQuery("") }, "Clear search") });
  }

  setBusy(busy) {
    this.els.table.setAttribute("aria-busy", String(busy));
    this.els.table.classList.toggle("is-loading", busy);
  }

  // renderPager numbers the page only when it shows rows: an empty page
  // says so in its state block.
  renderPager() {
    const page = this.cursors.length;
    this.els.prev.disabled = page <= 1;
    this.els.next.disabled = !this.nextCursor;
    this.els.label.textContent = this.items.length ? `Page ${page}${this.pageCount()}` : "";
  }

  // pageCount is " of M" when the API told the total ("of 40+" when it
  // stopped counting), else nothing.
  pageCount() {
    if (!this.total) return "";
    const pages = Math.max(1, Math.ceil(this.total.n / this.pageSize), this.cursors.length);
    return ` of ${pages}${this.total.capped ? "+" : ""}`;
  }

  // more is true when the search matches more than the pages seen show.
  get more() {
    return !!this.total && (this.total.capped || this.total.n > this.items.length);
  }

  remember() {
    if (!this.persist) return;
    const url = new URL(location.href);
    if (this.q) url.searchParams.set("q", this.q);
    else url.searchParams.delete("q");
    history.replaceState({ q: this.q, cursors: this.cursors }, "", url);
  }
}
