// The editor of one note (or of a new one) in the Notes section: fields
// "Note title" and "Note text", a button "Save note". Nothing typed here is
// ever dropped by the page: when someone else saved the note first (412),
// both texts are shown, theirs as saved now and the person's own still in
// the editor, and they choose; when their access drops to View only, the
// fields turn read-only with the text still there to copy.

import { api } from "./api.js";
import { h, notice } from "./dom.js";
import { FormErrors } from "./form_errors.js";

let editors = 0; // for ids unique on the page

// NoteEditor edits note (null for a new note). onSaved(note) runs with the
// server's answer, onClose() when the person closes the editor.
export class NoteEditor {
  constructor({ base, note, access, onSaved, onClose }) {
    this.base = base;
    this.note = note;
    this.version = note ? note.version : 0;
    this.access = access;
    this.onSaved = onSaved;
    this.onClose = onClose;
    this.busy = false;
    this.build();
  }

  build() {
    const id = `note-editor-${++editors}`;
    this.title = h("input", { class: "input", id: `${id}-title`, name: "title", maxlength: 200, required: true, autocomplete: "off" });
    this.text = h("textarea", { class: "input", id: `${id}-text`, name: "body", rows: 8, maxlength: 100000, "aria-describedby": `${id}-help` });
    this.title.value = this.note ? this.note.title : "";
    this.text.value = this.note ? this.note.body : "";
    this.status = h("div", { class: "stack note-editor-status" });
    this.conflictBox = h("div", { class: "note-conflict stack", hidden: true });
    this.errorBox = h("div", { class: "stack" });
    this.saveButton = h("button", { type: "submit", class: "btn btn-primary" }, "Save note");
    this.closeButton = h("button", { type: "button", class: "btn", onclick: () => this.onClose() }, "Cancel");
    this.form = h("form", { class: "note-editor", novalidate: true, "aria-label": this.note ? `Edit note ${this.note.title}` : "New note",
      onsubmit: (e) => { e.preventDefault(); this.save(); } },
      this.status,
      h("div", { class: "field" }, h("label", { for: this.title.id }, "Note title"), this.title),
      h("div", { class: "field" }, h("label", { for: this.text.id }, "Note text"), this.text,
        h("p", { class: "help", id: `${id}-help` }, "Markdown: **bold**, *italic*, - lists, [links](https://…), | tables |. HTML is not shown.")),
      this.errorBox,
      this.conflictBox,
      h("div", { class: "form-actions" }, this.saveButton, this.closeButton));
    this.errors = new FormErrors(this.form, this.errorBox);
    this.el = this.form;
  }

  focus() {
    this.title.focus();
  }

  // setWritable turns the editor editable or read-only; reason says why it
  // is read-only. The text stays either way.
  setWritable(writable, reason) {
    this.title.readOnly = !writable;
    this.text.readOnly = !writable;
    this.saveButton.hidden = !writable;
    for (const b of this.conflictBox.querySelectorAll("button")) b.hidden = !writable;
    this.closeButton.textContent = writable ? "Cancel" : "Close";
    this.status.replaceChildren(writable ? "" : notice("warn", reason, "alert"));
  }

  // changedElsewhere tells of a newer version saved by someone else while
  // the editor is open; the text here stays as it is.
  changedElsewhere(note) {
    // During a save the new version may be the person's own, told by the
    // stream before the answer came; a change by someone else then shows
    // as a conflict anyway.
    if (this.busy || note.version <= this.version) return;
    const who = (note.updated_by && note.updated_by.name) || "Someone";
    this.status.replaceChildren(notice("warn", `Changed by ${who} while you were editing. Your text is kept here; when you save, you will see both versions and choose.`));
  }

  // deletedElsewhere turns the editor into one for a new note holding the
  // same text, so that saving keeps it.
  deletedElsewhere() {
    this.note = null;
    this.version = 0;
    this.conflictBox.hidden = true;
    this.status.replaceChildren(notice("warn", "Someone deleted this note while you were editing. Your text is kept here: Save note saves it as a new note."));
  }

