// The Users page's "Import users" (POST /api/v1/users/import, contract
// section 14): a CSV file, whose text is shown to be corrected, or pasted
// text; "Preview" asks the server what it would do (?dry_run=true, the
// same checks as the import), one row per line of the file or the problems
// of each bad row; "Import" sends what was previewed, all or nothing, then
// says what it did and the directory reloads.

import { api } from "./api.js";
import { $, h, formatCount, notice, plural, roleLabel } from "./dom.js";
import { Modal } from "./dialog.js";

const OUTCOMES = { created: "new", unchanged: "already registered: unchanged" };

export class ImportDialog {
  // onImported runs after an import wrote something (the directory reloads).
  constructor(onImported) {
    this.onImported = onImported;
    this.els = { file: $("#import-file"), text: $("#import-text"), result: $("#import-result"),
      wrap: $("#import-preview-wrap"), rows: $("#import-rows"), preview: $("#import-preview-button"), submit: $("#import-submit") };
    this.modal = new Modal($("#import-dialog"), { onClose: () => this.reset() });
    this.previewed = null; // the text the last good preview was of
    $("#import-open").addEventListener("click", () => this.modal.open(this.els.file));
    this.els.file.addEventListener("change", () => this.readFile());
    this.els.text.addEventListener("input", () => this.changed());
    this.els.preview.addEventListener("click", () => this.send(true));
    this.els.submit.addEventListener("click", () => this.send(false));
  }

  reset() {
    this.els.file.value = "";
    this.els.text.value = "";
    this.changed();
  }

  // readFile puts the chosen file's text in the text field, where a bad
  // row can be corrected before it is sent, and previews it.
  async readFile() {
    const file = this.els.file.files[0];
    if (!file) return;
    this.els.text.value = await file.text();
    this.changed();
    this.send(true);
  }

  // changed forgets a preview that no longer matches the text: Import
  // waits for a new one.
  changed() {
    this.previewed = null;
    this.els.submit.disabled = true;
    this.els.wrap.hidden = true;
    this.els.rows.replaceChildren();
    this.els.result.replaceChildren();
  }

  async send(dryRun) {
    const text = this.els.text.value;
    if (!text.trim()) {
      this.showNotice("error", "Choose a CSV file or paste its text first.");
      return;
    }
    const button = dryRun ? this.els.preview : this.els.submit;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    try {
      const res = await api("POST", `/api/v1/users/import${dryRun ? "?dry_run=true" : ""}`, text,
        { raw: true, headers: { "Content-Type": "text/csv" } });
      if (dryRun) this.showPreview(text, res);
      else this.showImported(res);
    } catch (err) {
      this.showProblems(err);
    } finally {
      button.removeAttribute("aria-busy");
      this.els.preview.disabled = false;
      this.els.submit.disabled = this.previewed === null;
    }
  }

  showPreview(text, res) {
    this.previewed = text;
    this.els.rows.replaceChildren(...res.rows.map(previewRow));
    this.els.wrap.hidden = false;
    this.showNotice("info", `Ready to import: ${countsLine(res.counts, "would be new", "already registered")}. Press Import to add them.`);
  }

  showImported(res) {
    this.previewed = null;
    this.els.wrap.hidden = true;
    this.showNotice("ok", `Imported: ${countsLine(res.counts, "created", "unchanged (already registered)")}.`);
    if (res.counts.created) this.onImported();
  }

  // showProblems lists each bad row of a refused file ("Row 3, email: is
  // not an email address"), or the error itself.
  showProblems(err) {
    this.previewed = null;
    this.els.wrap.hidden = true;
    const rows = (err.problem && err.problem.rows) || [];
    const box = notice("error", rows.length ? `Nothing was imported: ${plural(rows.length, "problem")} in the file. Correct them and preview again.` : err.message);
    if (rows.length) {
      box.lastChild.append(h("ul", { class: "import-problems" }, ...rows.map((r) =>
        h("li", {}, `Row ${r.row}${r.field ? `, ${r.field}` : ""}: ${r.message}`))));
    }
    this.els.result.replaceChildren(box);
  }

  showNotice(kind, text) {
    this.els.result.replaceChildren(notice(kind, text));
  }
}

function countsLine(counts, created, unchanged) {
  return `${formatCount(counts.created)} ${created}, ${formatCount(counts.unchanged)} ${unchanged}`;
}

function previewRow(r) {
  return h("tr", { "data-outcome": r.outcome },
    h("td", {}, String(r.row)),
    h("td", {}, r.name || ""),
    h("td", {}, [r.email, r.phone].filter(Boolean).join(", ")),
    h("td", {}, r.role ? roleLabel(r.role) : ""),
    h("td", {}, h("span", { class: r.outcome === "created" ? "badge badge-collaborate" : "badge" }, OUTCOMES[r.outcome] || r.outcome)));
}
