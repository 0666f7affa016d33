// A batch's page (batch.html, rendered with its counts): its pairs a page
// at a time, filtered by outcome and searched, "Download CSV" of what the
// filter shows, "Retry skipped" (a new batch; the page goes to it) and
// "Undo" after a confirmation, then what the undo did.

import { api } from "./api.js";
import { $, h, formatCount, notice } from "./dom.js";
import { Modal } from "./dialog.js";
import { PagedList } from "./pager.js";
import { contactPerson } from "./person.js";
import { skipReason } from "./outcome.js";

const root = $("#batch");
const batchID = root.dataset.batchId;
const kind = root.dataset.kind; // grant (Invite Users) or access (Change access)
const base = `/api/v1/invitations/batches/${encodeURIComponent(batchID)}`;
const outcome = $("#pair-outcome");
const csvLink = $("#batch-csv");
const noticeBox = $("#batch-notice");

const OUTCOME_TEXT = {
  added: "added", upgraded: "upgraded to Collaborate", unchanged: "unchanged", changed: "changed",
  not_member: "not a member: nothing to change", owner: "owner: kept as owner",
};

const list = new PagedList({
  path: `${base}/pairs`, search: "#pair-search", table: "#pairs-table", rows: "#pair-rows", state: "#pairs-state",
  row: pairRow, empty: emptyPairs, errorTitle: "The pairs could not be loaded", onRender: pointCSV,
  filters: () => (outcome.value ? { detail: "true", outcome: outcome.value } : { detail: "true" }),
});

function emptyPairs({ q, later }) {
  if (q || outcome.value) return { title: "No pairs match", text: "Try another search or outcome." };
  if (later) return { title: "No more pairs", text: "This page is empty. Go back to the previous page." };
  return { title: "No pairs", text: "This batch changed nothing." };
}

function pairRow(p) {
  const skipped = p.outcome === "skipped";
  const text = skipped ? `skipped: ${skipReason(p)}` : OUTCOME_TEXT[p.outcome] || p.outcome;
  return h("tr", { "data-outcome": p.outcome },
    h("td", {}, contactPerson(p.contact, p.status ? p.status.replace("_", " ") : "")),
    h("td", {}, sessionCell(p)),
    h("td", {}, h("span", { class: skipped ? "outcome outcome-skipped" : "outcome" }, text)));
}

function sessionCell(p) {
  if (!p.session_id) return h("span", { class: "muted" }, "no session");
  if (!p.session_title) return h("span", { class: "muted" }, "a session deleted since");
  return h("a", { href: `/sessions/${encodeURIComponent(p.session_id)}` }, p.session_title);
}

// pointCSV makes "Download CSV" download what the list shows: the same
// outcome and search, every page of it.
function pointCSV() {
  const params = new URLSearchParams();
  if (outcome.value) params.set("outcome", outcome.value);
  if (list.q) params.set("q", list.q);
  const query = params.toString();
  csvLink.href = `${base}/pairs.csv${query ? "?" + query : ""}`;
}

outcome.addEventListener("change", () => list.setQuery(list.q));

// ---- Retry skipped --------------------------------------------------------

function setupRetry() {
  const button = document.getElementById("batch-retry");
  if (!button) return;
  button.addEventListener("click", async () => {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    noticeBox.replaceChildren(notice("info", "Retrying the skipped entries…"));
    try {
      const retry = await api("POST", `${base}/retry`, {});
      location.assign(`/activity/batches/${encodeURIComponent(retry.batch_id)}`);
    } catch (err) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      noticeBox.replaceChildren(notice("error", `Nothing was retried. ${err.message}`));
    }
  });
}

// ---- Undo -----------------------------------------------------------------

// undoneText says what an undo did, in the words of the batch's kind.
function undoneText(c) {
  const n = (key) => formatCount(c[key] || 0);
  const kept = `${n("kept")} kept because they changed since`;
  if (kind === "access") return `Undone: ${n("restored")} restored to the access they had before, ${kept}.`;
  return `Undone: ${n("removed")} removed, ${n("downgraded")} set back to View only, ${kept}.`;
}

function setupUndo() {
  const button = document.getElementById("batch-undo");
  if (!button) return;
  const errorBox = $("#undo-error");
  const confirm = $("#undo-confirm");
  const modal = new Modal($("#undo-dialog"), { onClose: () => errorBox.replaceChildren(), fallbackFocus: $("#batch-title") });
  button.addEventListener("click", () => modal.open(confirm));
  confirm.addEventListener("click", async () => {
    confirm.disabled = true;
    confirm.setAttribute("aria-busy", "true");
    try {
      const res = await api("POST", `${base}/undo`);
      for (const done of [button, document.getElementById("batch-retry")]) if (done) done.remove();
      modal.close();
      const told = notice("ok", undoneText(res.counts || {}));
      told.tabIndex = -1;
      noticeBox.replaceChildren(told);
      told.focus();
      list.load();
    } catch (err) {
      errorBox.replaceChildren(notice("error", `Nothing was undone. ${err.message}`));
    } finally {
      confirm.disabled = false;
      confirm.removeAttribute("aria-busy");
    }
  });
}

// The title heading takes the focus when the button that had it is gone.
$("#batch-title").tabIndex = -1;
setupRetry();
setupUndo();
list.load();
