// A session's page: its members with their access. The owner and admins
// switch members between "View only" and "Collaborate", remove them, and
// invite people (guests too) to this one session; everyone else reads.

import { api } from "./api.js";
import { $, h, avatar, accessBadge, contactOf, formatDate, notice, pageData, plural, stateBlock, toast } from "./dom.js";
import { ChipField } from "./chips.js";
import "./common.js";

const data = pageData();
const sessionId = data.sessionId;
const canManage = data.canManage === "true";
const base = `/api/v1/sessions/${encodeURIComponent(sessionId)}`;

const els = {
  list: $("#members-list"),
  state: $("#members-state"),
  count: $("#members-count"),
};

async function loadMembers() {
  try {
    const res = await api("GET", `${base}/members`);
    renderMembers(res.items || []);
  } catch (err) {
    els.list.replaceChildren();
    els.state.replaceChildren(stateBlock({ title: "Members could not be loaded", text: err.message, iconName: "alert",
      action: h("button", { type: "button", class: "btn", onclick: () => loadMembers() }, "Try again") }));
    els.state.hidden = false;
  }
}

function renderMembers(members) {
  els.count.textContent = plural(members.length, "member");
  els.state.hidden = members.length > 0;
  if (!members.length) els.state.replaceChildren(stateBlock({ title: "No members yet", iconName: "users" }));
  els.list.replaceChildren(...members.map(memberRow));
}

function memberRow(m) {
  const u = m.user;
  const me = String(u.id) === data.userId;
  const li = h("li", { class: "member", "data-user-id": u.id },
    h("div", { class: "person" }, avatar(u),
      h("div", { class: "person-text" },
        h("span", { class: "person-name" }, u.name, me ? h("span", { class: "faint" }, " (you)") : null),
        h("span", { class: "person-sub" }, contactOf(u)))));
  li.append(actions(m, li));
  return li;
}

function actions(m, li) {
  if (m.access === "owner" || !canManage) return h("div", { class: "member-actions" }, accessBadge(m.access));
  return h("div", { class: "member-actions" },
    accessSwitch(m),
    h("button", { type: "button", class: "btn btn-sm btn-danger", "aria-label": `Remove ${m.user.name}`, onclick: () => confirmRemove(m, li) }, "Remove"));
}

function accessSwitch(m) {
  const name = `access-${m.user.id}`;
  const option = (value, label) => h("label", {},
    h("input", { type: "radio", name, value, checked: m.access === value, onchange: (e) => setAccess(m, value, e.target.closest("fieldset")) }),
    h("span", {}, label));
  return h("fieldset", { class: "segmented segmented-sm" },
    h("legend", {}, `Access for ${m.user.name}`),
    option("view", "View only"), option("collaborate", "Collaborate"));
}

async function setAccess(m, access, fieldset) {
  fieldset.disabled = true;
  try {
    await api("PUT", `${base}/members/${encodeURIComponent(m.user.id)}`, { access });
    m.access = access;
    toast(access === "collaborate" ? `${m.user.name} can now collaborate.` : `${m.user.name} can now only view.`);
  } catch (err) {
    toast(`The access of ${m.user.name} was not changed. ${err.message}`, "error");
    for (const input of fieldset.querySelectorAll("input")) input.checked = input.value === m.access;
  } finally {
    fieldset.disabled = false;
    const checked = fieldset.querySelector("input:checked");
    if (checked) checked.focus();
  }
}

function confirmRemove(m, li) {
  const old = li.querySelector(".member-actions");
  const keep = h("button", { type: "button", class: "btn btn-sm", onclick: () => { box.replaceWith(old); old.querySelector("button").focus(); } }, "Cancel");
  const box = h("div", { class: "member-confirm", role: "group", "aria-label": `Remove ${m.user.name}?` },
    h("span", {}, `Remove ${m.user.name} from this session?`),
    keep,
    h("button", { type: "button", class: "btn btn-sm btn-danger-solid", onclick: () => removeMember(m, li) }, "Yes, remove"));
  old.replaceWith(box);
  keep.focus();
}

async function removeMember(m, li) {
  try {
    await api("DELETE", `${base}/members/${encodeURIComponent(m.user.id)}`);
    toast(`${m.user.name} was removed from this session.`);
    const next = li.nextElementSibling || li.previousElementSibling;
    await loadMembers();
    const target = next && els.list.querySelector(`[data-user-id="${CSS.escape(next.dataset.userId)}"] button, [data-user-id="${CSS.escape(next.dataset.userId)}"] input`);
    (target || $("#members-heading")).focus();
  } catch (err) {
    toast(`${m.user.name} was not removed. ${err.message}`, "error");
  }
}

