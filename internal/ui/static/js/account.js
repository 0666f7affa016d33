// The account page: the signed-in person's own picture.

import { api } from "./api.js";
import { $, notice, pageData } from "./dom.js";

const MAX_BYTES = 1 << 20;
const TYPES = ["image/png", "image/jpeg", "image/webp"];
const data = pageData();
const form = $("#avatar-form");
const file = $("#avatar-file");
const status = $("#avatar-status");

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const picked = file.files && file.files[0];
  if (!picked) return show("error", "Choose a picture first.");
  if (!TYPES.includes(picked.type)) return show("error", "The picture must be a PNG, JPEG or WebP image.");
  if (picked.size > MAX_BYTES) return show("error", "The picture is larger than 1 MB. Choose a smaller one.");
  try {
    await api("PUT", `/api/v1/users/${encodeURIComponent(data.userId)}/avatar`, picked, { raw: true, headers: { "Content-Type": picked.type } });
    const src = `/avatars/${data.userId}?v=${Date.now()}`;
    for (const img of document.querySelectorAll(`img[data-avatar-of="${data.userId}"]`)) img.src = src;
    form.reset();
    show("ok", "Your picture was updated.");
  } catch (err) {
    show("error", err.message);
  }
});

function show(kind, text) {
  status.replaceChildren(notice(kind, text));
}
