package convene

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// SplitContacts splits pasted free text into entries, trimmed and non-empty.
// Commas, semicolons and line breaks separate entries, except commas and
// semicolons inside a quoted display name ("Doe, Jane" <jane@acme.test>).
// Within an entry, words containing '@' stand alone, so email addresses
// separated only by spaces become several entries, while a phone number
// keeps its inner spaces. It runs in time linear in len(text) and never
// panics; callers bound the size of text and the number of entries.
func SplitContacts(text string) []string {
	var out []string
	for _, seg := range splitSeparators(text) {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		// A display name or an address in angle brackets is one mailbox as a
		// mail program wrote it; splitting it at spaces would tear the name off.
		if strings.ContainsAny(seg, `<>"`) {
			out = append(out, seg)
			continue
		}
		out = append(out, splitWords(seg)...)
	}
	return out
}

// splitSeparators cuts text at commas, semicolons and line breaks outside
// double quotes. A quote never spans a line break, and a quote left open on
// its line stops quoting for the rest of that line: one stray quote then
// costs one line, not the rest of the paste, and each byte is looked at a
// bounded number of times.
func splitSeparators(text string) []string {
	var segs []string
	start, noQuotesUntil := 0, -1
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\n' || c == '\r' || c == ',' || c == ';':
			segs = append(segs, text[start:i])
			start = i + 1
		case c == '"' && i >= noQuotesUntil:
			end, closed := closingQuote(text, i)
			if closed {
				i = end // separators inside the quotes are part of the name
			} else {
				noQuotesUntil = end
			}
		}
	}
	return append(segs, text[start:])
}

// closingQuote returns the index of the quote closing the one at open, or,
// when the line ends first, the index of that line end and false.
func closingQuote(text string, open int) (int, bool) {
	for j := open + 1; j < len(text); j++ {
		switch text[j] {
		case '\\':
			if j+1 < len(text) && text[j+1] != '\n' && text[j+1] != '\r' {
				j++ // an escaped character, possibly a quote
			}
		case '"':
			return j, true
		case '\n', '\r':
			return j, false
		}
	}
	return len(text), false
}

// splitWords splits seg at white space around each word containing '@', and
// keeps runs of other words together as they were typed ("+1 324 576 8342").
func splitWords(seg string) []string {
	var out []string
	runStart, runEnd := -1, -1
	flush := func() {
		if runStart >= 0 {
			out = append(out, seg[runStart:runEnd])
			runStart = -1
		}
	}
	for i := 0; i < len(seg); {
		if r, n := utf8.DecodeRuneInString(seg[i:]); unicode.IsSpace(r) {
			i += n
			continue
		}
		j := i
		for j < len(seg) {
			r, n := utf8.DecodeRuneInString(seg[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += n
		}
		if strings.Contains(seg[i:j], "@") {
			flush()
			out = append(out, seg[i:j])
		} else {
			if runStart < 0 {
				runStart = i
			}
			runEnd = j
		}
		i = j
	}
	flush()
	return out
}
