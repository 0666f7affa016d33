// Validation errors of a form, shown next to their fields: the API's
// problem+json "errors" ({field, message}) become a message under each
// field, marked aria-invalid and tied to it by aria-describedby, and a
// notice in box says what to do.

import { h, notice } from "./dom.js";

export class FormErrors {
  constructor(form, box) {
    this.form = form;
    this.box = box;
  }

  clear() {
    this.box.replaceChildren();
    for (const el of this.form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    for (const el of this.form.querySelectorAll(".field-error")) {
      const input = this.form.querySelector(`[aria-describedby~="${el.id}"]`);
      if (input) input.setAttribute("aria-describedby", input.getAttribute("aria-describedby").replace(el.id, "").trim());
      el.remove();
    }
  }

  // field marks the field named name (false when there is none).
  field(name, message) {
    const input = this.form.querySelector(`[name="${name}"]`);
    if (!input) return false;
    const id = `${input.id}-error`;
    input.setAttribute("aria-invalid", "true");
    (input.closest(".field") || input).append(h("span", { class: "field-error", id }, message.charAt(0).toUpperCase() + message.slice(1)));
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${id}`.trim());
    return true;
  }

  // show shows an API error: each field's message by its field, and the
  // error itself when none of them names a field of this form.
  show(err) {
    const fields = (err.problem && err.problem.errors) || [];
    const shown = fields.filter((f) => this.field(f.field, f.message)).length;
    this.box.replaceChildren(notice("error", shown ? "Please correct the highlighted fields." : err.message));
    const first = this.form.querySelector("[aria-invalid=true]");
    if (first) first.focus();
  }
}
