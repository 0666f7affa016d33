// A person as every list shows one: the avatar, the name ("(you)" after the
// signed-in user's own) and a line under it. Users, a session's members and
// its pending invitations all use it, so the rows look and read the same.

import { h, avatar, contactOf, pageData } from "./dom.js";

const me = pageData().userId;

// isMe tells whether user is the signed-in user.
export function isMe(user) {
  return String(user.id) === me;
}

// person is a registered user: avatar, name and contact (or sub).
export function person(user, sub = contactOf(user)) {
  return personBlock(avatar(user), user.name, isMe(user) ? h("span", { class: "faint" }, " (you)") : null, sub);
}

// contactPerson is someone known only by a contact (a pending invitation):
// no avatar, the contact as the name.
export function contactPerson(contact, sub) {
  return personBlock(null, contact, null, sub);
}

function personBlock(picture, name, suffix, sub) {
  return h("div", { class: "person" }, picture,
    h("div", { class: "person-text" },
      h("span", { class: "person-name" }, name, suffix),
      h("span", { class: "person-sub" }, sub)));
}
