// The session page's Notes section (templates/session_notes.html): the
// notes, oldest first, each with its Markdown rendered by the server
// (body_html), its author and when it last changed; "Add note", "Edit"
// and "Delete" for who may write. It stays live: notes added, changed or
// deleted by others appear, change or go without reload, except one being
// edited here, which keeps the person's text and says who changed it; and
// when the person's access changes, the writing controls follow.

import { api } from "./api.js";
import { $, h, plural, showState, stateBlock, toast } from "./dom.js";
import { NoteEditor } from "./session_note_editor.js";

const MAX_NOTES = 1000; // a page of notes past this is a session to split
const when = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

export function mount({ sessionId, live, access }) {
  new NotesSection(`/api/v1/sessions/${encodeURIComponent(sessionId)}`, access).listen(live).load();
}

class NotesSection {
  constructor(base, access) {
    this.base = base;
    this.access = access;
    this.items = new Map(); // note id -> { note, li, editor }
    this.gone = new Set(); // ids deleted while the first load ran
    this.newEditor = null;
    this.els = { list: $("#notes-list"), state: $("#notes-state"), count: $("#notes-count"), add: $("#note-add"), slot: $("#note-new"), heading: $("#notes-heading") };
    this.els.add.addEventListener("click", () => this.openNew());
    access.onChange(() => this.applyAccess());
  }

  listen(live) {
    live.on("note.created", (d) => this.changed(d));
    live.on("note.updated", (d) => this.changed(d));
    live.on("note.deleted", (d) => this.deleted(String(d.id)));
    return this;
  }

