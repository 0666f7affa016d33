// The Activity page's "Audit log" tab (Tenant Admins): every change of who
// may enter a session, and of the sessions and users themselves, newest
// first, each as a sentence: who did what to whom in which session, when.
// ?batch=, ?user= or ?session= in the page's address keep only the events
// of that batch, person or session (the API's filters); a batch page and
// each line's names link there.

import { h, accessLabel, formatDateTime, roleLabel } from "./dom.js";
import { PagedList } from "./pager.js";
import { named, sessionTitle, userName } from "./names.js";

const FILTERS = { batch: "batch", user: "person", session: "session" };

// The parts of an event's sentence: who acted, the person, the session.
function actor(e) { return named("strong", {}, userName(e.actor)); }
function whom(e) { return e.user_id ? filterLink("user", e.user_id, userName(e.user_id)) : "someone"; }
function where(e) { return e.session_id ? filterLink("session", e.session_id, sessionTitle(e.session_id)) : "a session"; }

function filterLink(key, id, name) {
  return named("a", { href: `/activity?tab=audit&${key}=${encodeURIComponent(id)}` }, name);
}

const quoted = (text) => `“${text}”`;

// userChange words a user.updated event ("role=member" -> "role=admin").
function userChange(e) {
  const [field, before] = e.before.split("=");
  const after = e.after.split("=")[1];
  if (field === "role") return [` from ${roleLabel(before)} to ${roleLabel(after)}`];
  if (field === "disabled") return [after === "true" ? ": disabled their account" : ": enabled their account"];
  return [`: ${e.before} → ${e.after}`];
}

// SENTENCES words each action; an action added later reads by its name.
const SENTENCES = {
  "member.added": (e) => [actor(e), " gave ", whom(e), ` ${accessLabel(e.after)} in `, where(e)],
  "member.upgraded": (e) => [actor(e), " raised ", whom(e), " to Collaborate in ", where(e)],
  "member.access_changed": (e) => e.after
    ? [actor(e), " changed ", whom(e), ` from ${accessLabel(e.before)} to ${accessLabel(e.after)} in `, where(e)]
    : [actor(e), " removed ", whom(e), ` (${accessLabel(e.before)}) from `, where(e)],
  "member.removed": (e) => [actor(e), " removed ", whom(e), " from ", where(e)],
  "session.owner_transferred": (e) => [actor(e), " made ", whom(e), " the owner of ", where(e)],
  "session.created": (e) => [actor(e), " created ", where(e)],
  "session.renamed": (e) => [actor(e), ` renamed ${quoted(e.before)} to `, where(e)],
  "session.deleted": (e) => [actor(e), ` deleted the session ${quoted(e.before)}`],
  "file.uploaded": (e) => [actor(e), ` uploaded ${quoted(e.after)} to `, where(e)],
  "file.deleted": (e) => [actor(e), ` deleted the file ${quoted(e.before)} of `, where(e)],
  "user.created": (e) => [actor(e), " registered ", whom(e), ` as ${roleLabel(e.after)}`],
  "user.updated": (e) => [actor(e), " changed ", whom(e), ...userChange(e)],
  "invitation.created": (e) => [actor(e), ` invited ${invitee(e.after)} as a guest to `, where(e)],
  "invitation.revoked": (e) => [actor(e), ` revoked the invitation of ${invitee(e.before)} to `, where(e)],
  "invitation.accepted": (e) => [whom(e), " accepted an invitation to ", where(e), ` (${accessLabel(e.after)})`],
};

// invitee is the contact of an invitation event's value ("view a@b.test").
function invitee(value) {
  const [access, ...contact] = value.split(" ");
  return `${contact.join(" ")} (${accessLabel(access)})`;
}

function sentence(e) {
  const words = SENTENCES[e.action];
  if (words) return words(e);
  return [actor(e), ` ${e.action} `, e.user_id ? whom(e) : "", e.session_id ? [" in ", where(e)] : ""];
}

function auditRow(e) {
  return h("tr", { "data-action": e.action },
    h("td", { class: "nowrap" }, h("time", { datetime: e.at }, formatDateTime(e.at))),
    h("td", {}, ...sentence(e)),
    h("td", {}, e.batch_id ? h("a", { href: `/activity/batches/${encodeURIComponent(e.batch_id)}` }, `Batch ${e.batch_id}`) : ""));
}

// activeFilter is the filter the page's address asks for, if any.
function activeFilter() {
  const params = new URLSearchParams(location.search);
  for (const key of Object.keys(FILTERS)) {
    if (params.get(key)) return { key, id: params.get(key) };
  }
  return null;
}

function showFilter(box, f) {
  if (!f) return;
  const name = f.key === "batch" ? Promise.resolve(`batch ${f.id}`)
    : f.key === "user" ? userName(f.id) : sessionTitle(f.id);
  box.replaceChildren(h("div", {}, `Only the events of the ${FILTERS[f.key]} `, named("strong", {}, name), ". ",
    h("a", { href: "/activity?tab=audit" }, "Show every event")));
  box.hidden = false;
}

function emptyAudit({ later }) {
  if (later) return { title: "No more events", text: "This page is empty. Go back to the previous page." };
  return { title: "Nothing recorded yet", text: "Every change of who may enter a session is recorded here." };
}

export async function mount(panel) {
  const f = activeFilter();
  showFilter(panel.querySelector("#audit-filter"), f);
  const list = new PagedList({
    path: "/api/v1/audit", table: "#audit-table", rows: "#audit-rows", state: "#audit-state",
    row: auditRow, empty: emptyAudit, errorTitle: "The audit log could not be loaded", pager: "audit", persist: false,
    filters: () => (f ? { [f.key]: f.id } : {}),
  });
  await list.load();
}
