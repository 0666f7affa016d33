// The Activity page's "Batches" tab: every Invite Users and Change access
// batch, newest first, a page at a time, each opening its page
// (/activity/batches/{id}, batch.js).

import { h, formatCount, formatDateTime, plural } from "./dom.js";
import { PagedList } from "./pager.js";
import { named, userName } from "./names.js";

const KINDS = { grant: "Invite Users", access: "Change access" };
const WHAT = {
  grant: { collaborate: "given Collaborate", view: "given View only" },
  access: { collaborate: "set to Collaborate", view: "set to View only", remove: "removed from sessions" },
};
// The counts a row shows, in this order, when they are not zero.
const COUNTS = [["added"], ["upgraded"], ["changed"], ["unchanged"], ["not_member", "not member"], ["owner"],
  ["registered_now", "registered"], ["requested"], ["invited"], ["skipped"]];

// countsText is "1,000 added · 2 skipped".
export function countsText(counts) {
  const parts = COUNTS.filter(([key]) => counts[key]).map(([key, label = key]) => `${formatCount(counts[key])} ${label}`);
  return parts.join(" · ") || "nothing to do";
}

function batchRow(b) {
  const href = `/activity/batches/${encodeURIComponent(b.id)}`;
  const marks = [];
  if (b.undone_at) marks.push(h("span", { class: "badge badge-danger" }, "Undone"));
  if (b.retry_of) marks.push(h("a", { class: "badge", href: `/activity/batches/${encodeURIComponent(b.retry_of)}` }, `Retry of batch ${b.retry_of}`));
  return h("tr", { "data-batch-id": b.id },
    h("td", {}, h("a", { class: "row-title", href }, `${KINDS[b.kind] || b.kind} batch ${b.id}`),
      h("span", { class: "cell-sub" }, (WHAT[b.kind] || {})[b.access] || b.access), ...marks),
    h("td", {}, named("span", { class: "person-name" }, userName(b.actor)),
      h("span", { class: "cell-sub" }, formatDateTime(b.created_at))),
    h("td", {}, `${plural(b.people, "person", "people")} × ${plural(b.sessions, "session")}`),
    h("td", {}, countsText(b.counts || {})));
}

function emptyBatches({ later }) {
  if (later) return { title: "No more batches", text: "This page is empty. Go back to the previous page." };
  return { title: "No batches yet", text: "Each Invite Users and Change access you send is listed here." };
}

export async function mount() {
  const list = new PagedList({
    path: "/api/v1/invitations/batches", table: "#batches-table", rows: "#batch-rows", state: "#batches-state",
    row: batchRow, empty: emptyBatches, errorTitle: "Batches could not be loaded", pager: "batches", persist: false,
  });
  await list.load();
}
