// The sign-in form: POST /api/v1/auth/login, then on to where the person was
// going. The workspace is remembered on this device for next time.

import { api } from "./api.js";
import { $, notice } from "./dom.js";

const WORKSPACE_KEY = "convene:workspace";
const form = $("#login-form");
const fields = { tenant: $("#workspace"), login: $("#login"), password: $("#password") };
const errorBox = $("#login-error");
const submit = $("#sign-in");

if (!fields.tenant.value) fields.tenant.value = localStorage.getItem(WORKSPACE_KEY) || "";
(fields.tenant.value ? (fields.login.value ? fields.password : fields.login) : fields.tenant).focus();

// safeNext keeps redirects on this site.
function safeNext() {
  const next = document.body.dataset.next || "/sessions";
  return next.startsWith("/") && !next.startsWith("//") && !next.startsWith("/\\") ? next : "/sessions";
}

function showError(text) {
  errorBox.replaceChildren(notice("error", text));
  errorBox.hidden = false;
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const body = {
    tenant: fields.tenant.value.trim().toLowerCase(),
    login: fields.login.value.trim(),
    password: fields.password.value,
  };
  const missing = Object.entries(fields).find(([key]) => !body[key]);
  for (const [key, el] of Object.entries(fields)) el.setAttribute("aria-invalid", String(!body[key] && missing !== undefined));
  if (missing) {
    showError("Please fill in your workspace, your email or phone, and your password.");
    missing[1].focus();
    return;
  }
  submit.disabled = true;
  submit.setAttribute("aria-busy", "true");
  errorBox.hidden = true;
  try {
    await api("POST", "/api/v1/auth/login", body);
    localStorage.setItem(WORKSPACE_KEY, body.tenant);
    location.assign(safeNext());
  } catch (err) {
    showError(err.status === 401
      ? "That workspace, email or phone, and password do not match. Check them and try again."
      : err.message);
    fields.password.select();
    submit.disabled = false;
    submit.removeAttribute("aria-busy");
  }
});
