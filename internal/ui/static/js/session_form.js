// The dialog of a session's title and description (the session-form
// partial): "New session" on All Sessions, "Rename session" on a session's
// page. It sends what was typed and shows the API's refusals at their
// fields; what to send, and what to do after, is the caller's.

import { Modal } from "./dialog.js";
import { FormErrors } from "./form_errors.js";

export class SessionForm {
  // id is the partial's ID; send({title, description}) calls the API and
  // resolves once done (the dialog then closes), or throws its error.
  constructor(id, send) {
    this.form = document.getElementById(`${id}-form`);
    this.title = document.getElementById(`${id}-name`);
    this.description = document.getElementById(`${id}-description`);
    this.submit = document.getElementById(`${id}-submit`);
    this.errors = new FormErrors(this.form, document.getElementById(`${id}-error`));
    this.modal = new Modal(document.getElementById(`${id}-dialog`), { onClose: () => this.errors.clear() });
    this.form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send(send);
    });
  }

  // open shows the dialog with the fields set to values.
  open({ title = "", description = "" } = {}) {
    this.form.reset();
    this.title.value = title;
    this.description.value = description;
    this.modal.open(this.title);
  }

  async send(send) {
    this.errors.clear();
    this.submit.disabled = true;
    try {
      await send({ title: this.title.value.trim(), description: this.description.value.trim() });
      this.modal.close();
    } catch (err) {
      this.errors.show(err);
    } finally {
      this.submit.disabled = false;
    }
  }
}
