// Small DOM helpers shared by every page. No framework: h() builds elements,
// and the rest are the few behaviours every page needs.

const SVG_NS = "http://www.w3.org/2000/svg";

// h builds an element: h("a", {href: "/x", class: "y"}, "text", child).
// Attributes starting with "on" become listeners; null and false are skipped.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const ICONS = {
  x: "M6 6l12 12M18 6L6 18",
  search: "M11 19a8 8 0 1 1 0-16 8 8 0 0 1 0 16zm10 2l-4.35-4.35",
  alert: "M12 9v4m0 4h.01M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z",
  info: "M12 16v-4m0-4h.01M12 22a10 10 0 1 1 0-20 10 10 0 0 1 0 20z",
  check: "M20 6L9 17l-5-5",
  session: "M4 5h16v11H4zM8 20h8M12 16v4",
  inbox: "M22 12h-6l-2 3h-4l-2-3H2M5.5 5h13L22 12v6a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2v-6z",
  users: "M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm14 10v-2a4 4 0 0 0-3-3.87M16 3.13a4 4 0 0 1 0 7.75",
};

// icon returns an inline SVG icon, hidden from assistive technology.
export function icon(name, cls = "icon") {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("class", cls);
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("fill", "none");
  svg.setAttribute("stroke", "currentColor");
  svg.setAttribute("stroke-width", "2");
  svg.setAttribute("stroke-linecap", "round");
  svg.setAttribute("stroke-linejoin", "round");
  const path = document.createElementNS(SVG_NS, "path");
  path.setAttribute("d", ICONS[name] || ICONS.info);
  svg.append(path);
  return svg;
}

// $ finds one element, or throws: a missing element is a template bug.
export function $(selector, root = document) {
  const el = root.querySelector(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}

// debounce delays fn until calls stop for wait milliseconds.
export function debounce(fn, wait) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), wait);
  };
}

// pageData reads the data-* attributes the server put on <body>.
export function pageData() {
  return { ...document.body.dataset };
}

// avatar returns the <img> of a user's avatar; decorative, since the name
// always stands next to it.
export function avatar(user, cls = "avatar") {
  return h("img", { class: cls, src: user.avatar_url || `/avatars/${user.id}`, alt: "", width: 32, height: 32, loading: "lazy" });
}

// contactOf returns what to show under a person's name.
export function contactOf(user) {
  return user.email || user.phone_display || user.phone || "";
}

const ACCESS_LABELS = { owner: "Owner", collaborate: "Collaborate", view: "View only" };

// accessLabel names an access level as the dashboard shows it.
export function accessLabel(access) {
  return ACCESS_LABELS[access] || "No access";
}

// accessBadge is a coloured badge for an access level.
export function accessBadge(access) {
  return h("span", { class: `badge badge-${access || "none"}` }, accessLabel(access));
}

// chosenAccess reads an "access-choice" radio group (the partial of that
// name) inside root; Collaborate is its default.
export function chosenAccess(root, name) {
  const checked = root.querySelector(`input[name=${name}]:checked`);
  return checked ? checked.value : "collaborate";
}

const ROLE_LABELS = { admin: "Tenant Admin", session_admin: "Session Admin", member: "Member", guest: "Guest" };

// roleLabel names a tenant role.
export function roleLabel(role) {
  return ROLE_LABELS[role] || role;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric" });

// formatDate renders an RFC 3339 time as a short date.
export function formatDate(value) {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : dateFormat.format(d);
}

const timeFormat = new Intl.DateTimeFormat(undefined, { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });

// formatDateTime renders an RFC 3339 time as a short date and time.
export function formatDateTime(value) {
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? "" : timeFormat.format(d);
}

const countFormat = new Intl.NumberFormat("en-US");

// formatCount writes a count with thousands separators: 1,000,000, as the
// server-rendered pages write them.
export function formatCount(n) {
  return countFormat.format(n);
}

// plural renders "1 session" / "3 sessions", the count with its separators.
export function plural(n, one, many = one + "s") {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

// notice builds an inline message block; kind is error, info, warn or ok.
export function notice(kind, text, role = kind === "error" ? "alert" : "status") {
  return h("div", { class: `notice notice-${kind}`, role }, icon(kind === "ok" ? "check" : kind === "error" ? "alert" : "info"), h("div", {}, text));
}

// stateBlock is an empty, loading or error state for a list.
export function stateBlock({ title, text, action, loading, iconName = "inbox" }) {
  return h("div", { class: "state", role: loading ? "status" : null },
    loading ? h("div", { class: "spinner", "aria-hidden": "true" }) : icon(iconName, "state-icon"),
    title ? h("h2", {}, title) : null,
    text ? h("p", {}, text) : null,
    action || null);
}

// showState puts a state block into a list's state element, or hides the
// element when block is null (the list has rows).
export function showState(el, block) {
  el.replaceChildren(block || "");
  el.hidden = !block;
}

// failedState is the state of a list that could not be loaded: what went
// wrong and a "Try again" button that runs retry.
export function failedState(title, err, retry) {
  return stateBlock({ title, text: err.message, iconName: "alert",
    action: h("button", { type: "button", class: "btn", onclick: () => retry() }, "Try again") });
}

// toastOnNextPage keeps text for the toast of the next page this tab
// opens (showPendingToast), for a change after which the page goes away.
export function toastOnNextPage(text) {
  try { sessionStorage.setItem("convene.toast", text); } catch { /* storage off: no toast */ }
}

// showPendingToast shows the toast an earlier page left, once.
export function showPendingToast() {
  let text = null;
  try {
    text = sessionStorage.getItem("convene.toast");
    sessionStorage.removeItem("convene.toast");
  } catch { /* storage off */ }
  if (text) toast(text);
}

let toastTimer;

// toast shows a short message at the bottom of the screen, announced politely.
export function toast(text, kind = "info") {
  let el = document.getElementById("toast");
  if (!el) {
    el = h("div", { id: "toast", class: "toast", role: "status", "aria-live": "polite" });
    document.body.append(el);
  }
  el.className = kind === "error" ? "toast toast-error" : "toast";
  el.textContent = text;
  el.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { el.hidden = true; }, 4000);
}
