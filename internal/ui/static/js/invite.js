// The Invite Users dialog of All Sessions: chips for the people, a choice
// for the people not registered yet (contract section 14), a choice of
// access, the sessions about to change, a preview line of what "Add Users"
// would do, "Adding…" while it runs, and then the summary (batch_summary.js).
// Skipped and invalid entries stay in the field to be dealt with.

import { api, newIdempotencyKey } from "./api.js";
import { $, chosenAccess, debounce, notice } from "./dom.js";
import { Modal } from "./dialog.js";
import { ChipField } from "./chips.js";
import { chipNames, entryProblems, previewLine } from "./outcome.js";
import { showInviteSummary } from "./batch_summary.js";
import { renderTargets, selectedTargets } from "./targets.js";

// What each choice for the people not registered yet does, in words.
const MODE_HINTS = {
  skip: () => "They are left out. Invite them again once they are registered.",
  request: (admin) => admin
    ? "Each becomes an access request (Activity, Access requests); they get these sessions the moment they are registered."
    : "Your Tenant Admin sees a request for each; they get these sessions the moment they are registered.",
  register: () => "Each gets an account as a Member and a link to set a password, and is added now.",
  guest: () => "Each gets one guest link for all the selected sessions.",
};

const PREVIEW_WAIT = 400; // ms of quiet before the preview is asked for

export class InviteDialog {
  constructor({ selection, fallbackFocus, onDone }) {
    this.dialog = $("#invite-dialog");
    this.selection = selection;
    this.onDone = onDone;
    this.targets = { count: 0, items: [], more: 0 };
    this.busy = false;
    this.idempotency = { body: null, key: null };
    this.preview = { key: null, seq: 0, line: "" };
    this.modal = new Modal(this.dialog, { fallbackFocus, onClose: () => this.closed() });
    this.field = new ChipField($(".chip-root", this.dialog), { onChange: () => this.refresh() });
    this.els = {
      submit: $("#invite-submit", this.dialog), cancel: $("#invite-cancel", this.dialog),
      result: $("#invite-result", this.dialog), error: $("#invite-error", this.dialog),
      status: $("#invite-status", this.dialog), progress: $("#invite-progress", this.dialog),
      body: $(".modal-body", this.dialog), modes: $("#invite-unregistered", this.dialog),
      modeHint: $("#invite-unregistered-hint", this.dialog),
    };
    this.isAdmin = this.els.modeHint.dataset.admin === "true";
    this.schedulePreview = debounce(() => this.askPreview(), PREVIEW_WAIT);
    this.els.submit.addEventListener("click", () => this.submit());
    this.dialog.addEventListener("change", (e) => {
      if (e.target.name === "invite-access" || e.target.name === "invite-unregistered") this.refresh();
    });
  }

  // open shows the dialog for the sessions selected right now.
  // A selected search is listed once its first page is in.
  async open() {
    this.request = this.selection.request();
    this.targets = { count: 0, items: [], more: 0 };
    this.els.result.hidden = true;
    this.els.error.replaceChildren();
    this.els.cancel.textContent = "Cancel";
    $("input[name=invite-unregistered][value=skip]", this.dialog).checked = true;
    this.renderTargets();
    this.modal.open($(".chip-input", this.dialog));
    try {
      this.targets = await selectedTargets(this.selection);
    } catch (err) {
      this.els.error.replaceChildren(notice("error", `The selected sessions could not be listed. ${err.message}`));
    }
    this.renderTargets();
  }

  closed() {
    this.els.result.hidden = true;
    this.els.error.replaceChildren();
  }

  access() {
    return chosenAccess(this.dialog, "invite-access");
  }

  // mode is the choice for the people not registered yet; "skip" while
  // nobody in the field is.
  mode() {
    if (!this.hasUnregistered()) return "skip";
    const checked = this.dialog.querySelector("input[name=invite-unregistered]:checked");
    return checked ? checked.value : "skip";
  }

  hasUnregistered() {
    return this.field.chips.some((c) => c.status === "unregistered");
  }

