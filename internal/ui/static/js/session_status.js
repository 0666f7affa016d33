// The page-wide side of a session's live events (session.js): the status
// line under the title ("View only", access switched, access lost), the
// "You: …" badge, the title and description when the session is renamed,
// and the end of everything when the person loses access. The sections
// (notes, discussion, files) follow SessionAccess themselves.

import { api } from "./api.js";
import { accessLabel, h, notice } from "./dom.js";

// LOST is what the page says, word for word, once its reader has no access.
export const LOST = "You no longer have access to this session";

// followSession wires the status line to live and access. onLost runs
// once, when the person loses access (the page then stops the stream).
export function followSession({ base, live, access, onLost }) {
  const status = document.getElementById("session-live-status");
  let deleted = false;
  const show = (block) => status.replaceChildren(block || "");

  // The server rendered the first state ("View only" or nothing); a
  // message follows each change of what the person may do, not each event
  // (an admin's membership changes nothing they may do).
  let could = access.canWrite;
  access.onChange(() => {
    showBadge(access);
    if (access.lost) {
      show(lostNotice(deleted));
      onLost();
    } else if (access.canWrite === could) {
      return;
    } else if (!access.canWrite) {
      show(notice("warn", `View only: you have view-only access now. You can still read and copy everything here, including text you were writing, but not change anything.`, "alert"));
    } else {
      show(notice("ok", "You can collaborate again: the controls to add and change things are back."));
    }
    could = access.canWrite;
  });
  live.on("access", ({ access: a }) => access.set(a));
  live.on("session.updated", (s) => retitle(s));
  live.on("session.deleted", () => { deleted = true; access.lose(); });
  live.onClose(() => checkStillThere(base, access, show));
}

function lostNotice(deleted) {
  return notice("error", [
    h("strong", { class: "notice-title" }, LOST),
    h("p", {}, deleted ? "The session was deleted. " : "Your access was removed. ",
      "What is on screen stays to copy; nothing here can be changed. ",
      h("a", { href: "/sessions" }, "Back to All Sessions")),
  ], "alert");
}

// showBadge keeps "You: …" (the person's membership) next to the title
// true; an admin who is no member any more has none.
function showBadge(access) {
  const badge = document.querySelector(".page-head .badge");
  const a = access.lost ? "none" : access.access;
  if (!badge || !a) return;
  if (access.admin && a === "none") {
    badge.remove();
    return;
  }
  badge.className = `badge badge-${a}`;
  badge.textContent = `You: ${accessLabel(a)}`;
}

function retitle(s) {
  const title = document.getElementById("session-title");
  const description = document.getElementById("session-description");
  if (title && s.title) {
    title.textContent = s.title;
    document.title = `${s.title} · Convene`;
  }
  if (description) {
    description.textContent = s.description || "";
    description.hidden = !s.description;
  }
}

// checkStillThere runs when the browser gave up on the stream: asks the
// server whether the session is still there for this person.
async function checkStillThere(base, access, show) {
  try {
    await api("GET", base);
    show(notice("warn", "Live updates stopped. Reload the page to see the latest changes."));
  } catch (err) {
    if (err.status === 404) access.lose();
    else show(notice("warn", "Live updates stopped. Reload the page to see the latest changes."));
  }
}
