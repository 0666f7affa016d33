// What became of each person of an invitation, as both invite forms show
// it after the call: a summary (role="status") with a focusable heading and
// one line per entry, "who" and "what happened", skipped lines marked. The
// Invite Users dialog (several sessions) and a session's own invite form
// word the outcome differently; the reasons, counts and markup are one.

import { api } from "./api.js";
import { h, accessLabel, notice } from "./dom.js";

const SKIP_REASONS = { unregistered: "not registered", disabled: "account disabled", invalid: "invalid", duplicate: "listed twice" };

const numbers = new Intl.NumberFormat();

// formatCount writes n with the reader's thousands separators: 1,000.
export function formatCount(n) {
  return numbers.format(n || 0);
}

// countTiles is a summary's block of counts: one tile per [key, label] of
// kinds, and one per [key, label] of extra whose count is not zero.
export function countTiles(counts, kinds, extra = []) {
  const shown = [...kinds, ...extra.filter(([key]) => counts[key])];
  return h("div", { class: "summary-counts" }, ...shown.map(([key, label]) =>
    h("div", { "data-count": key }, h("strong", {}, formatCount(counts[key])), h("span", {}, label))));
}

// previewLine says what a multi-invite is about to do, from its preview's
// counts (person x session pairs): "12 new, 1 upgraded, 3 already have
// access", then what becomes of the people not registered yet.
export function previewLine(counts) {
  const parts = [`${formatCount(counts.added)} new`, `${formatCount(counts.upgraded)} upgraded`,
    `${formatCount(counts.unchanged)} already have access`];
  if (counts.registered_now) parts.push(`${formatCount(counts.registered_now)} to register`);
  if (counts.requested) parts.push(`${formatCount(counts.requested)} ${counts.requested === 1 ? "access request" : "access requests"}`);
  if (counts.invited) parts.push(`${formatCount(counts.invited)} ${counts.invited === 1 ? "guest invitation" : "guest invitations"}`);
  if (counts.skipped) parts.push(`${formatCount(counts.skipped)} skipped`);
  return parts.join(", ");
}

// skipReason says why an entry was skipped: the server's reason, else its
// contact status in words.
export function skipReason(result) {
  return result.reason || SKIP_REASONS[result.status] || result.status || "nothing to do";
}

// countBy counts the items of list by their outcome.
export function countBy(list) {
  const counts = {};
  for (const item of list) counts[item.outcome] = (counts[item.outcome] || 0) + 1;
  return counts;
}

// chipNames maps each chip's input to the registered person's name, so a
// summary names people as the chips did.
export function chipNames(chips) {
  return new Map(chips.map((c) => [c.input, c.user ? c.user.name : null]));
}

// summaryLine is one entry of a summary; outcome, when given, is kept in
// data-outcome for the entry's single outcome.
export function summaryLine(who, text, { skipped = false, outcome = null } = {}) {
  return h("li", { "data-outcome": outcome },
    h("span", {}, who),
    h("span", { class: skipped ? "outcome outcome-skipped" : "outcome" }, text));
}

// showSummary puts a summary into box: the title, the counts block if any,
// a line per entry (none: lines null) and what comes after (an undo);
// focus moves to its heading so that the result is read out.
export function showSummary(box, { title, lines, counts = null, after = null }) {
  const heading = h("h3", { tabindex: "-1" }, title);
  box.replaceChildren(h("div", { class: "summary", role: "status" },
    heading, counts, lines ? h("ul", { class: "summary-list" }, ...lines) : null, after));
  box.hidden = false;
  heading.focus();
}

const SESSION_OUTCOMES = ["added", "upgraded", "unchanged", "invited", "skipped"];

// sessionSummary shows the answer of a session's invite call (contract
// section 8): "Done: 2 added, 1 invited" and a line per entry.
export function sessionSummary(box, results, names, access) {
  const counts = countBy(results);
  const line = SESSION_OUTCOMES.filter((o) => counts[o]).map((o) => `${counts[o]} ${o}`).join(", ");
  showSummary(box, { title: line ? `Done: ${line}` : "Nothing to do", lines: results.map((r) =>
    summaryLine(names.get(r.input) || r.input, sessionOutcomeText(r, access), { skipped: r.outcome === "skipped", outcome: r.outcome })) });
}

function sessionOutcomeText(r, access) {
  switch (r.outcome) {
    case "added": return `added (${accessLabel(access)})`;
    case "upgraded": return "upgraded to Collaborate";
    case "unchanged": return "unchanged: already has this access or more";
    case "invited": return `invited as a guest (${accessLabel(access)})`;
    case "skipped": return `skipped: ${skipReason(r)}`;
  }
  return r.outcome;
}

// batchLine is one person's line of a multi-invite (contract section 7):
// skipped, or what changed across the sessions.
export function batchLine(result, names) {
  const who = names.get(result.input) || result.input;
  if (result.status !== "registered") return summaryLine(who, `skipped: ${skipReason(result)}`, { skipped: true, outcome: "skipped" });
  return summaryLine(who, batchOutcomeText(result));
}

// batchOutcomeText says what a granted entry got across the sessions:
// "added to 4 sessions, unchanged in 1 session".
export function batchOutcomeText(result) {
  const counts = result.counts || countBy(result.sessions || []);
  const parts = [];
  const n = (k, one) => `${formatCount(counts[k])} ${counts[k] === 1 ? one : one + "s"}`;
  if (counts.added) parts.push(`added to ${n("added", "session")}`);
  if (counts.upgraded) parts.push(`upgraded in ${n("upgraded", "session")}`);
  if (counts.changed) parts.push(`changed in ${n("changed", "session")}`);
  if (counts.unchanged) parts.push(`unchanged in ${n("unchanged", "session")}`);
  if (counts.not_member) parts.push(`not a member of ${n("not_member", "session")}`);
  if (counts.owner) parts.push(`owner of ${n("owner", "session")}, kept`);
  return parts.join(", ") || "unchanged";
}

// entryProblems lists the entries a refused call names (the "one invalid
// entry rejects the whole call" answer), under the error notice.
export function entryProblems(err) {
  const entries = (err.problem && err.problem.entries) || [];
  if (!entries.length) return [];
  return [h("ul", { class: "chip-problems" }, ...entries.map((e) =>
    h("li", {}, e.reason && e.input && !e.reason.includes(e.input) ? `${e.input}: ${e.reason}` : e.reason || e.input)))];
}

// undoBlock offers to undo the batch just applied (a multi-invite or an
// access change): what is still as it left it is reverted, and the block
// then says what the undo did, in the words describe(counts) gives. A
// refused undo is told in errorBox and the button stays.
export function undoBlock(batchID, { errorBox, describe, onDone }) {
  const block = h("div", { class: "summary-undo", "data-batch-id": batchID });
  const button = h("button", { type: "button", class: "btn btn-sm" }, "Undo");
  button.addEventListener("click", async () => {
    if (button.disabled) return;
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    errorBox.replaceChildren();
    try {
      const res = await api("POST", `/api/v1/invitations/batches/${encodeURIComponent(batchID)}/undo`);
      const done = h("p", { tabindex: "-1" }, describe(res.counts || {}));
      block.replaceChildren(done);
      done.focus();
      onDone();
    } catch (err) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      errorBox.replaceChildren(notice("error", `Nothing was undone. ${err.message}`));
      button.focus();
    }
  });
  block.append(button);
  return block;
}
