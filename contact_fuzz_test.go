package convene_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"convene"
)

// FuzzParseContacts checks that no pasted text makes splitting, parsing or
// classifying panic, that every entry is trimmed and non-empty, that a
// contact is either valid or carries a reason, and that normalising is
// idempotent: what we store, parsed again, is what we store.
func FuzzParseContacts(f *testing.F) {
	for _, seed := range []string{
		"jane@acme.com,josh@acme.com,13245768342@collaborate.center",
		"JaneDoe@acme.test",
		"+1 (324) 576-8342",
		"+1 324 576 8342",
		"(324) 576-8342",
		"030 12345678",
		"bob@",
		`"Doe, Jane" <jane@acme.test>`,
		"Jane Doe <jane@acme.test>",
		"jane@acme.test josh@acme.test\tbob@acme.test",
		"jane@acme.test\r\nBcc: evil@x.test",
		`"Jane \"JD\" Doe" <jane@acme.test>; "unclosed, <a@b.test>`,
		"+13245768342@Collaborate.Center; Jane <13245768342@collaborate.center>",
		"jane\u202e@acme.test, a\xff@b.test",
		"ȺȺȺ@Acme, İİİİ@acme.test",
	} {
		f.Add(seed)
	}
	parsers := []convene.ContactParser{
		newParser(f, "US", "collaborate.center"),
		newParser(f, "DE", ""),
	}
	f.Fuzz(func(t *testing.T, text string) {
		entries := convene.SplitContacts(text)
		for _, e := range entries {
			if e == "" || e != strings.TrimSpace(e) {
				t.Errorf("SplitContacts(%q) gave entry %q, not trimmed or empty", text, e)
			}
		}
		for _, p := range parsers {
			contacts := p.ParseAll(append(entries, text))
			for _, c := range contacts {
				checkContact(t, p, c)
			}
			convene.Classify(contacts, nil)
		}
	})
}

// checkContact checks c's invariants and that normalising it again changes
// nothing. Parsing the E.164 form of an alias-domain phone gives the same
// E.164, so one comparison covers every kind.
func checkContact(t *testing.T, p convene.ContactParser, c convene.Contact) {
	t.Helper()
	if !utf8.ValidString(c.Input) {
		t.Errorf("Parse gave Input %q, not valid UTF-8", c.Input)
	}
	if c.Kind == convene.ContactUnknown {
		if c.Normalized != "" || c.Reason == "" {
			t.Errorf("invalid %q: Normalized %q, Reason %q", c.Input, c.Normalized, c.Reason)
		}
		return
	}
	if c.Normalized == "" || c.Reason != "" {
		t.Errorf("valid %q: Normalized %q, Reason %q", c.Input, c.Normalized, c.Reason)
	}
	again := p.Parse(c.Normalized)
	if again.Kind != c.Kind || again.Normalized != c.Normalized {
		t.Errorf("Parse(%q) = %s %q, Parse of that = %s %q (%s)",
			c.Input, c.Kind, c.Normalized, again.Kind, again.Normalized, again.Reason)
	}
}
