// The names behind the ids the history gives (a batch's author, the person
// and session of an audit event), each looked up once per page through the
// API and shared by every row that shows it. A name that cannot be read
// (a session deleted since) reads as what it was.

import { api } from "./api.js";
import { h } from "./dom.js";
import { isMe } from "./person.js";

const users = new Map();
const sessions = new Map();

function lookup(cache, id, path, pick, fallback) {
  if (!cache.has(id)) cache.set(id, api("GET", path).then(pick, () => fallback));
  return cache.get(id);
}

// userName is the name of user id, "(you)" after the signed-in user's.
export function userName(id) {
  if (!id) return Promise.resolve("Convene");
  const you = isMe({ id }) ? " (you)" : "";
  return lookup(users, id, `/api/v1/users/${encodeURIComponent(id)}`, (u) => u.name + you, `user ${id}`);
}

// sessionTitle is the title of session id.
export function sessionTitle(id) {
  return lookup(sessions, id, `/api/v1/sessions/${encodeURIComponent(id)}`, (s) => s.title, "a session deleted since");
}

// named is an element whose text becomes the name once it is known.
export function named(tag, attrs, promise) {
  const el = h(tag, attrs, "…");
  promise.then((name) => { el.textContent = name; });
  return el;
}
