// The summary of Invite Users (contract sections 7 and 14), written to read
// as well for 1,000 people as for 3. First what was left out, grouped by
// reason (not registered, account disabled, invalid, past the cap), with
// "Copy skipped"; then the entries merged as the same person; then what
// became of the people not registered yet (access requested, invited as
// guests); then the people granted, grouped by what they got, each group
// opening to its people and the sessions each got. A group of many starts
// closed and its list is built only while open. Counts carry the reader's thousands
// separators; "Download CSV" is the batch's pairs (pairs.csv).

import { h } from "./dom.js";
import { MAX_ENTRIES } from "./chips.js";
import { batchOutcomeText, countTiles, formatCount, showSummary, skipReason, undoBlock } from "./outcome.js";

const TILES = [["added", "added"], ["upgraded", "upgraded"], ["unchanged", "unchanged"], ["skipped", "skipped"]];
const MODE_TILES = [["registered_now", "registered now"], ["requested", "access requested"], ["invited", "invited as guests"]];

const OPEN_UP_TO = 20; // a group of more entries starts closed
const TITLES_SHOWN = 5; // session titles named per person, then "and N more"

// showInviteSummary fills box with the summary of batch. names maps each
// input to the registered person's name; invalid are the chips not sent;
// merged and leftOut what the chip field merged and dropped (takeMerged);
// titles maps session ids to titles. errorBox and onDone are the undo's.
export function showInviteSummary(box, { batch, names, invalid = [], merged = [], leftOut = [], titles = new Map(), errorBox, onDone }) {
  const results = batch.results || [];
  const skipped = skippedGroups(results, invalid, leftOut);
  const groups = [...skipped, mergedGroup(results, merged), ...modeGroups(results), ...grantedGroups(results, names, titles)];
  showSummary(box, {
    title: "Access updated",
    counts: countTiles(batch.counts || {}, TILES, MODE_TILES),
    lines: null,
    after: [
      actions(batch, skipped.flatMap((g) => g.entries.map((e) => e.input))),
      ...groups.filter((g) => g && g.entries.length).map(renderGroup),
      batch.batch_id ? undoBlock(batch.batch_id, { errorBox, onDone,
        describe: (c) => `Undone: ${formatCount(c.removed)} removed, ${formatCount(c.downgraded)} set back to view only, ${formatCount(c.kept)} kept (changed since)` }) : null,
    ],
  });
}

// A group is { key, title, entries: [{ input, who?, text? }], skipped }.

function skippedGroups(results, invalid, leftOut) {
  const byReason = new Map();
  for (const r of results) {
    if (!isSkipped(r)) continue;
    const reason = skipReason(r);
    if (!byReason.has(reason)) byReason.set(reason, []);
    byReason.get(reason).push({ input: r.input });
  }
  const groups = [...byReason].map(([reason, entries]) => ({ key: `skipped:${reason}`, title: capitalise(reason), entries, skipped: true }));
  groups.push({ key: "invalid", title: "Invalid: not an email address or a phone number", skipped: true,
    entries: invalid.map((c) => ({ input: c.input, text: c.reason && !c.reason.includes(c.input) ? c.reason : "" })) });
  groups.push({ key: "left-out", title: `Left out: at most ${formatCount(MAX_ENTRIES)} people at a time`, skipped: true,
    entries: leftOut.map((input) => ({ input })) });
  return groups.filter((g) => g.entries.length);
}

// isSkipped: nothing was done for the entry (a duplicate was merged, not skipped).
function isSkipped(r) {
  return !["registered", "registered_now", "requested", "invited", "duplicate"].includes(r.status);
}

function mergedGroup(results, merged) {
  const entries = merged.map((m) => ({ input: m.input, text: m.into ? `same person as ${m.into}` : "listed twice" }));
  for (const r of results) if (r.status === "duplicate") entries.push({ input: r.input, text: r.reason || "listed twice" });
  return { key: "merged", title: "Listed twice: merged into one", entries };
}

