// ChipField turns what is typed or pasted into one chip per contact and
// resolves each through POST /api/v1/contacts/resolve as it appears:
// registered people show their avatar and name, unregistered ones a "(!)"
// marker, invalid entries their reason. Duplicates of an earlier chip
// collapse into it (and are remembered, for the summary to show); entries
// past the cap are left out, and the field says how many until cleared.
// Backspace in the empty field removes the last chip.

import { api } from "./api.js";
import { h, icon, avatar, debounce } from "./dom.js";
import { splitContacts, takeComplete } from "./contacts.js";

export const MAX_ENTRIES = 1000;
const numbers = new Intl.NumberFormat();

let nextChipId = 1;

export class ChipField {
  // root holds .chip-field, ul.chips, input.chip-input, .chip-hint,
  // .chip-problems and .chip-live; onChange runs after every change.
  constructor(root, { onChange = () => {} } = {}) {
    this.root = root;
    this.field = root.querySelector(".chip-field");
    this.list = root.querySelector(".chips");
    this.input = root.querySelector(".chip-input");
    this.hint = root.querySelector(".chip-hint");
    this.problems = root.querySelector(".chip-problems");
    this.live = root.querySelector(".chip-live");
    this.onChange = onChange;
    this.chips = [];
    this.seq = 0;
    this.error = "";
    this.merged = []; // { input, into }: entries that were the same person as a chip
    this.leftOut = []; // entries past MAX_ENTRIES, dropped
    this.scheduleResolve = debounce(() => this.resolve(), 120);
    this.bind();
  }

  bind() {
    this.input.addEventListener("input", () => this.commitTyped());
    this.input.addEventListener("paste", (e) => this.paste(e));
    this.input.addEventListener("blur", () => this.commitAll());
    this.input.addEventListener("keydown", (e) => this.keydown(e));
    this.field.addEventListener("click", (e) => {
      if (e.target === this.field || e.target === this.list) this.input.focus();
    });
  }

  keydown(e) {
    if (e.key === "Enter") {
      if (this.input.value.trim() !== "") {
        e.preventDefault();
        this.commitAll();
      }
    } else if (e.key === "Backspace" && this.input.value === "" && this.chips.length) {
      e.preventDefault();
      this.remove(this.chips[this.chips.length - 1]);
    }
  }

  paste(e) {
    const text = e.clipboardData && e.clipboardData.getData("text/plain");
    if (!text) return;
    e.preventDefault();
    const { value, selectionStart, selectionEnd } = this.input;
    const before = value.slice(0, selectionStart ?? value.length);
    const after = value.slice(selectionEnd ?? value.length);
    this.input.value = "";
    this.add(splitContacts(before + text + "\n" + after));
  }

  commitTyped() {
    const { complete, rest } = takeComplete(this.input.value);
    if (complete.length === 0) return;
    this.input.value = rest;
    this.add(complete);
  }

  commitAll() {
    const entries = splitContacts(this.input.value);
    if (entries.length === 0) return;
    this.input.value = "";
    this.add(entries);
  }

  // addText adds every entry of text, as if it had been pasted.
  addText(text) {
    this.add(splitContacts(text));
  }

  add(entries) {
    const known = new Set(this.chips.map((c) => c.input.toLowerCase()));
    let added = 0;
    for (const [i, input] of entries.entries()) {
      const key = input.toLowerCase();
      if (known.has(key)) {
        this.merged.push({ input, into: this.chips.find((c) => c.input.toLowerCase() === key)?.input || input });
        this.say(`${input} is already in the list.`);
        continue;
      }
      if (this.chips.length >= MAX_ENTRIES) {
        this.leftOut.push(...entries.slice(i));
        break;
      }
      known.add(key);
      const chip = { id: nextChipId++, input, status: "pending" };
      this.chips.push(chip);
      this.list.append(this.renderChip(chip));
      added++;
    }
    this.changed();
    if (added) this.scheduleResolve();
  }

  // remove takes a chip out; focus moves to the next chip or the field.
  remove(chip, { focusNext = false } = {}) {
    const i = this.chips.indexOf(chip);
    if (i < 0) return;
    this.chips.splice(i, 1);
    chip.el.remove();
    this.say(`Removed ${chipLabel(chip)}.`);
    const next = this.chips[i];
    if (focusNext && next) next.el.querySelector(".chip-remove").focus();
    else this.input.focus();
    this.changed();
  }

  // keep keeps only the chips for which pred holds (after an invitation,
  // the entries that were skipped stay so they can be dealt with).
  keep(pred) {
    for (const chip of this.chips.filter((c) => !pred(c))) chip.el.remove();
    this.chips = this.chips.filter(pred);
    this.changed();
  }

  clear() {
    this.keep(() => false);
    this.input.value = "";
    this.error = "";
    this.takeMerged();
    this.changed();
  }

  // takeMerged returns the duplicates merged so far and the entries left
  // out past the cap, and forgets them (a summary showed them).
  takeMerged() {
    const taken = { merged: this.merged, leftOut: this.leftOut };
    this.merged = [];
    this.leftOut = [];
    return taken;
  }

  invalid() {
    return this.chips.filter((c) => c.status === "invalid");
  }

  get pending() {
    return this.chips.some((c) => c.status === "pending");
  }

  // sendable is what an invite call may carry: every chip but the invalid
  // ones, which would make the server refuse the whole call.
  sendable() {
    return this.chips.filter((c) => c.status !== "invalid");
  }

  registered() {
    return this.chips.filter((c) => c.status === "registered");
  }