  async save() {
    if (this.busy || !this.access.canWrite) return;
    this.errors.clear();
    if (!this.title.value.trim()) {
      this.errors.field("title", "Give the note a title.");
      this.errorBox.replaceChildren(notice("error", "Please correct the highlighted fields."));
      this.title.focus();
      return;
    }
    const body = { title: this.title.value.trim(), body: this.text.value };
    this.setBusy(true);
    try {
      const saved = this.note
        ? await api("PATCH", this.notePath(), body, { headers: { "If-Match": `"${this.version}"` } })
        : await api("POST", `${this.base}/notes`, body);
      this.onSaved(saved);
    } catch (err) {
      await this.failed(err);
    } finally {
      this.setBusy(false);
    }
  }

  async failed(err) {
    if (err.status === 412) return this.conflict();
    if (err.status === 404 && this.note) return this.deletedElsewhere();
    if (err.status === 403) {
      this.access.writeRefused();
      this.setWritable(false, "You have view-only access now: this note was not saved. Your text stays here to copy.");
      this.text.focus();
      return;
    }
    this.errors.show(err);
  }

  notePath() {
    return `${this.base}/notes/${encodeURIComponent(this.note.id)}`;
  }

  setBusy(busy) {
    this.busy = busy;
    this.saveButton.disabled = busy;
    this.saveButton.setAttribute("aria-busy", String(busy));
  }

  // conflict fetches the version saved meanwhile and shows it beside the
  // person's own text.
  async conflict() {
    let theirs;
    try {
      theirs = await api("GET", this.notePath());
    } catch (err) {
      if (err.status === 404) return this.deletedElsewhere();
      this.errors.show(err);
      return;
    }
    const who = (theirs.updated_by && theirs.updated_by.name) || "Someone";
    this.showBoth(notice("error", `${who} saved this note while you were editing it, so yours was not saved. Both texts are here: theirs, as saved now, below; yours, still in the editor above. Keep theirs, or save yours over it.`),
      "Their version, as saved now", theirs,
      h("button", { type: "button", class: "btn btn-primary", onclick: () => this.overwrite(theirs) }, "Save mine over theirs"),
      h("button", { type: "button", class: "btn", onclick: () => this.takeTheirs(theirs) }, "Use their version"));
  }

  // overwrite saves the person's text over the version they have now seen.
  overwrite(theirs) {
    this.version = theirs.version;
    this.save();
  }

  // takeTheirs puts the saved version into the editor and keeps the
  // person's own text below, read-only, to copy from.
  takeTheirs(theirs) {
    const mine = { title: this.title.value, body: this.text.value };
    this.title.value = theirs.title;
    this.text.value = theirs.body;
    this.version = theirs.version;
    this.note = theirs;
    this.showBoth(notice("info", "Their version is in the editor now. Your text is below to copy from; it goes when you close the editor."), "Your text (not saved)", mine);
    this.text.focus();
  }

  showBoth(message, caption, other, ...buttons) {
    const id = `${this.title.id}-other`;
    this.conflictBox.replaceChildren(message,
      h("fieldset", { class: "note-other" }, h("legend", {}, caption),
        h("div", { class: "field" }, h("label", { for: `${id}-title` }, `${caption}: title`),
          h("input", { class: "input", id: `${id}-title`, readonly: true, value: other.title })),
        h("div", { class: "field" }, h("label", { for: `${id}-text` }, `${caption}: text`),
          Object.assign(h("textarea", { class: "input", id: `${id}-text`, rows: 8, readonly: true }), { value: other.body }))),
      buttons.length ? h("div", { class: "form-actions" }, ...buttons) : "");
    this.conflictBox.hidden = false;
    (buttons[0] || this.text).focus();
  }
}
