// A session's page: its members with their access. The owner and admins
// switch members between "View only" and "Collaborate", remove them, and
// invite people (guests too) to this one session; everyone else reads.

import { api } from "./api.js";
import { $, h, accessBadge, chosenAccess, accessLabel, failedState, formatDate, notice, pageData, plural, showState, toast } from "./dom.js";
import { ChipField } from "./chips.js";
import { confirmInline } from "./confirm.js";
import { chipNames, entryProblems, sessionSummary } from "./outcome.js";
import { contactPerson, person } from "./person.js";
import { PagedList } from "./pager.js";
import { SessionAccess, SessionLive } from "./session_live.js";
import { followSession } from "./session_status.js";
import * as notes from "./session_notes.js";
import * as discussion from "./session_discussion.js";
import * as files from "./session_files.js";
import "./session_actions.js";

const data = pageData();
const sessionId = data.sessionId;
const canManage = data.canManage === "true";
const base = `/api/v1/sessions/${encodeURIComponent(sessionId)}`;

const els = {
  list: $("#members-list"),
  state: $("#members-state"),
  count: $("#members-count"),
};

// The members are searched ("Search members") and paged over the members
// API's q and cursor, so a session of a thousand members stays one screen.
const members = new PagedList({
  path: `${base}/members`, search: "#members-search", table: "#members-list", rows: "#members-list", state: "#members-state",
  row: (m) => memberRow(m), empty: emptyMembers, errorTitle: "Members could not be loaded", onRender: countMembers,
});

function loadMembers() {
  return members.load();
}

function emptyMembers({ q, later }) {
  if (q) return { title: "No members match your search", text: `Nobody here is called “${q}”.`, iconName: "users" };
  if (later) return { title: "No more members", text: "This page is empty. Go back to the previous page.", iconName: "users" };
  return { title: "No members yet", iconName: "users" };
}

function countMembers() {
  const n = members.items.length;
  const paged = members.nextCursor || members.cursors.length > 1;
  els.count.textContent = paged ? `${plural(n, "member")} on this page` : plural(n, members.q ? "match" : "member", members.q ? "matches" : "members");
}

function memberRow(m) {
  const li = h("li", { class: "member", "data-user-id": m.user.id }, person(m.user));
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
  confirmInline(li.querySelector(".member-actions"), {
    label: `Remove ${m.user.name}?`, question: `Remove ${m.user.name} from this session?`, yes: "Yes, remove", onYes: () => removeMember(m, li),
  });
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

let inviting = false; // an invitation of the form below is on its way

// memberChanged shows a member's new access (a member.changed event) in
// the list on screen: their row changes in place, or goes once they are
// removed; someone not on this page means the page is read again. A row
// whose switch has focus, or is saving a change made here, only moves its
// switch, so that keyboard focus stays where it is.
function memberChanged(userId, access) {
  const i = members.items.findIndex((m) => m.user.id === userId);
  const li = els.list.querySelector(`[data-user-id="${CSS.escape(userId)}"]`);
  if (i < 0 || !li) {
    // Not while an invitation here is being sent (it reads the list
    // itself), nor under the focus of someone working in the list.
    if (access !== "none" && !inviting && !els.list.contains(document.activeElement)) loadMembers();
    return;
  }
  const m = members.items[i];
  if (m.access === access) return; // shown already: the list was read after the change
  const saving = li.querySelector("fieldset:disabled");
  if (saving || li.contains(document.activeElement)) {
    if (!saving) m.access = access;
    for (const input of li.querySelectorAll("input[type=radio]")) input.checked = input.value === access;
    return;
  }
  if (access === "none") {
    members.items.splice(i, 1);
    li.remove();
    countMembers();
    return;
  }
  m.access = access;
  li.replaceWith(memberRow(m));
}

// endManaging takes away every control of the members list once the
// person has no access left: the server would refuse them all.
function endManaging() {
  for (const el of document.querySelectorAll("#session-invite, #pending-card")) el.closest("section").hidden = true;
  for (const el of els.list.querySelectorAll(".member-actions fieldset, .member-actions button, .member-confirm")) el.remove();
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

  function refresh() {
    submit.disabled = busy || field.pending || field.sendable().length === 0;
    submit.setAttribute("aria-busy", String(busy));
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    field.commitAll();
    if (submit.disabled) return;
    const contacts = field.sendable().map((c) => c.input);
    const names = chipNames(field.chips);
    const access = chosenAccess(form, "session-invite-access");
    busy = inviting = true;
    error.replaceChildren();
    refresh();
    try {
      const res = await api("POST", `${base}/invitations`, { contacts, access });
      const results = res.results || [];
      const done = new Set(results.filter((r) => r.outcome !== "skipped").map((r) => r.input));
      field.keep((c) => !done.has(c.input));
      sessionSummary(result, results, names, access);
      loadMembers();
      loadPending();
    } catch (err) {
      error.replaceChildren(notice("error", `Nobody was invited. ${err.message}`), ...entryProblems(err));
    } finally {
      busy = inviting = false;
      refresh();
    }
  });
  refresh();
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
    showState(pending.state, items.length ? null
      : h("p", { class: "card-body muted" }, "No pending invitations. People you invite who are not registered yet show here until they join."));
  } catch (err) {
    pending.list.replaceChildren();
    showState(pending.state, failedState("Invitations could not be loaded", err, loadPending));
  }
}

function pendingRow(inv) {
  const contact = inv.contact;
  const sent = inv.sent_count > 1 ? `sent ${inv.sent_count} times` : null;
  const li = h("li", { class: "member", "data-invitation-id": inv.id },
    contactPerson(contact, [accessLabel(inv.access), sent, `expires ${formatDate(inv.expires_at)}`].filter(Boolean).join(" · ")),
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

// The content of the session, live: every section subscribes to the one
// event stream before it starts, so that no event is missed between the
// first load and the stream.
const live = new SessionLive(sessionId);
const access = new SessionAccess({ canWrite: data.canWrite === "true", canModerate: data.canModerate === "true", role: data.role });
followSession({ base, live, access, onLost: () => { live.stop(); endManaging(); } });
// A member.changed names one member ({user, access}), or a batch that
// changed many at once ({batch_id}): then the list on screen is read again.
live.on("member.changed", ({ user, access: a }) => {
  if (user) memberChanged(String(user.id), a);
  else if (!inviting && !els.list.contains(document.activeElement)) loadMembers();
});
for (const section of [notes, discussion, files]) section.mount({ sessionId, live, access });
live.start();
