// The one way the dashboard talks to the server: same-origin fetch to
// /api/v1 with the session cookie, JSON in and out, and problem+json errors
// turned into sentences a person can act on.

// ApiError carries the problem document of a failed call.
export class ApiError extends Error {
  constructor(status, problem) {
    super(plainMessage(status, problem));
    this.status = status;
    this.problem = problem || {};
  }
}

const FALLBACK = {
  0: "The server could not be reached. Check your connection and try again.",
  401: "Your sign-in has expired. Please sign in again.",
  403: "You are not allowed to do this.",
  404: "This could not be found. It may have been deleted, or you may no longer have access.",
  409: "This changed in the meantime. Reload the page and try again.",
  413: "That is too much at once. Try fewer entries.",
  422: "Some of what you entered is not valid.",
  429: "Too many attempts. Wait a moment and try again.",
};

function plainMessage(status, problem) {
  const detail = problem && (problem.detail || problem.title);
  if (detail && status !== 500) return sentence(detail);
  if (status >= 500) return "Something went wrong on our side. Please try again in a moment.";
  return FALLBACK[status] || "The request failed. Please try again.";
}

function sentence(text) {
  const s = String(text).trim();
  if (!s) return s;
  const first = s.charAt(0).toUpperCase() + s.slice(1);
  return /[.!?]$/.test(first) ? first : first + ".";
}

// api calls method path with an optional JSON body and returns the decoded
// answer (null for 204). It throws ApiError; a 401 outside sign-in sends
// the browser to the sign-in page.
export async function api(method, path, body, { headers = {}, signal, raw = false } = {}) {
  const init = { method, headers: { Accept: "application/json", ...headers }, credentials: "same-origin", signal };
  if (body !== undefined) {
    if (raw) {
      init.body = body;
    } else {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
  }
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(0, null);
  }
  if (res.status === 401 && !path.startsWith("/api/v1/auth/")) {
    redirectToLogin();
  }
  if (!res.ok) throw new ApiError(res.status, await readProblem(res));
  if (res.status === 204) return null;
  const type = res.headers.get("Content-Type") || "";
  return type.includes("json") ? res.json() : null;
}

// readProblem decodes a problem document, or returns null when the answer
// holds none (a proxy's error page, say): the status then speaks alone.
async function readProblem(res) {
  const type = res.headers.get("Content-Type") || "";
  if (!type.includes("json")) return null;
  try {
    return await res.json();
  } catch {
    return null;
  }
}

// redirectToLogin sends the browser to sign in, coming back here afterwards.
export function redirectToLogin() {
  const next = location.pathname + location.search;
  location.assign("/login?next=" + encodeURIComponent(next));
}

// isAbort tells a cancelled request (a newer search replaced it) from a failure.
export function isAbort(err) {
  return err && err.name === "AbortError";
}

// newIdempotencyKey returns a fresh key for one user action.
export function newIdempotencyKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}
