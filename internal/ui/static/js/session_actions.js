// A session's page head, for its owner and the Tenant Admins: "Rename"
// (title and description, in the session-form dialog) and "Delete
// session" (asks to confirm: "Delete", or Cancel / Escape), after which
// All Sessions opens and says what was deleted.

import { api } from "./api.js";
import { $, h, notice, pageData, toast, toastOnNextPage } from "./dom.js";
import { Modal } from "./dialog.js";
import { SessionForm } from "./session_form.js";

const path = `/api/v1/sessions/${encodeURIComponent(pageData().sessionId)}`;

function setupRename() {
  const opener = document.getElementById("rename-open");
  if (!opener) return;
  const heading = $(".page-head h1");
  const form = new SessionForm("rename", async (fields) => {
    const s = await api("PATCH", path, fields);
    showSession(s);
    toast("The session was renamed.");
  });
  opener.addEventListener("click", () => form.open({ title: heading.textContent, description: descriptionOf() }));
}

// descriptionOf reads the description the page shows ("" when none).
function descriptionOf() {
  const p = document.querySelector(".page-head .description");
  return p ? p.textContent : "";
}

// showSession puts a session's new title and description on the page.
function showSession(s) {
  const heading = $(".page-head h1");
  heading.textContent = s.title;
  document.title = `${s.title} · Convene`;
  let p = document.querySelector(".page-head .description");
  if (!s.description) {
    if (p) p.remove();
    return;
  }
  if (!p) {
    p = h("p", { class: "description" });
    heading.after(p);
  }
  p.textContent = s.description;
}

function setupDelete() {
  const opener = document.getElementById("delete-open");
  if (!opener) return;
  const errorBox = $("#delete-error");
  const confirm = $("#delete-confirm");
  const modal = new Modal($("#delete-dialog"), { onClose: () => errorBox.replaceChildren() });
  opener.addEventListener("click", () => modal.open($("#delete-cancel")));
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    const title = $(".page-head h1").textContent;
    try {
      await api("DELETE", path);
      toastOnNextPage(`“${title}” was deleted.`);
      location.assign("/sessions");
    } catch (err) {
      errorBox.replaceChildren(notice("error", err.message));
      confirm.disabled = false;
    }
  });
}

setupRename();
setupDelete();
