// Splitting pasted or typed text into contact entries, as the server does
// (convene.SplitContacts): commas, semicolons and line breaks separate
// entries outside a quoted display name; words containing "@" stand alone,
// while a phone number keeps its inner spaces.

function splitSeparators(text) {
  const segments = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n" || c === "\r") {
      quoted = false;
      segments.push(text.slice(start, i));
      start = i + 1;
    } else if (c === "\\" && quoted) {
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && (c === "," || c === ";")) {
      segments.push(text.slice(start, i));
      start = i + 1;
    }
  }
  segments.push(text.slice(start));
  return segments;
}

function splitWords(segment) {
  const out = [];
  let run = [];
  for (const word of segment.split(/\s+/).filter(Boolean)) {
    if (word.includes("@")) {
      if (run.length) out.push(run.join(" "));
      run = [];
      out.push(word);
    } else {
      run.push(word);
    }
  }
  if (run.length) out.push(run.join(" "));
  return out;
}

function entriesOf(segment) {
  const s = segment.trim();
  if (!s) return [];
  return /[<>"]/.test(s) ? [s] : splitWords(s);
}

// splitContacts returns the entries of text, trimmed and non-empty.
export function splitContacts(text) {
  return splitSeparators(text).flatMap(entriesOf);
}

// takeComplete splits what someone is typing into the entries they have
// finished (followed by a separator, or an address followed by a space) and
// the text still being typed.
export function takeComplete(value) {
  const segments = splitSeparators(value);
  let rest = segments.pop();
  const complete = segments.flatMap(entriesOf);
  if (/\s$/.test(rest) && rest.includes("@") && !/[<>"]/.test(rest)) {
    complete.push(...entriesOf(rest));
    rest = "";
  }
  return { complete, rest: rest.replace(/^\s+/, "") };
}
