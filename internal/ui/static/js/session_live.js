// The live events of the session on screen: one EventSource on
// /api/v1/sessions/{id}/events (section 13 of the contract). The browser
// reconnects by itself and sends Last-Event-ID, so the server replays what
// was missed. The sections of the page subscribe with on(name, fn); an
// "access" event is the signed-in person's own access, which SessionAccess
// turns into writing controls that appear or go (onChange).

export class SessionLive {
  constructor(sessionId) {
    this.url = `/api/v1/sessions/${encodeURIComponent(sessionId)}/events`;
    this.handlers = new Map();
    this.closeHandlers = [];
    this.source = null;
    this.stopped = false;
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

  // onClose calls fn when the browser gave up on the stream by itself:
  // the server refused to reopen it (the session is gone, the person was
  // signed out), which no reconnection will mend.
  onClose(fn) {
    this.closeHandlers.push(fn);
    return this;
  }

  start() {
    this.source = new EventSource(this.url);
    for (const name of this.handlers.keys()) this.listen(name);
    this.source.addEventListener("error", () => {
      if (this.stopped || this.source.readyState !== EventSource.CLOSED) return; // reconnecting
      for (const fn of this.closeHandlers) fn();
    });
    return this;
  }

  // stop closes the stream for good: after access "none", or when the
  // session is gone.
  stop() {
    this.stopped = true;
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
// it. Sections re-render their controls in onChange(fn), which calls
// fn(access) after every change.
//
// A Tenant Admin (role "admin") writes and moderates in every session of
// the workspace whatever their membership says, so their membership's
// access changes nothing they may do; the stream of an admin who is
// removed from a session ends, and the browser reopens it as an admin's.
export class SessionAccess {
  constructor({ canWrite, canModerate, role = "" }) {
    this.canWrite = canWrite;
    this.canModerate = canModerate;
    this.admin = role === "admin";
    this.access = null; // the membership's access once an event named it
    this.lost = false;
    this.refused = false; // a write answered 403 before any event said so
    this.listeners = [];
  }

  onChange(fn) {
    this.listeners.push(fn);
  }

  // set applies the access an "access" event names.
  set(access) {
    this.access = access;
    this.refused = false;
    if (this.admin) {
      this.notify();
      return;
    }
    if (access === "none") {
      this.lose();
      return;
    }
    this.canWrite = access === "owner" || access === "collaborate";
    this.canModerate = access === "owner";
    this.notify();
  }

  // lose ends every right on this page: the person was removed, the
  // session deleted, or the account disabled. Nothing gives them back.
  lose() {
    if (this.lost) return;
    this.lost = true;
    this.canWrite = false;
    this.canModerate = false;
    this.notify();
  }

  // writeRefused is what a section calls when a write answered 403: the
  // server knows of a switch to View only that no event has told yet, so
  // the page shows it now rather than offer controls that cannot work.
  writeRefused() {
    if (this.lost || (!this.canWrite && this.refused)) return;
    this.refused = true;
    this.canWrite = false;
    this.canModerate = false;
    this.notify();
  }

  notify() {
    for (const fn of this.listeners) fn(this);
  }
}
