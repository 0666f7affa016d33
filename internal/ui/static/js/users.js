// The directory, for Tenant Admins: search, add a user, import users from
// a CSV file (import_users.js), change a role, disable or enable an
// account, open a person's sessions.

import { api } from "./api.js";
import { $, h, notice, roleLabel, toast } from "./dom.js";
import { Modal } from "./dialog.js";
import { FormErrors } from "./form_errors.js";
import { ImportDialog } from "./import_users.js";
import { PagedList } from "./pager.js";
import { isMe, person } from "./person.js";
import { UserSessionsDialog } from "./user_sessions.js";

const ROLES = ["member", "session_admin", "admin"];

const list = new PagedList({
  path: "/api/v1/users", search: "#user-search", table: "#users-table", rows: "#user-rows", state: "#users-state",
  row, empty: emptyUsers, errorTitle: "Users could not be loaded",
});
const load = () => list.load();
const sessions = new UserSessionsDialog();

function emptyUsers({ q, later }) {
  if (q) return { title: "No users match your search", text: "Check the spelling, or search by email or phone." };
  if (later) return { title: "No more users", text: "This page is empty. Go back to the previous page." };
  return { title: "No users yet", text: "Add the people of your organisation with “Add user”.", iconName: "users" };
}

function row(u) {
  const me = isMe(u);
  return h("tr", {},
    h("td", {}, person(u), h("button", { type: "button", class: "btn btn-ghost btn-sm", "aria-label": `Sessions of ${u.name}`,
      onclick: () => sessions.open(u) }, "Sessions")),
    h("td", { class: "col-phone muted" }, u.phone_display || u.phone || "—"),
    h("td", {}, roleSelect(u, me)),
    h("td", { class: "col-status" }, u.disabled ? h("span", { class: "badge badge-danger" }, "Disabled") : h("span", { class: "badge badge-collaborate" }, "Active")),
    h("td", { class: "col-num" }, me ? "" : h("button", {
      type: "button", class: u.disabled ? "btn btn-sm" : "btn btn-sm btn-danger",
      "aria-label": `${u.disabled ? "Enable" : "Disable"} ${u.name}`,
      onclick: () => patch(u, { disabled: !u.disabled }, u.disabled ? `${u.name} can sign in again.` : `${u.name} is disabled and can no longer sign in.`),
    }, u.disabled ? "Enable" : "Disable")));
}

function roleSelect(u, me) {
  const roles = u.role === "guest" ? ["guest", ...ROLES] : ROLES;
  return h("select", {
    class: "input input-sm", "aria-label": `Role for ${u.name}`, disabled: me || u.role === "guest",
    onchange: (e) => patch(u, { role: e.target.value }, `${u.name} is now ${roleLabel(e.target.value)}.`),
  }, ...roles.map((r) => h("option", { value: r, selected: r === u.role }, roleLabel(r))));
}

async function patch(u, change, done) {
  try {
    await api("PATCH", `/api/v1/users/${encodeURIComponent(u.id)}`, change);
    toast(done);
  } catch (err) {
    toast(err.message, "error");
  }
  load();
}

// ---- Add user -------------------------------------------------------------

function setupAddUser() {
  const dialog = $("#add-user-dialog");
  const form = $("#add-user-form");
  const errorBox = $("#add-user-error");
  const errors = new FormErrors(form, errorBox);
  const modal = new Modal(dialog, { onClose: () => { form.reset(); errors.clear(); } });
  $("#add-user-open").addEventListener("click", () => modal.open($("#new-name")));

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    errors.clear();
    const body = Object.fromEntries(new FormData(form));
    for (const key of ["name", "email", "phone"]) body[key] = (body[key] || "").trim();
    if (!body.email) delete body.email;
    if (!body.phone) delete body.phone;
    if (!body.name || (!body.email && !body.phone)) {
      errorBox.replaceChildren(notice("error", "A name and an email address or a phone number are needed."));
      return;
    }
    const submit = $("#add-user-submit");
    submit.disabled = true;
    try {
      const user = await api("POST", "/api/v1/users", body);
      modal.close();
      toast(`${user.name || body.name} was added and will get a link to set a password.`);
      load();
    } catch (err) {
      errors.show(err);
    } finally {
      submit.disabled = false;
    }
  });
}

setupAddUser();
new ImportDialog(load);
load();
