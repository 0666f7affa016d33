// A session's page: its members with their access. The owner and admins
// switch members between "View only" and "Collaborate", remove them, and
// invite people (guests too) to this one session; everyone else reads.

import { api } from "./api.js";
import { $, h, avatar, accessBadge, accessLabel, contactOf, formatDate, notice, pageData, plural, stateBlock, toast } from "./dom.js";
import { ChipField } from "./chips.js";

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

// The same chip field as the Invite Users dialog; the call is the session's
// own (contract section 8): registered people are added, unregistered ones
// get a guest invitation, and every entry says what became of it.
function setupInvite() {
  const form = $("#session-invite");
  const submit = $("#session-invite-submit");
  const result = $("#session-invite-result");
  const error = $("#session-invite-error");
  const field = new ChipField($(".chip-root", form), { onChange: refresh });
  let busy = false;

  // Invalid entries stay behind (the server would refuse the whole call);
  // everything else goes, and the answer says what became of it.
  function sendable() {
    return field.chips.filter((c) => c.status !== "invalid");
  }

  function refresh() {
    submit.disabled = busy || field.pending || sendable().length === 0;
    submit.setAttribute("aria-busy", String(busy));
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    field.commitAll();
    if (submit.disabled) return;
    const contacts = sendable().map((c) => c.input);
    const names = new Map(field.chips.map((c) => [c.input, c.status === "registered" && c.user ? c.user.name : null]));
    const checked = form.querySelector("input[name=session-invite-access]:checked");
    const access = checked ? checked.value : "collaborate";
    busy = true;
    error.replaceChildren();
    refresh();
    try {
      const res = await api("POST", `${base}/invitations`, { contacts, access });
      const results = res.results || [];
      const done = new Set(results.filter((r) => r.outcome !== "skipped").map((r) => r.input));
      field.keep((c) => !done.has(c.input));
      result.replaceChildren(inviteSummary(results, names, access));
      result.querySelector("h3").focus();
      loadMembers();
      loadPending();
    } catch (err) {
      error.replaceChildren(notice("error", `Nobody was invited. ${err.message}`), ...entryProblems(err));
    } finally {
      busy = false;
      refresh();
    }
  });
  refresh();
}

// entryProblems lists the entries a refused call names.
function entryProblems(err) {
  const entries = (err.problem && err.problem.entries) || [];
  if (!entries.length) return [];
  return [h("ul", { class: "chip-problems" }, ...entries.map((e) => h("li", {}, e.reason && e.input && !e.reason.includes(e.input) ? `${e.input}: ${e.reason}` : e.reason || e.input)))];
}

const OUTCOMES = ["added", "upgraded", "unchanged", "invited", "skipped"];

function outcomeText(r, access) {
  switch (r.outcome) {
    case "added": return `added (${accessLabel(access)})`;
    case "upgraded": return "upgraded to Collaborate";
    case "unchanged": return "unchanged: already has this access or more";
    case "invited": return `invited as a guest (${accessLabel(access)})`;
    case "skipped": return `skipped: ${r.reason || skipReason(r.status)}`;
  }
  return r.outcome;
}

function skipReason(status) {
  return { unregistered: "not registered", disabled: "account disabled", duplicate: "listed twice" }[status] || "nothing to do";
}

function inviteSummary(results, names, access) {
  const counts = {};
  for (const r of results) counts[r.outcome] = (counts[r.outcome] || 0) + 1;
  const line = OUTCOMES.filter((o) => counts[o]).map((o) => `${counts[o]} ${o}`).join(", ");
  return h("div", { class: "summary", role: "status" },
    h("h3", { tabindex: "-1" }, line ? `Done: ${line}` : "Nothing to do"),
    h("ul", { class: "summary-list" }, ...results.map((r) => h("li", { "data-outcome": r.outcome },
      h("span", {}, names.get(r.input) || r.input),
      h("span", { class: r.outcome === "skipped" ? "outcome outcome-skipped" : "outcome" }, outcomeText(r, access))))));
}

// ---- pending guest invitations ------------------------------------------

const pending = {
  card: document.getElementById("pending-card"),
  list: document.getElementById("pending-list"),
  state: document.getElementById("pending-state"),
  count: document.getElementById("pending-count"),
};

async function loadPending() {
  if (!pending.card) return;
  try {
    const res = await api("GET", `${base}/invitations`);
    const items = res.items || [];
    pending.count.textContent = items.length ? plural(items.length, "invitation") : "";
    pending.list.replaceChildren(...items.map(pendingRow));
    if (items.length) pending.state.replaceChildren();
    else pending.state.replaceChildren(h("p", { class: "card-body muted" }, "No pending invitations. People you invite who are not registered yet show here until they join."));
    pending.state.hidden = items.length > 0;
  } catch (err) {
    pending.list.replaceChildren();
    pending.state.replaceChildren(stateBlock({ title: "Invitations could not be loaded", text: err.message, iconName: "alert",
      action: h("button", { type: "button", class: "btn", onclick: () => loadPending() }, "Try again") }));
    pending.state.hidden = false;
  }
}

function pendingRow(inv) {
  const contact = inv.contact;
  const sent = inv.sent_count > 1 ? `sent ${inv.sent_count} times` : null;
  const li = h("li", { class: "member", "data-invitation-id": inv.id },
    h("div", { class: "person" }, h("div", { class: "person-text" },
      h("span", { class: "person-name" }, contact),
      h("span", { class: "person-sub" }, [accessLabel(inv.access), sent, `expires ${formatDate(inv.expires_at)}`].filter(Boolean).join(" · ")))),
    h("div", { class: "member-actions" },
      h("button", { type: "button", class: "btn btn-sm", "aria-label": `Resend invitation to ${contact}`,
        onclick: (e) => pendingAction(e.currentTarget, "POST", `/api/v1/invitations/${encodeURIComponent(inv.id)}/resend`, `A new link was sent to ${contact}; the old one no longer works.`) }, "Resend"),
      h("button", { type: "button", class: "btn btn-sm btn-danger", "aria-label": `Revoke invitation to ${contact}`,
        onclick: (e) => pendingAction(e.currentTarget, "DELETE", `/api/v1/invitations/${encodeURIComponent(inv.id)}`, `The invitation to ${contact} was revoked; its link no longer works.`) }, "Revoke")));
  return li;
}

async function pendingAction(button, method, path, done) {
  const row = button.closest("li");
  for (const b of row.querySelectorAll("button")) b.disabled = true;
  try {
    await api(method, path);
    toast(done);
  } catch (err) {
    toast(err.message, "error");
  }
  const label = button.getAttribute("aria-label");
  await loadPending();
  const same = Array.from(pending.list.querySelectorAll("button")).find((b) => b.getAttribute("aria-label") === label);
  (same || $("#pending-heading")).focus();
}

if (canManage) {
  setupInvite();
  loadPending();
}
loadMembers();
