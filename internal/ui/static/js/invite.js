// The Invite Users dialog of All Sessions: chips for the people, a choice of
// access, the sessions about to change, and after "Add Users" a summary per
// person. Skipped and invalid entries stay in the field to be dealt with.

import { api, newIdempotencyKey } from "./api.js";
import { $, h, chosenAccess, notice, plural } from "./dom.js";
import { Modal } from "./dialog.js";
import { ChipField } from "./chips.js";
import { batchLine, chipNames, entryProblems, showSummary, undoBlock } from "./outcome.js";
import { renderTargets, selectedTargets } from "./targets.js";

export class InviteDialog {
  constructor({ selection, fallbackFocus, onDone }) {
    this.dialog = $("#invite-dialog");
    this.selection = selection;
    this.onDone = onDone;
    this.targets = { count: 0, items: [], more: 0 };
    this.busy = false;
    this.idempotency = { body: null, key: null };
    this.modal = new Modal(this.dialog, { fallbackFocus, onClose: () => this.closed() });
    this.field = new ChipField($(".chip-root", this.dialog), { onChange: () => this.refresh() });
    this.submitBtn = $("#invite-submit", this.dialog);
    this.cancelBtn = $("#invite-cancel", this.dialog);
    this.result = $("#invite-result", this.dialog);
    this.error = $("#invite-error", this.dialog);
    this.submitBtn.addEventListener("click", () => this.submit());
  }

  // open shows the dialog for the sessions selected right now.
  // A selected search is listed once its first page is in.
  async open() {
    this.request = this.selection.request();
    this.targets = { count: 0, items: [], more: 0 };
    this.result.hidden = true;
    this.error.replaceChildren();
    this.cancelBtn.textContent = "Cancel";
    this.renderTargets();
    this.refresh();
    this.modal.open($(".chip-input", this.dialog));
    try {
      this.targets = await selectedTargets(this.selection);
    } catch (err) {
      this.error.replaceChildren(notice("error", `The selected sessions could not be listed. ${err.message}`));
    }
    this.renderTargets();
    this.refresh();
  }

  closed() {
    this.result.hidden = true;
    this.error.replaceChildren();
  }

  access() {
    return chosenAccess(this.dialog, "invite-access");
  }

  renderTargets() {
    renderTargets($("#invite-targets", this.dialog), $("#invite-targets-count", this.dialog), this.targets);
  }

  canSubmit() {
    return !this.busy && !this.field.pending && this.targets.count > 0 && this.field.registered().length > 0;
  }

  refresh() {
    this.submitBtn.disabled = !this.canSubmit();
    this.submitBtn.setAttribute("aria-busy", String(this.busy));
    const n = this.field.registered().length;
    $("#invite-status", this.dialog).textContent = this.field.pending ? "Checking…"
      : n ? `${plural(n, "person", "people")} will be added to ${plural(this.targets.count, "session")}.` : "";
  }

  body() {
    return {
      ...this.request,
      contacts: this.field.sendable().map((c) => c.input),
      access: this.access(),
    };
  }

  // idempotencyKey stays the same while the same request is retried, so a
  // retry after a lost answer never applies anything twice.
  idempotencyKey(body) {
    const text = JSON.stringify(body);
    if (this.idempotency.body !== text) this.idempotency = { body: text, key: newIdempotencyKey() };
    return this.idempotency.key;
  }

  async submit() {
    if (!this.canSubmit()) return;
    const body = this.body();
    const names = chipNames(this.field.chips);
    this.busy = true;
    this.error.replaceChildren();
    this.refresh();
    try {
      const batch = await api("POST", "/api/v1/invitations/bulk", body, { headers: { "Idempotency-Key": this.idempotencyKey(body) } });
      this.idempotency = { body: null, key: null };
      this.summarize(batch, names);
      this.field.keep((c) => c.status !== "registered");
      this.selection.clear();
      this.cancelBtn.textContent = "Done";
      this.onDone();
    } catch (err) {
      this.error.replaceChildren(notice("error", `Nobody was added. ${err.message}`), ...entryProblems(err));
    } finally {
      this.busy = false;
      this.refresh();
    }
  }

  summarize(batch, names) {
    const counts = batch.counts || {};
    const tile = (key) => h("div", {}, h("strong", {}, String(counts[key] || 0)), h("span", {}, key));
    showSummary(this.result, {
      title: "Access updated",
      counts: h("div", { class: "summary-counts" }, tile("added"), tile("upgraded"), tile("unchanged"), tile("skipped")),
      lines: (batch.results || []).map((r) => batchLine(r, names)),
      after: undoBlock(batch.batch_id, { errorBox: this.error, onDone: () => this.onDone(),
        describe: (c) => `Undone: ${c.removed || 0} removed, ${c.downgraded || 0} set back to view only, ${c.kept || 0} kept (changed since)` }),
    });
  }
}
