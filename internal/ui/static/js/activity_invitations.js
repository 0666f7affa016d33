// The Activity page's "Invitations" tab: the workspace's pending guest
// invitations (a Session Admin's: those they may manage), newest first,
// each with "Resend" (a fresh link; the old one stops working) and
// "Revoke" after a confirmation, the result said in the row's place.

import { api } from "./api.js";
import { $, h, accessLabel, failedState, formatDateTime, notice, plural, showState, stateBlock, toast } from "./dom.js";
import { Modal } from "./dialog.js";
import { contactPerson } from "./person.js";

let els;

// invitationPlace names where the link leads: its session, and how many
// more a guest invitation of a multi-invite joins with the same link.
function invitationPlace(inv) {
  const first = inv.session_title || "a session";
  return inv.other_sessions > 0 ? `${first} and ${plural(inv.other_sessions, "more session")}` : first;
}

function invitationRow(inv) {
  const where = invitationPlace(inv);
  const row = h("tr", { "data-invitation-id": inv.id });
  const expires = h("td", { class: "nowrap" }, formatDateTime(inv.expires_at));
  const resend = h("button", { type: "button", class: "btn btn-sm", "aria-label": `Resend to ${inv.contact} (${where})` }, "Resend");
  const revoke = h("button", { type: "button", class: "btn btn-sm btn-danger", "aria-label": `Revoke ${inv.contact} (${where})` }, "Revoke");
  resend.addEventListener("click", () => resendInvitation(inv, resend, expires));
  revoke.addEventListener("click", () => els.revoke.ask(inv, row));
  row.append(
    h("td", {}, contactPerson(inv.contact, `${accessLabel(inv.access)} · sent ${plural(inv.sent_count, "time")}`)),
    h("td", {}, h("a", { href: `/sessions/${encodeURIComponent(inv.session_id)}` }, where)),
    h("td", {}, inv.invited_by || "—"),
    expires,
    h("td", { class: "col-num nowrap" }, resend, " ", revoke));
  return row;
}

async function resendInvitation(inv, button, expires) {
  button.disabled = true;
  try {
    const fresh = await api("POST", `/api/v1/invitations/${encodeURIComponent(inv.id)}/resend`);
    expires.textContent = formatDateTime(fresh.expires_at);
    toast(`A new link was sent to ${inv.contact}; the old one no longer works.`);
  } catch (err) {
    toast(`Not sent. ${err.message}`, "error");
  } finally {
    button.disabled = false;
  }
}

// RevokeDialog asks before revoking, then takes the row away.
class RevokeDialog {
  constructor() {
    this.who = $("#revoke-who");
    this.error = $("#revoke-error");
    this.confirm = $("#revoke-confirm");
    this.modal = new Modal($("#revoke-dialog"), { onClose: () => this.error.replaceChildren(), fallbackFocus: $("#tab-invitations") });
    this.confirm.addEventListener("click", () => this.revoke());
  }

  ask(inv, row) {
    this.inv = inv;
    this.row = row;
    this.who.textContent = `${inv.contact}, invited to ${invitationPlace(inv)}.`;
    this.modal.open(this.confirm);
  }

  async revoke() {
    this.confirm.disabled = true;
    try {
      await api("DELETE", `/api/v1/invitations/${encodeURIComponent(this.inv.id)}`);
      this.row.remove();
      this.modal.close();
      toast(`The invitation of ${this.inv.contact} was revoked; its link no longer works.`);
      countRows();
    } catch (err) {
      this.error.replaceChildren(notice("error", `Not revoked. ${err.message}`));
    } finally {
      this.confirm.disabled = false;
    }
  }
}

function countRows() {
  const n = els.rows.children.length;
  els.count.textContent = n ? `${plural(n, "pending invitation")}.` : "";
  showState(els.state, n ? null : stateBlock({ title: "No pending invitations",
    text: "Guests you invite appear here until they accept, or their link expires." }));
}

async function load() {
  els.table.setAttribute("aria-busy", "true");
  try {
    const page = await api("GET", "/api/v1/invitations");
    els.rows.replaceChildren(...(page.items || []).map(invitationRow));
    countRows();
  } catch (err) {
    showState(els.state, failedState("Invitations could not be loaded", err, load));
  } finally {
    els.table.setAttribute("aria-busy", "false");
  }
}

export async function mount(panel) {
  els = { table: $("#invitations-table", panel), rows: $("#invitation-rows", panel), state: $("#invitations-state", panel),
    count: $("#invitations-count", panel), revoke: new RevokeDialog() };
  await load();
}
