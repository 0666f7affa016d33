// The live events of the session on screen: one EventSource on
// /api/v1/sessions/{id}/events (section 13 of the contract). The browser
// reconnects by itself and sends Last-Event-ID, so the server replays what
// was missed. The sections of the page subscribe with on(name, fn); an
// "access" event is the signed-in person's own access, which the page
// turns into writing controls that appear or go (onAccess).

export class SessionLive {
  constructor(sessionId) {
    this.url = `/api/v1/sessions/${encodeURIComponent(sessionId)}/events`;
    this.handlers = new Map();
    this.source = null;
  }

  // on calls fn(data, event) for every event of that name, data parsed.
  on(name, fn) {
    if (!this.handlers.has(name)) {
      this.handlers.set(name, []);
      if (this.source) this.listen(name);
    }
    this.handlers.get(name).push(fn);
    return this;
  }

  start() {
    this.source = new EventSource(this.url);
    for (const name of this.handlers.keys()) this.listen(name);
    return this;
  }

  // stop closes the stream for good: after access "none", or when the
  // session is gone.
  stop() {
    if (this.source) this.source.close();
  }

  listen(name) {
    this.source.addEventListener(name, (e) => {
      let data = null;
      try {
        data = JSON.parse(e.data);
      } catch {
        return; // not ours to show; the next event still arrives
      }
      for (const fn of this.handlers.get(name)) fn(data, e);
    });
  }
}

// SessionAccess is what the signed-in person may do in the session on
// screen, first as the server rendered it, then as "access" events change
// it. Sections re-render their controls in onChange.
export class SessionAccess {
  constructor({ canWrite, canModerate }) {
    this.canWrite = canWrite;
    this.canModerate = canModerate;
    this.lost = false;
    this.listeners = [];
  }

  onChange(fn) {
    this.listeners.push(fn);
  }

  // set applies the access an "access" event names.
  set(access) {
    this.lost = access === "none";
    this.canWrite = access === "owner" || access === "collaborate";
    this.canModerate = access === "owner" || (this.canModerate && !this.lost);
    for (const fn of this.listeners) fn(this);
  }
}
