// The session page's Discussion section (templates/session_discussion.html).
// mount({ sessionId, live, access }) fills it through the API and keeps it
// up to date from the live events: the latest messages, oldest first,
// and earlier ones a page at a time ("Older messages") above them;
// "Message" and "Send" for those who may write,
// "Delete" for a message's author, the owner and admins. When the access
// changes the controls appear or go; a half-written message stays on
// screen, read-only, to copy.

import { api } from "./api.js";
import { $, h, avatar, notice } from "./dom.js";
import { confirmInline } from "./confirm.js";
import { LiveList, refused } from "./live_list.js";
import { isMe } from "./person.js";

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

// snippet is the start of a message, to tell its Delete button from the others.
function snippet(body) {
  const line = body.replace(/\s+/g, " ").trim();
  return line.length > 40 ? line.slice(0, 40) + "…" : line;
}

export function mount({ sessionId, live, access }) {
  const base = `/api/v1/sessions/${encodeURIComponent(sessionId)}/messages`;
  const els = {
    form: $("#discussion-form"), field: $("#discussion-message"), send: $("#discussion-send"),
    error: $("#discussion-error"), heading: $("#discussion-heading"),
  };
  const mayDelete = (m) => !access.lost && (access.canModerate || (access.canWrite && isMe(m.author)));

  const messages = new LiveList({
    path: base, query: { order: "newest" }, show: "asc", list: $("#discussion-list"), state: $("#discussion-state"), more: $("#discussion-more"),
    row: messageRow, loading: "Loading messages…", errorTitle: "Messages could not be loaded",
    empty: () => ({ title: "No messages yet", text: access.canWrite ? "Start the discussion below." : "Nobody has written here yet.", iconName: "inbox" }),
  });

  function messageRow(m) {
    const when = new Date(m.created_at);
    const actions = h("div", { class: "message-actions" }, mayDelete(m)
      ? h("button", { type: "button", class: "btn btn-sm btn-danger", "aria-label": `Delete message “${snippet(m.body)}”`, onclick: () => confirmDelete(m, actions) }, "Delete")
      : null);
    return h("li", { class: "message" },
      h("div", { class: "message-head" },
        avatar(m.author, "avatar avatar-xs"),
        h("span", { class: "person-name" }, m.author.name, isMe(m.author) ? h("span", { class: "faint" }, " (you)") : null),
        h("time", { class: "faint", datetime: when.toISOString() }, timeFormat.format(when)),
        actions),
      h("p", { class: "message-body" }, m.body));
  }

  function confirmDelete(m, actions) {
    confirmInline(actions, {
      question: "Delete this message?", label: `Delete message “${snippet(m.body)}”?`, yes: "Delete",
      onYes: (box) => deleteMessage(m, box, actions),
    });
  }

  function deleteMessage(m, box, actions) {
    return messages.deleteItem(m, {
      box, actions, path: `${base}/${encodeURIComponent(m.id)}`, done: "The message was deleted.", failed: "The message was not deleted.", access,
      fallback: () => (!els.form.hidden && !els.field.readOnly ? els.field : els.heading),
    });
  }

  async function send(e) {
    e.preventDefault();
    if (els.send.disabled || els.field.readOnly) return;
    const body = els.field.value;
    els.error.replaceChildren();
    if (!body.trim()) {
      els.error.append(notice("error", "Write a message first."));
      return els.field.focus();
    }
    els.send.disabled = true;
    els.send.setAttribute("aria-busy", "true");
    try {
      const m = await api("POST", base, { body });
      els.field.value = "";
      messages.add(m);
    } catch (err) {
      els.error.append(notice("error", sendFailure(err)));
      if (err.status === 403) refused(access);
    } finally {
      els.send.disabled = false;
      els.send.removeAttribute("aria-busy");
      els.field.focus();
    }
  }

  // renderAccess shows the form to those who may write. Anyone else sees
  // no form, unless they had begun a message: it stays, read-only.
  function renderAccess() {
    const canWrite = access.canWrite && !access.lost;
    const kept = !canWrite && els.field.value.trim() !== "";
    els.form.hidden = !canWrite && !kept;
    els.field.readOnly = !canWrite;
    els.send.hidden = !canWrite;
    els.error.replaceChildren(kept ? notice("info", "You can no longer post here. Your message is kept above, to copy.", "status") : "");
    messages.redraw();
  }

  els.form.addEventListener("submit", send);
  els.field.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || e.shiftKey || e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    e.preventDefault();
    els.form.requestSubmit();
  });
  live.on("message.created", (m) => messages.add(m));
  live.on("message.deleted", ({ id }) => messages.remove(id));
  access.onChange(renderAccess);
  messages.load();
}

// sendFailure says why a message was not sent, and that it is kept.
function sendFailure(err) {
  if (err.status === 403) return "You can only view this session now, so your message was not sent. Your text is kept, to copy.";
  return `Your message was not sent. ${err.message} Your text is kept.`;
}