  renderTargets() {
    renderTargets($("#invite-targets", this.dialog), $("#invite-targets-count", this.dialog), this.targets);
    this.refresh();
  }

  // ready: there is something to send (people it would reach, sessions).
  ready() {
    if (this.field.pending || this.targets.count === 0) return false;
    return this.field.registered().length > 0 || (this.hasUnregistered() && this.mode() !== "skip");
  }

  canSubmit() {
    return !this.busy && this.ready();
  }

  refresh() {
    const { submit, modes, modeHint, progress, body } = this.els;
    submit.disabled = !this.canSubmit();
    submit.setAttribute("aria-busy", String(this.busy));
    body.setAttribute("aria-busy", String(this.busy));
    progress.hidden = !this.busy;
    modes.hidden = !this.hasUnregistered();
    const checked = this.dialog.querySelector("input[name=invite-unregistered]:checked");
    modeHint.textContent = MODE_HINTS[checked ? checked.value : "skip"](this.isAdmin);
    this.showStatus();
    if (!this.busy) this.schedulePreview();
  }

  // showStatus is the line by the buttons: checking, adding, or the
  // preview of the body as it is now (never an older one's).
  showStatus() {
    let text = "";
    if (this.busy) text = "Adding…";
    else if (this.field.pending) text = "Checking…";
    else if (this.ready()) text = this.preview.key === this.previewKey() ? this.preview.line : "Counting…";
    if (this.els.status.textContent !== text) this.els.status.textContent = text;
  }

  body() {
    const body = { ...this.request, contacts: this.field.sendable().map((c) => c.input), access: this.access() };
    const mode = this.mode();
    if (mode !== "skip") body.unregistered = mode;
    return body;
  }

  previewKey() {
    return JSON.stringify(this.body());
  }

  // askPreview asks the server what the body would do, once it stopped
  // changing: an answer for a body that changed since is dropped.
  async askPreview() {
    if (this.busy || !this.ready()) return;
    const key = this.previewKey();
    if (key === this.preview.key || key === this.preview.asking) return;
    const seq = ++this.preview.seq;
    this.preview.asking = key;
    let line;
    try {
      const res = await api("POST", "/api/v1/invitations/bulk/preview", JSON.parse(key));
      line = previewLine(res.counts || {});
    } catch (err) {
      line = `No preview: ${err.message}`;
    }
    if (seq !== this.preview.seq) return;
    this.preview = { ...this.preview, key, line, asking: null };
    this.showStatus();
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
    const invalid = this.field.invalid().map((c) => ({ input: c.input, reason: c.reason }));
    this.busy = true;
    // An answer still on its way is for the old field; and no ask is in
    // flight any more, so that the same body is asked again after a failed
    // send instead of showing "Counting…" for good.
    this.preview = { ...this.preview, seq: this.preview.seq + 1, asking: null };
    this.els.error.replaceChildren();
    this.refresh();
    try {
      const batch = await api("POST", "/api/v1/invitations/bulk", body, { headers: { "Idempotency-Key": this.idempotencyKey(body) } });
      this.idempotency = { body: null, key: null };
      this.summarize(batch, names, invalid);
      const skipped = new Set((batch.results || []).filter((r) => !r.status.startsWith("registered") && r.status !== "requested" && r.status !== "invited").map((r) => r.input));
      this.field.keep((c) => c.status === "invalid" || skipped.has(c.input));
      this.selection.clear();
      this.els.cancel.textContent = "Done";
      this.onDone();
    } catch (err) {
      this.els.error.replaceChildren(notice("error", `Nobody was added. ${err.message}`), ...entryProblems(err));
    } finally {
      this.busy = false;
      this.refresh();
    }
  }

  summarize(batch, names, invalid) {
    const titles = new Map(this.targets.items.map((s) => [s.id, s.title]));
    showInviteSummary(this.els.result, { batch, names, invalid, ...this.field.takeMerged(), titles,
      errorBox: this.els.error, onDone: () => this.onDone() });
  }
}
