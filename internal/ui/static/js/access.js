// The Change access dialog of All Sessions (contract section 15): chips for
// the people, "View only" / "Collaborate" / "Remove from sessions", the
// sessions about to change, and after "Apply" a summary per person
// (changed, unchanged, not member, owner) with an Undo of the batch.

import { api, newIdempotencyKey } from "./api.js";
import { $, h, chosenAccess, notice, plural } from "./dom.js";
import { Modal } from "./dialog.js";
import { ChipField } from "./chips.js";
import { batchLine, chipNames, entryProblems, showSummary, undoBlock } from "./outcome.js";
import { renderTargets, selectedTargets } from "./targets.js";

const ACTION_WORDS = { view: "set to View only", collaborate: "set to Collaborate", remove: "removed" };

export class ChangeAccessDialog {
  constructor({ selection, fallbackFocus, onDone }) {
    this.dialog = $("#change-dialog");
    Object.assign(this, { selection, onDone });
    this.targets = { count: 0, items: [], more: 0 };
    this.busy = false;
    this.sent = { body: null, key: null };
    this.modal = new Modal(this.dialog, { fallbackFocus, onClose: () => this.reset() });
    this.field = new ChipField($(".chip-root", this.dialog), { onChange: () => this.refresh() });
    this.els = { submit: $("#change-submit", this.dialog), cancel: $("#change-cancel", this.dialog),
      result: $("#change-result", this.dialog), error: $("#change-error", this.dialog) };
    this.els.submit.addEventListener("click", () => this.submit());
    this.dialog.addEventListener("change", (e) => { if (e.target.name === "change-action") this.refresh(); });
  }

  // open shows the dialog for the selection of right now.
  async open() {
    this.request = this.selection.request();
    this.targets = { count: 0, items: [], more: 0 };
    this.reset();
    this.els.cancel.textContent = "Cancel";
    this.show();
    this.modal.open($(".chip-input", this.dialog));
    try {
      this.targets = await selectedTargets(this.selection);
    } catch (err) {
      this.els.error.replaceChildren(notice("error", `The selected sessions could not be listed. ${err.message}`));
    }
    this.show();
  }

  reset() {
    this.els.result.hidden = true;
    this.els.error.replaceChildren();
  }

  show() {
    renderTargets($("#change-targets", this.dialog), $("#change-targets-count", this.dialog), this.targets);
    this.refresh();
  }

  action() {
    return chosenAccess(this.dialog, "change-action");
  }

  canSubmit() {
    return !this.busy && !this.field.pending && this.targets.count > 0 && this.field.registered().length > 0;
  }

  refresh() {
    this.els.submit.disabled = !this.canSubmit();
    this.els.submit.setAttribute("aria-busy", String(this.busy));
    const n = this.field.registered().length;
    $("#change-status", this.dialog).textContent = this.field.pending ? "Checking…"
      : n ? `${plural(n, "person", "people")} will be ${ACTION_WORDS[this.action()]} in ${plural(this.targets.count, "session")}.` : "";
  }

  // key stays the same while the same body is retried, so a retry after a
  // lost answer never applies anything twice.
  key(body) {
    const text = JSON.stringify(body);
    if (this.sent.body !== text) this.sent = { body: text, key: newIdempotencyKey() };
    return this.sent.key;
  }

  async submit() {
    if (!this.canSubmit()) return;
    const body = { ...this.request, contacts: this.field.sendable().map((c) => c.input), action: this.action() };
    const names = chipNames(this.field.chips);
    this.busy = true;
    this.els.error.replaceChildren();
    this.refresh();
    try {
      const batch = await api("POST", "/api/v1/access/bulk", body, { headers: { "Idempotency-Key": this.key(body) } });
      this.sent = { body: null, key: null };
      this.summarize(batch, names);
      this.field.keep((c) => c.status !== "registered");
      this.els.cancel.textContent = "Done";
      this.onDone();
    } catch (err) {
      this.els.error.replaceChildren(notice("error", `Nothing was changed. ${err.message}`), ...entryProblems(err));
    } finally {
      this.busy = false;
      this.refresh();
    }
  }

  summarize(batch, names) {
    const counts = batch.counts || {};
    const tile = (key, label) => h("div", {}, h("strong", {}, String(counts[key] || 0)), h("span", {}, label));
    showSummary(this.els.result, {
      title: "Access changed",
      counts: h("div", { class: "summary-counts" }, tile("changed", "changed"), tile("unchanged", "unchanged"),
        tile("not_member", "not member"), tile("owner", "owner")),
      lines: (batch.results || []).map((r) => batchLine(r, names)),
      after: undoBlock(batch.batch_id, { errorBox: this.els.error, onDone: () => this.onDone(),
        describe: (c) => `Undone: ${c.restored || 0} restored, ${c.kept || 0} kept (changed since)` }),
    });
  }
}