  async load() {
    try {
      let cursor = "";
      let count = 0;
      do {
        const page = await api("GET", `${this.base}/notes?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
        for (const n of page.items || []) this.upsert(n);
        count += (page.items || []).length;
        cursor = page.next_cursor || "";
      } while (cursor && count < MAX_NOTES);
      this.render();
    } catch (err) {
      showState(this.els.state, stateBlock({ title: "Notes could not be loaded", text: err.message, iconName: "alert",
        action: h("button", { type: "button", class: "btn", onclick: () => this.load() }, "Try again") }));
    }
  }

  // changed shows a note someone added or changed (the event's data), read
  // again for its rendered body; one being edited here keeps the editor.
  async changed(data) {
    const id = String(data.id);
    const item = this.items.get(id);
    if (item && item.note.version >= data.version) return; // ours, or seen already
    if (item && item.editor) item.editor.changedElsewhere(data);
    try {
      this.upsert(await api("GET", `${this.base}/notes/${encodeURIComponent(id)}`));
    } catch (err) {
      if (err.status === 404) this.deleted(id);
    }
  }

  deleted(id) {
    this.gone.add(id);
    const item = this.items.get(id);
    if (!item) return;
    if (item.editor) {
      item.editor.deletedElsewhere();
      return;
    }
    this.forget(id);
  }

  forget(id) {
    const item = this.items.get(id);
    const hadFocus = item.li.contains(document.activeElement);
    item.li.remove();
    this.items.delete(id);
    this.render();
    if (hadFocus) this.els.heading.focus();
  }

  // upsert puts note on screen, in id order, unless an older version of
  // it would replace a newer one.
  upsert(note) {
    if (this.gone.has(note.id)) return;
    const item = this.items.get(note.id);
    if (item) {
      if (item.note.version >= note.version) return; // the same, or newer already
      item.note = note;
      this.fill(item);
      return;
    }
    const fresh = { note, li: h("li", { class: "note", "data-note-id": note.id }), editor: null };
    this.items.set(note.id, fresh);
    this.fill(fresh);
    const after = Array.from(this.els.list.children).find((li) => Number(li.dataset.noteId) > Number(note.id));
    this.els.list.insertBefore(fresh.li, after || null);
    this.render();
  }

  // fill (re)draws a note's title, byline and body, leaving its buttons
  // (and the focus on one) and an open editor as they are.
  fill(item) {
    const n = item.note;
    let view = item.li.querySelector(".note-view");
    if (!view) {
      const titleId = `note-${n.id}-title`;
      view = h("article", { class: "note-view", "aria-labelledby": titleId },
        h("h3", { id: titleId, class: "note-title" }), h("p", { class: "note-meta muted" }),
        h("div", { class: "note-body markdown" }), h("div", { class: "note-actions" }));
      item.li.prepend(view);
      this.renderActions(item);
    }
    view.querySelector(".note-title").textContent = n.title;
    view.querySelector(".note-meta").textContent = byline(n);
    const body = view.querySelector(".note-body");
    body.innerHTML = n.body_html; // rendered and sanitised by the server (internal/markdown)
    for (const box of body.querySelectorAll("input[type=checkbox]")) box.setAttribute("aria-label", box.checked ? "Done" : "Not done");
  }

  renderActions(item) {
    const box = item.li.querySelector(".note-actions");
    if (!box) return;
    const titleId = `note-${item.note.id}-title`;
    const hadFocus = box.contains(document.activeElement);
    box.replaceChildren(...(this.access.canWrite ? [
      h("button", { type: "button", class: "btn btn-sm", "aria-describedby": titleId, onclick: () => this.edit(item) }, "Edit"),
      h("button", { type: "button", class: "btn btn-sm btn-danger", "aria-describedby": titleId, onclick: () => this.confirmDelete(item) }, "Delete"),
    ] : []));
    if (hadFocus) (box.querySelector("button") || this.els.heading).focus();
  }

  render() {
    const n = this.items.size;
    this.els.count.textContent = n ? plural(n, "note") : "";
    showState(this.els.state, n ? null : stateBlock({ title: "No notes yet", iconName: "inbox",
      text: this.access.canWrite ? "Add the first one: an agenda, decisions, anything the group should keep." : "Notes that members write show here." }));
  }

  openNew() {
    if (this.newEditor) {
      this.newEditor.focus();
      return;
    }
    this.newEditor = new NoteEditor({ base: this.base, note: null, access: this.access,
      onSaved: (note) => { this.closeNew(); this.upsert(note); this.focusNote(note.id); toast("Note saved."); },
      onClose: () => { this.closeNew(); this.els.add.focus(); } });
    this.els.slot.replaceChildren(this.newEditor.el);
    this.els.slot.hidden = false;
    this.newEditor.focus();
  }

  closeNew() {
    this.newEditor = null;
    this.els.slot.replaceChildren();
    this.els.slot.hidden = true;
  }

  edit(item) {
    item.editor = new NoteEditor({ base: this.base, note: item.note, access: this.access,
      onSaved: (note) => { this.closeEditor(item); this.upsert(note); this.focusNote(note.id); toast("Note saved."); },
      onClose: () => { this.closeEditor(item); this.focusNote(item.note.id); } });
    item.li.querySelector(".note-view").hidden = true;
    item.li.append(item.editor.el);
    item.editor.focus();
  }

  // closeEditor shows the note again, or, when it was deleted while the
  // editor was open, lets it go now (its text saved as a new note, or
  // closed after the editor said it was deleted).
  closeEditor(item) {
    item.editor.el.remove();
    item.editor = null;
    if (this.gone.has(item.note.id)) {
      this.forget(item.note.id);
      return;
    }
    item.li.querySelector(".note-view").hidden = false;
  }

  focusNote(id) {
    const item = this.items.get(String(id));
    const target = item && (item.li.querySelector(".note-actions button") || item.li.querySelector(".note-title"));
    if (!target) return this.els.heading.focus();
    if (!target.matches("button")) target.tabIndex = -1;
    target.focus();
  }

  confirmDelete(item) {
    const box = item.li.querySelector(".note-actions");
    const cancel = () => { this.renderActions(item); (box.querySelector(".btn-danger") || this.els.heading).focus(); };
    const keep = h("button", { type: "button", class: "btn btn-sm", onclick: cancel }, "Cancel");
    // Escape cancels, as it closes a dialog.
    const onkeydown = (e) => { if (e.key === "Escape") { e.preventDefault(); cancel(); } };
    box.replaceChildren(h("div", { class: "member-confirm", role: "group", "aria-label": `Delete ${item.note.title}?`, onkeydown },
      h("span", {}, "Delete this note for everyone?"), keep,
      h("button", { type: "button", class: "btn btn-sm btn-danger-solid", onclick: () => this.remove(item) }, "Yes, delete")));
    keep.focus();
  }

  async remove(item) {
    const { note } = item;
    try {
      await api("DELETE", `${this.base}/notes/${encodeURIComponent(note.id)}`, undefined, { headers: { "If-Match": `"${note.version}"` } });
      toast(`The note “${note.title}” was deleted.`);
      this.gone.add(note.id);
      if (this.items.has(note.id)) this.forget(note.id);
    } catch (err) {
      if (err.status === 403) this.access.writeRefused();
      toast(deleteProblem(err), "error");
      this.renderActions(item);
      if (err.status === 412) this.changed({ id: note.id, version: note.version + 1 });
    }
  }

  // applyAccess shows or hides every writing control as the person's
  // access now allows; open editors keep their text, read-only.
  applyAccess() {
    const { canWrite } = this.access;
    if (this.els.add.contains(document.activeElement) && !canWrite) this.els.heading.focus();
    this.els.add.hidden = !canWrite;
    const reason = this.access.lost
      ? "You no longer have access to this session. Your text stays here to copy."
      : "You have view-only access now: you can no longer save this note. Your text stays here to copy.";
    for (const item of this.items.values()) {
      this.renderActions(item);
      if (item.editor) item.editor.setWritable(canWrite, reason);
    }
    if (this.newEditor) this.newEditor.setWritable(canWrite, reason);
    this.render();
  }
}

function byline(n) {
  const author = (n.author && n.author.name) || "Someone";
  const editor = n.updated_by && n.updated_by.name;
  const changed = n.version > 1 ? `updated ${when.format(new Date(n.updated_at))}${editor && editor !== author ? ` by ${editor}` : ""}` : when.format(new Date(n.created_at));
  return `${author} · ${changed}`;
}

function deleteProblem(err) {
  if (err.status === 403) return "You have view-only access now: the note was not deleted.";
  if (err.status === 412) return "This note changed since you saw it, so it was not deleted. Its new version is shown now.";
  return `The note was not deleted. ${err.message}`;
}
