// The workspace settings, for Tenant Admins: GET /api/v1/tenant fills the
// form, "Save settings" sends what changed with PATCH, and the API's
// validation errors show next to their fields.

import { api } from "./api.js";
import { $, notice, toast } from "./dom.js";
import { FormErrors } from "./form_errors.js";

const form = $("#settings-form");
const status = $("#settings-status");
const errors = new FormErrors(form, status);
let saved = null;

// values reads the form in the API's shape; a number field that is not a
// whole number stays text, so that the API names the field.
function values() {
  const ttl = form.elements.invitation_ttl_hours.value.trim();
  return {
    name: form.elements.name.value.trim(),
    default_region: form.elements.default_region.value.trim().toUpperCase(),
    phone_alias_domain: form.elements.phone_alias_domain.value.trim().toLowerCase(),
    guests_allowed: form.elements.guests_allowed.checked,
    invitation_ttl_hours: /^\d+$/.test(ttl) ? Number(ttl) : ttl,
  };
}

function fill(t) {
  saved = t;
  form.elements.name.value = t.name;
  form.elements.default_region.value = t.default_region;
  form.elements.phone_alias_domain.value = t.phone_alias_domain;
  form.elements.guests_allowed.checked = t.guests_allowed;
  form.elements.invitation_ttl_hours.value = String(t.invitation_ttl_hours);
  for (const el of form.elements) el.disabled = false;
  form.setAttribute("aria-busy", "false");
}

// changes keeps what differs from the saved settings.
function changes() {
  return Object.fromEntries(Object.entries(values()).filter(([k, v]) => v !== saved[k]));
}

async function load() {
  try {
    fill(await api("GET", "/api/v1/tenant"));
  } catch (err) {
    status.replaceChildren(notice("error", `The settings could not be loaded. ${err.message}`));
  }
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  errors.clear();
  const body = changes();
  if (typeof body.invitation_ttl_hours === "string") {
    errors.field("invitation_ttl_hours", "Enter a whole number of hours, from 1 to 2160.");
    errors.show({ problem: { errors: [] }, message: "Please correct the highlighted fields." });
    return;
  }
  if (Object.keys(body).length === 0) return toast("Nothing to save: the settings are as they were.");
  const save = $("#settings-save");
  save.disabled = true;
  try {
    fill(await api("PATCH", "/api/v1/tenant", body));
    status.replaceChildren(notice("ok", "The settings were saved."));
  } catch (err) {
    errors.show(err);
  } finally {
    save.disabled = false;
  }
});

load();