function modeGroups(results) {
  const of = (status) => results.filter((r) => r.status === status).map((r) => ({ input: r.input }));
  return [
    { key: "requested", title: "Access requested: they get these sessions once registered", entries: of("requested") },
    { key: "invited", title: "Invited as guests: one link each for all these sessions", entries: of("invited") },
  ];
}

// grantedGroups groups the people granted by what they got; the people
// the batch registered form groups of their own.
function grantedGroups(results, names, titles) {
  const groups = new Map();
  for (const r of results) {
    if (r.status !== "registered" && r.status !== "registered_now") continue;
    const what = batchOutcomeText(r);
    const title = r.status === "registered_now" ? `Registered and ${what}` : capitalise(what);
    if (!groups.has(title)) groups.set(title, { key: `granted:${r.status}`, title, entries: [] });
    groups.get(title).entries.push({ input: r.input, who: names.get(r.input) || r.input, text: sessionsText(r, titles) });
  }
  return [...groups.values()];
}

// sessionsText names the sessions a person got, as many as are known by
// title: "Budget review, Team retro (unchanged) and 3 more".
function sessionsText(r, titles) {
  const pairs = r.sessions || [];
  const named = pairs.filter((p) => titles.has(p.session_id));
  const shown = named.slice(0, TITLES_SHOWN).map((p) => titles.get(p.session_id) + (p.outcome === "added" ? "" : ` (${p.outcome})`));
  const more = pairs.length - shown.length;
  if (!shown.length) return "";
  return more ? `${shown.join(", ")} and ${formatCount(more)} more` : shown.join(", ");
}

function renderGroup(g) {
  const list = h("ul", { class: "summary-list" });
  const fill = () => {
    if (!list.childElementCount) list.append(...g.entries.map(entryLine));
  };
  const open = g.entries.length <= OPEN_UP_TO;
  const details = h("details", { class: g.skipped ? "summary-group summary-group-skipped" : "summary-group", "data-group": g.key, open },
    h("summary", {}, h("span", {}, g.title), h("span", { class: "badge" }, formatCount(g.entries.length))), list);
  // A long list exists only while its group is open: a closed group of
  // 1,000 people costs the page nothing.
  if (open) fill();
  else details.addEventListener("toggle", () => (details.open ? fill() : list.replaceChildren()));
  return details;
}

function entryLine(e) {
  return h("li", {}, h("span", {}, e.who || e.input), e.text ? h("span", { class: "outcome" }, e.text) : null);
}

// actions are "Copy skipped" (when something was) and "Download CSV".
function actions(batch, skipped) {
  const said = h("span", { class: "help", "aria-live": "polite" });
  const row = h("div", { class: "summary-actions" });
  if (skipped.length) {
    row.append(h("button", { type: "button", class: "btn btn-sm", onclick: () => copySkipped(skipped, row, said) }, "Copy skipped"));
  }
  if (batch.batch_id) {
    row.append(h("a", { class: "btn btn-sm", href: `/api/v1/invitations/batches/${encodeURIComponent(batch.batch_id)}/pairs.csv`, download: "" }, "Download CSV"));
  }
  row.append(said);
  return row;
}

// copySkipped puts the skipped entries on the clipboard, one a line; where
// the browser refuses, it shows them selected in a field to copy by hand.
async function copySkipped(entries, row, said) {
  const text = entries.join("\n");
  const n = `${formatCount(entries.length)} ${entries.length === 1 ? "entry" : "entries"}`;
  if (await copyText(text, row)) {
    said.textContent = `Copied ${n}.`;
    return;
  }
  const area = h("textarea", { class: "input", rows: "4", readonly: true, "aria-label": "Skipped entries" });
  area.value = text;
  row.after(area);
  area.focus();
  area.select();
  said.textContent = `Copying was refused: the ${n} are selected in the field below; press Ctrl+C (⌘C) to copy them.`;
}

async function copyText(text, near) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // An older browser, or no permission: the selection fallback below.
  }
  // Inside a modal dialog only its own elements can be selected.
  const area = h("textarea", { class: "sr-only", tabindex: "-1", "aria-hidden": "true" });
  area.value = text;
  near.append(area);
  area.select();
  let ok = false;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  area.remove();
  return ok;
}

function capitalise(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