// ---- inviting people to this session ------------------------------------

function setupInvite() {
  const form = $("#session-invite");
  const submit = $("#session-invite-submit");
  const result = $("#session-invite-result");
  const field = new ChipField($(".chip-root", form), { onChange: refresh });
  let busy = false;

  function invitable() {
    return field.chips.filter((c) => c.status === "registered" || c.status === "unregistered");
  }

  function refresh() {
    submit.disabled = busy || field.pending || invitable().length === 0;
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    field.commitAll();
    if (submit.disabled) return;
    const contacts = invitable().map((c) => c.input);
    const names = new Map(field.chips.map((c) => [c.input, c.user && c.user.name]));
    const access = $("#session-invite-access").value;
    busy = true;
    refresh();
    try {
      const results = await invite(contacts, access);
      const done = new Set(results.filter((r) => r.outcome !== "skipped").map((r) => r.input));
      field.keep((c) => !done.has(c.input));
      result.replaceChildren(inviteSummary(results, names));
      loadMembers();
      loadPending();
    } catch (err) {
      result.replaceChildren(notice("error", `Nobody was invited. ${err.message}`));
    } finally {
      busy = false;
      refresh();
    }
  });
  refresh();
}

// invite calls the session's invitation endpoint. While it is not deployed,
// registered people are still added through a multi-invite of this session.
async function invite(contacts, access) {
  try {
    const res = await api("POST", `${base}/invitations`, { contacts, access });
    return res.results || [];
  } catch (err) {
    if (!err.problem || !err.problem.routeMissing) throw err;
    const batch = await api("POST", "/api/v1/invitations/bulk", { session_ids: [sessionId], contacts, access });
    return (batch.results || []).map((r) => ({
      input: r.input, status: r.status,
      outcome: r.status === "registered" ? ((r.sessions || [])[0] || {}).outcome || "unchanged" : "skipped",
      reason: r.status === "registered" ? null : "not registered",
    }));
  }
}

const OUTCOME_TEXT = { added: "added", upgraded: "upgraded", unchanged: "already had this access", invited: "invitation sent", skipped: "skipped" };

function inviteSummary(results, names) {
  return h("div", { class: "summary", role: "status" },
    h("h3", {}, "Invitations done"),
    h("ul", { class: "summary-list" }, ...results.map((r) => h("li", {},
      h("span", {}, names.get(r.input) || r.input),
      h("span", { class: r.outcome === "skipped" ? "outcome outcome-skipped" : "outcome" },
        OUTCOME_TEXT[r.outcome] + (r.outcome === "skipped" && r.reason ? `: ${r.reason}` : ""))))));
}

// ---- pending guest invitations ------------------------------------------

async function loadPending() {
  const card = document.getElementById("pending-card");
  if (!card) return;
  try {
    const res = await api("GET", `${base}/invitations`);
    const items = res.items || [];
    card.hidden = items.length === 0;
    $("#pending-list").replaceChildren(...items.map(pendingRow));
  } catch {
    card.hidden = true;
  }
}

function pendingRow(inv) {
  const contact = inv.contact || inv.email || inv.phone || inv.input || "";
  return h("li", { class: "member" },
    h("div", { class: "person-text" },
      h("span", { class: "person-name" }, contact),
      h("span", { class: "person-sub" }, [accessLabelOf(inv.access), inv.expires_at ? `expires ${formatDate(inv.expires_at)}` : null].filter(Boolean).join(" · "))),
    h("div", { class: "member-actions" },
      h("button", { type: "button", class: "btn btn-sm", "aria-label": `Resend invitation to ${contact}`, onclick: () => pendingAction("POST", `/api/v1/invitations/${inv.id}/resend`, `A new link was sent to ${contact}.`) }, "Resend"),
      h("button", { type: "button", class: "btn btn-sm btn-danger", "aria-label": `Revoke invitation to ${contact}`, onclick: () => pendingAction("DELETE", `/api/v1/invitations/${inv.id}`, `The invitation to ${contact} was revoked.`) }, "Revoke")));
}

function accessLabelOf(access) {
  return access === "view" ? "View only" : "Collaborate";
}

async function pendingAction(method, path, done) {
  try {
    await api(method, path, method === "POST" ? {} : undefined);
    toast(done);
  } catch (err) {
    toast(err.message, "error");
  }
  loadPending();
}

if (canManage) {
  setupInvite();
  loadPending();
}
loadMembers();