  async resolve() {
    const batch = this.chips.slice();
    if (!batch.some((c) => c.status === "pending" || c.status === "unchecked")) return;
    const seq = ++this.seq;
    try {
      const res = await api("POST", "/api/v1/contacts/resolve", { contacts: batch.map((c) => c.input) });
      if (seq !== this.seq) return;
      this.error = "";
      this.apply(batch, res.entries || []);
    } catch (err) {
      if (seq !== this.seq) return;
      this.error = `These entries could not be checked: ${err.message}`;
      for (const chip of batch) if (chip.status === "pending") this.update(chip, { status: "unchecked" });
      this.changed();
    }
  }

  apply(batch, entries) {
    const byIndex = entries.length === batch.length;
    batch.forEach((chip, i) => {
      const entry = byIndex ? entries[i] : entries.find((e) => e.input === chip.input);
      if (!entry || !this.chips.includes(chip)) return;
      if (entry.status === "duplicate") {
        this.chips.splice(this.chips.indexOf(chip), 1);
        chip.el.remove();
        this.merged.push({ input: chip.input, into: entry.reason ? entry.reason.replace(/^same person as /, "") : "" });
        this.say(`${chip.input} is the same person as an earlier entry.`);
        return;
      }
      this.update(chip, { status: entry.status, user: entry.user, reason: entry.reason, normalized: entry.normalized });
    });
    this.say(this.summaryText());
    this.changed();
  }

  update(chip, fields) {
    Object.assign(chip, fields);
    chip.el.className = `chip chip--${chip.status}`;
    chip.el.querySelector(".chip-text").replaceWith(chipText(chip));
    chip.el.querySelector(".chip-remove").setAttribute("aria-label", `Remove ${chipLabel(chip)}`);
    chip.el.title = chip.reason || chip.normalized || chip.input;
  }

  renderChip(chip) {
    const remove = h("button", {
      type: "button", class: "chip-remove", "aria-label": `Remove ${chipLabel(chip)}`,
      onclick: () => this.remove(chip),
      onkeydown: (e) => {
        if (e.key === "Backspace" || e.key === "Delete") {
          e.preventDefault();
          this.remove(chip, { focusNext: true });
        }
      },
    }, icon("x"));
    chip.el = h("li", { class: `chip chip--${chip.status}`, "data-status": chip.status }, chipText(chip), remove);
    return chip.el;
  }

  summaryText() {
    const count = (s) => this.chips.filter((c) => c.status === s).length;
    const parts = [];
    if (count("registered")) parts.push(`${count("registered")} registered`);
    if (count("unregistered")) parts.push(`${count("unregistered")} not registered`);
    if (count("invalid")) parts.push(`${count("invalid")} invalid`);
    if (count("disabled")) parts.push(`${count("disabled")} disabled`);
    return parts.join(", ");
  }

  changed() {
    for (const chip of this.chips) chip.el.dataset.status = chip.status;
    this.renderHint();
    this.renderProblems();
    this.onChange(this);
  }

  renderHint() {
    if (!this.hint) return;
    this.hint.hidden = !this.chips.some((c) => c.status === "unregistered" || c.status === "disabled");
  }

  renderProblems() {
    if (!this.problems) return;
    const items = this.chips.filter((c) => c.status === "invalid" || c.status === "disabled")
      .map((c) => h("li", {}, problemText(c)));
    if (this.error) items.unshift(h("li", {}, this.error));
    if (this.leftOut.length) items.unshift(h("li", {}, `At most ${numbers.format(MAX_ENTRIES)} people at a time: ${numbers.format(this.leftOut.length)} more ${this.leftOut.length === 1 ? "entry was" : "entries were"} left out.`));
    this.problems.replaceChildren(...items);
    this.problems.hidden = items.length === 0;
  }

  say(text) {
    if (this.live && text) this.live.textContent = text;
  }
}

function problemText(chip) {
  if (chip.status === "disabled") return `${chip.input}: this person's account is disabled, so they cannot be added.`;
  const reason = chip.reason || "not an email address or a phone number";
  return reason.includes(chip.input) ? reason : `${chip.input}: ${reason}`;
}

function chipLabel(chip) {
  return chip.user && chip.status === "registered" ? chip.user.name : chip.input;
}

function chipText(chip) {
  const wrap = (...kids) => h("span", { class: "chip-text" }, ...kids);
  const mark = (text) => h("span", { class: "chip-mark", "aria-hidden": text === "(!)" ? null : "true" }, text);
  switch (chip.status) {
    case "registered":
      return h("span", { class: "chip-text" }, avatar(chip.user),
        h("span", { class: "chip-name" }, chip.user.name),
        h("span", { class: "chip-contact" }, chip.normalized || chip.input));
    case "unregistered":
      return wrap(mark("(!)"), h("span", {}, chip.input), h("span", { class: "chip-status" }, "not registered"));
    case "disabled":
      return wrap(mark("(!)"), h("span", {}, chip.user ? chip.user.name : chip.input), h("span", { class: "chip-status" }, "disabled"));
    case "invalid":
      return wrap(mark("!"), h("span", {}, chip.input), h("span", { class: "chip-status" }, "invalid"));
    case "unchecked":
      return wrap(mark("?"), h("span", {}, chip.input), h("span", { class: "chip-status" }, "not checked"));
    default:
      return wrap(h("span", { class: "spinner spinner-inline", "aria-hidden": "true" }), h("span", {}, chip.input),
        h("span", { class: "sr-only" }, "checking"));
  }
}
