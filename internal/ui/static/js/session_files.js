// The session page's Files section (templates/session_files.html).
// mount({ sessionId, live, access }) fills it through the API and keeps it
// up to date from the live events: the files newest first ("Older
// files"), each with its size, uploader and date, a download link (the
// attachment route) and, for images, a thumbnail the server draws.
// Those who may write get "Upload file" (the size limit told before one
// picks, the upload's progress shown) and "Delete".

import { ApiError, redirectToLogin } from "./api.js";
import { $, h, formatDate, notice, toast } from "./dom.js";
import { confirmInline } from "./confirm.js";
import { LiveList, refused } from "./live_list.js";

// The types the server draws a thumbnail of (internal/thumbnail); any
// other file shows its extension instead.
const IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif"];

// humanSize writes a number of bytes as people read it: 900 B, 1.5 KB, 25 MB.
export function humanSize(n) {
  const units = ["B", "KB", "MB", "GB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const shown = i === 0 || v >= 10 ? Math.round(v) : Math.round(v * 10) / 10;
  return `${shown} ${units[i]}`;
}

function isImage(f) {
  return IMAGE_TYPES.includes(String(f.content_type || "").split(";")[0].trim().toLowerCase());
}

// extension is what a file without a thumbnail shows: "PDF", "TXT".
function extension(name) {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1, dot + 5).toUpperCase() : "";
}

export function mount({ sessionId, live, access }) {
  const base = `/api/v1/sessions/${encodeURIComponent(sessionId)}/files`;
  const card = $("#files-card");
  const maxBytes = Number(card.dataset.maxBytes) || 0;
  const els = {
    upload: $("#files-upload"), input: $("#files-input"), pick: $("#files-pick"), help: $("#files-help"),
    progress: $("#files-progress"), error: $("#files-error"), heading: $("#files-heading"),
  };
  els.help.textContent = maxBytes ? `Any kind of file, up to ${humanSize(maxBytes)}.` : "Any kind of file.";

  const files = new LiveList({
    path: base, show: "desc", list: $("#files-list"), state: $("#files-state"), more: $("#files-more"),
    row: fileRow, loading: "Loading files…", errorTitle: "Files could not be loaded",
    empty: () => ({ title: "No files yet", text: access.canWrite ? "Upload one to share it with everyone here." : "Nobody has shared a file here yet.", iconName: "inbox" }),
  });

  function fileRow(f) {
    const href = `${base}/${encodeURIComponent(f.id)}`;
    const actions = h("div", { class: "file-actions" }, access.canWrite && !access.lost
      ? h("button", { type: "button", class: "btn btn-sm btn-danger", "aria-label": `Delete ${f.name}`, onclick: () => confirmDelete(f, actions) }, "Delete")
      : null);
    const sub = [humanSize(f.size), f.uploaded_by && f.uploaded_by.name, formatDate(f.created_at)].filter(Boolean).join(" · ");
    return h("li", { class: "file" },
      preview(f, href),
      h("div", { class: "file-text" },
        h("a", { class: "file-name", href, download: f.name }, f.name),
        h("span", { class: "file-sub" }, sub)),
      actions);
  }

  // preview is the thumbnail of an image, or the extension of any other
  // file (and of an "image" whose bytes the server could not draw).
  function preview(f, href) {
    const placeholder = () => h("span", { class: "file-thumb file-ext", "aria-hidden": "true" }, extension(f.name));
    if (!isImage(f)) return placeholder();
    const img = h("img", { class: "file-thumb", src: `${href}/thumbnail`, alt: "", width: 48, height: 48, loading: "lazy" });
    img.addEventListener("error", () => img.replaceWith(placeholder()), { once: true });
    return img;
  }

  function confirmDelete(f, actions) {
    confirmInline(actions, { question: `Delete ${f.name}?`, yes: "Delete", onYes: (box) => deleteFile(f, box, actions) });
  }

  function deleteFile(f, box, actions) {
    return files.deleteItem(f, {
      box, actions, path: `${base}/${encodeURIComponent(f.id)}`, done: `${f.name} was deleted.`, failed: `${f.name} was not deleted.`, access,
      fallback: () => (!els.upload.hidden ? els.pick : els.heading),
    });
  }

  async function upload(file) {
    els.error.replaceChildren();
    if (maxBytes && file.size > maxBytes) {
      els.error.append(notice("error", `${file.name} is ${humanSize(file.size)}; a file can be at most ${humanSize(maxBytes)}. Nothing was uploaded.`));
      return;
    }
    const bar = h("progress", { max: 100, value: 0, "aria-label": `Uploading ${file.name}` });
    els.progress.replaceChildren(h("span", {}, `Uploading ${file.name}…`), bar);
    els.progress.hidden = false;
    els.pick.disabled = true;
    els.pick.setAttribute("aria-busy", "true");
    try {
      const f = await sendFile(base, file, (share) => { bar.value = Math.round(share * 100); });
      files.add(f);
      toast(`${f.name} was uploaded.`);
    } catch (err) {
      els.error.append(notice("error", uploadFailure(file, err, maxBytes)));
      if (err.status === 403) refused(access);
    } finally {
      els.progress.hidden = true;
      els.progress.replaceChildren();
      els.pick.disabled = false;
      els.pick.removeAttribute("aria-busy");
      els.input.value = "";
      if (!els.upload.hidden) els.pick.focus();
    }
  }

  function renderAccess() {
    els.upload.hidden = !access.canWrite || access.lost;
    files.redraw();
  }

  els.pick.addEventListener("click", () => els.input.click());
  els.input.addEventListener("change", () => {
    const file = els.input.files && els.input.files[0];
    if (file) upload(file);
  });
  live.on("file.created", (f) => files.add(f));
  live.on("file.deleted", ({ id }) => files.remove(id));
  access.onChange(renderAccess);
  files.load();
}

// uploadFailure says why a file was not uploaded.
function uploadFailure(file, err, maxBytes) {
  switch (err.status) {
    case 403: return `You can only view this session now, so ${file.name} was not uploaded.`;
    case 413: return `${file.name} is larger than the limit of ${humanSize(maxBytes)}. Nothing was uploaded.`;
    default: return `${file.name} was not uploaded. ${err.message}`;
  }
}

// sendFile posts file as the multipart field "file" with XMLHttpRequest,
// which (unlike fetch) reports the upload's progress: onProgress gets the
// share sent, 0 to 1. It resolves with the stored file, or rejects with
// the ApiError the server answered.
function sendFile(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    xhr.addEventListener("error", () => reject(new ApiError(0, null)));
    xhr.addEventListener("load", () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON (a proxy's error page): the status speaks alone
      }
      if (xhr.status === 401) redirectToLogin();
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
      else reject(new ApiError(xhr.status, body));
    });
    const form = new FormData();
    form.append("file", file);
    xhr.send(form);
  });
}
