package convene_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"convene"
	"convene/internal/phone"
)

// newParser returns a parser with real phone numbering, as the server has.
func newParser(t testing.TB, region, alias string) convene.ContactParser {
	t.Helper()
	return convene.ContactParser{DefaultRegion: region, AliasDomain: alias, Phones: phone.Numbering{}}
}

func TestSplitContacts(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"contract example", "jane@acme.com,josh@acme.com,13245768342@collaborate.center",
			[]string{"jane@acme.com", "josh@acme.com", "13245768342@collaborate.center"}},
		{"semicolons and line breaks", "a@acme.test; b@acme.test\nc@acme.test\r\nd@acme.test\re@acme.test",
			[]string{"a@acme.test", "b@acme.test", "c@acme.test", "d@acme.test", "e@acme.test"}},
		{"emails separated by spaces", "jane@acme.test  josh@acme.test\tbob@acme.test",
			[]string{"jane@acme.test", "josh@acme.test", "bob@acme.test"}},
		{"phone keeps its spaces", "+1 324 576 8342", []string{"+1 324 576 8342"}},
		{"phone then email", "+1 (324) 576-8342 jane@acme.test", []string{"+1 (324) 576-8342", "jane@acme.test"}},
		{"name without brackets", "Jane Doe jane@acme.test", []string{"Jane Doe", "jane@acme.test"}},
		{"display name", "Jane Doe <jane@acme.test>", []string{"Jane Doe <jane@acme.test>"}},
		{"quoted name with comma", `"Doe, Jane" <jane@acme.test>, bob@acme.test`,
			[]string{`"Doe, Jane" <jane@acme.test>`, "bob@acme.test"}},
		{"quoted name with semicolon", `"Doe; Jane" <jane@acme.test>;"Roe, R" <r@acme.test>`,
			[]string{`"Doe; Jane" <jane@acme.test>`, `"Roe, R" <r@acme.test>`}},
		{"escaped quote in name", `"Jane \"JD, boss\" Doe" <jane@acme.test>, b@acme.test`,
			[]string{`"Jane \"JD, boss\" Doe" <jane@acme.test>`, "b@acme.test"}},
		{"stray quote costs its line only", "\"Doe, Jane <jane@acme.test>\nbob@acme.test, c@acme.test",
			[]string{`"Doe`, "Jane <jane@acme.test>", "bob@acme.test", "c@acme.test"}},
		{"quote does not span lines", "\"a,\nb\", c@acme.test",
			[]string{`"a`, `b"`, "c@acme.test"}},
		{"trims and drops empties", " ,, ;\n\n  jane@acme.test  ,\t, ", []string{"jane@acme.test"}},
		{"only separators", ",;\n\r ", nil},
		{"empty", "", nil},
		{"invalid UTF-8 survives", "a\xff@acme.test, \xfe", []string{"a\xff@acme.test", "\xfe"}},
		{"non-breaking space separates emails", "a@acme.test\u00a0b@acme.test", []string{"a@acme.test", "b@acme.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := convene.SplitContacts(tt.text)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("SplitContacts(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestSplitContactsLargeInput guards against quadratic work on a pasted
// megabyte shaped to defeat the quote handling.
func TestSplitContactsLargeInput(t *testing.T) {
	const size = 1 << 20
	inputs := map[string]string{
		"open quotes":      strings.Repeat(`"a,`, size/3),
		"escaped quotes":   `"` + strings.Repeat(`\"`, size/2),
		"backslash quotes": strings.Repeat(`"\`, size/2),
		"one long line":    strings.Repeat("a ", size/2),
		"many entries":     strings.Repeat("a@b.test ", size/9),
		"separators":       strings.Repeat(",", size),
	}
	for name, text := range inputs {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			convene.SplitContacts(text)
			if d := time.Since(start); d > 3*time.Second {
				t.Errorf("SplitContacts took %v on %d bytes", d, len(text))
			}
		})
	}
}

func TestParse(t *testing.T) {
	us := newParser(t, "US", "collaborate.center")
	de := newParser(t, "DE", "collaborate.center")
	tests := []struct {
		name   string
		p      convene.ContactParser
		entry  string
		kind   convene.ContactKind
		norm   string
		reason string // a substring of the reason; "" for valid entries
	}{
		{"email", us, "jane@acme.com", convene.ContactEmail, "jane@acme.com", ""},
		{"email lowercased", us, "JaneDoe@acme.test", convene.ContactEmail, "janedoe@acme.test", ""},
		{"email trimmed", us, "  JaneDoe@ACME.test\t", convene.ContactEmail, "janedoe@acme.test", ""},
		{"email with plus tag", us, "jane+work@acme.co.uk", convene.ContactEmail, "jane+work@acme.co.uk", ""},
		{"non-ASCII local part", us, "JÖHN@acme.test", convene.ContactEmail, "jöhn@acme.test", ""},
		{"display name", us, "Jane Doe <Jane@Acme.Test>", convene.ContactEmail, "jane@acme.test", ""},
		{"quoted display name", us, `"Doe, Jane" <jane@acme.test>`, convene.ContactEmail, "jane@acme.test", ""},
		{"brackets only", us, "<jane@acme.test>", convene.ContactEmail, "jane@acme.test", ""},
		{"alias", us, "13245768342@collaborate.center", convene.ContactPhone, "+13245768342", ""},
		{"alias with plus, any case", us, "+13245768342@Collaborate.CENTER", convene.ContactPhone, "+13245768342", ""},
		{"alias carries the country code", de, "13245768342@collaborate.center", convene.ContactPhone, "+13245768342", ""},
		{"alias in brackets", us, "Jane <13245768342@collaborate.center>", convene.ContactPhone, "+13245768342", ""},
		{"alias of a bad number", us, "1000@collaborate.center", convene.ContactUnknown, "", "phone number"},
		{"digits at another domain", us, "13245768342@acme.test", convene.ContactEmail, "13245768342@acme.test", ""},
		{"alias domain unset", newParser(t, "US", ""), "13245768342@collaborate.center", convene.ContactEmail, "13245768342@collaborate.center", ""},
		{"letters at the alias domain", us, "jane@collaborate.center", convene.ContactEmail, "jane@collaborate.center", ""},
		{"international phone", us, "+1 (324) 576-8342", convene.ContactPhone, "+13245768342", ""},
		{"international phone with spaces", us, "+1 324 576 8342", convene.ContactPhone, "+13245768342", ""},
		{"national US", us, "(324) 576-8342", convene.ContactPhone, "+13245768342", ""},
		{"national US with dots", us, "324.576.8342", convene.ContactPhone, "+13245768342", ""},
		{"national German", de, "030 12345678", convene.ContactPhone, "+493012345678", ""},
		{"German from US tenant", us, "+49 30 12345678", convene.ContactPhone, "+493012345678", ""},
		{"German mobile", de, "0151 12345678", convene.ContactPhone, "+4915112345678", ""},
		{"invalid number", us, "+1 000 000 0000", convene.ContactUnknown, "", "+1 000 000 0000 is not a valid phone number"},
		{"unknown country code", us, "+999 1234 5678", convene.ContactUnknown, "", "country code"},
		{"too few digits", us, "1234", convene.ContactUnknown, "", "not an email address or a phone number"},
		{"too many digits", us, "+1 234 567 890 123 456 789 012", convene.ContactUnknown, "", "not an email address or a phone number"},
		{"missing domain", us, "bob@", convene.ContactUnknown, "", "bob@ is missing the part after @"},
		{"missing local part", us, "@acme.test", convene.ContactUnknown, "", "missing the part before @"},
		{"lone at", us, "@", convene.ContactUnknown, "", "missing the parts before and after @"},
		{"two ats", us, "a@b@acme.test", convene.ContactUnknown, "", "more than one @"},
		{"domain without dot", us, "jane@acme", convene.ContactUnknown, "", "not a domain name"},
		{"lowercase longer than typed", us, "ȺȺȺ@Acme", convene.ContactUnknown, "", "ȺȺȺ@Acme: Acme is not a domain name"},
		{"lowercase shorter than typed", us, "İİİİ@Acme", convene.ContactUnknown, "", "İİİİ@Acme: Acme is not a domain name"},
		{"IP address", us, "jane@10.0.0.1", convene.ContactUnknown, "", "not a domain name"},
		{"domain literal", us, "jane@[10.0.0.1]", convene.ContactUnknown, "", "not a domain name"},
		{"hyphen label", us, "jane@-acme.test", convene.ContactUnknown, "", "not a domain name"},
		{"empty label", us, "jane@acme..test", convene.ContactUnknown, "", "not a domain name"},
		{"space in address", us, "Jane Doe jane@acme.test", convene.ContactUnknown, "", "space"},
		{"quoted local part", us, `"jane"@acme.test`, convene.ContactUnknown, "", "not a valid email address"},
		{"quoted local part with space", us, `"jane doe"@acme.test`, convene.ContactUnknown, "", "space"},
		{"comment", us, "(boss)jane@acme.test", convene.ContactUnknown, "", "not a valid email address"},
		{"dot at start", us, ".jane@acme.test", convene.ContactUnknown, "", "not a valid email address"},
		{"two mailboxes", us, "jane@acme.test, bob@acme.test", convene.ContactUnknown, "", "more than one @"},
		{"unclosed bracket", us, "Jane <jane@acme.test", convene.ContactUnknown, "", "out of place"},
		{"stray bracket", us, "jane@acme.test>", convene.ContactUnknown, "", "out of place"},
		{"two bracketed parts", us, "<a@acme.test> <b@acme.test>", convene.ContactUnknown, "", "out of place"},
		{"local part of 64", us, strings.Repeat("a", 64) + "@acme.test", convene.ContactEmail, strings.Repeat("a", 64) + "@acme.test", ""},
		{"local part of 65", us, strings.Repeat("a", 65) + "@acme.test", convene.ContactUnknown, "", "longer than 64"},
		{"address of 254", us, strings.Repeat("a", 64) + "@" + longDomain(189), convene.ContactEmail, strings.Repeat("a", 64) + "@" + longDomain(189), ""},
		{"address of 255", us, strings.Repeat("a", 64) + "@" + longDomain(190), convene.ContactUnknown, "", "longer than 254"},
		{"too long", us, strings.Repeat("a", 321), convene.ContactUnknown, "", "too long"},
		{"empty", us, "   ", convene.ContactUnknown, "", "empty"},
		{"word", us, "hello", convene.ContactUnknown, "", "hello is not an email address or a phone number"},
		{"too long and not UTF-8", us, strings.Repeat("0", 320) + "\xf1", convene.ContactUnknown, "", "too long"},
		{"invalid UTF-8", us, "jane\xff@acme.test", convene.ContactUnknown, "", "UTF-8"},
		{"CRLF header injection", us, "jane@acme.test\r\nBcc: evil@x.test", convene.ContactUnknown, "", "line break"},
		{"LF injection in name", us, "Jane\n<jane@acme.test>", convene.ContactUnknown, "", "line break"},
		{"CR in address", us, "Jane <jane@acme.test\rBcc: evil@x.test>", convene.ContactUnknown, "", "line break"},
		{"NUL", us, "jane\x00@acme.test", convene.ContactUnknown, "", "control character"},
		{"bidi override", us, "jane\u202e@acme.test", convene.ContactUnknown, "", "control character"},
		{"line separator", us, "jane\u2028@acme.test", convene.ContactUnknown, "", "control character"},
		{"tab in address", us, "jane\t@acme.test", convene.ContactUnknown, "", "space"},
		{"non-breaking space in address", us, "jane\u00a0doe@acme.test", convene.ContactUnknown, "", "space"},
		{"phone without numbering", convene.ContactParser{DefaultRegion: "US"}, "+1 324 576 8342", convene.ContactUnknown, "", "cannot be checked"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.p.Parse(tt.entry)
			if got.Kind != tt.kind || got.Normalized != tt.norm {
				t.Errorf("Parse(%q) = %s %q (%s), want %s %q", tt.entry, got.Kind, got.Normalized, got.Reason, tt.kind, tt.norm)
			}
			checkReason(t, got, tt.reason)
			if want := strings.ToValidUTF8(strings.TrimSpace(tt.entry), "\uFFFD"); got.Input != want {
				t.Errorf("Parse(%q).Input = %q, want %q", tt.entry, got.Input, want)
			}
		})
	}
}

// checkReason checks that valid contacts have no reason and invalid ones
// have one containing want.
func checkReason(t *testing.T, got convene.Contact, want string) {
	t.Helper()
	switch {
	case want == "" && got.Reason != "":
		t.Errorf("Parse(%q).Reason = %q, want none", got.Input, got.Reason)
	case want != "" && !strings.Contains(got.Reason, want):
		t.Errorf("Parse(%q).Reason = %q, want it to contain %q", got.Input, got.Reason, want)
	}
}

// longDomain returns a valid domain name of n bytes, n >= 5.
func longDomain(n int) string {
	var labels []string
	for n > 0 {
		l := min(n, 63)
		if rest := n - l; rest > 0 && rest < 5 {
			l -= 5 - rest // keep room for a final label of at least "a.bc"
		}
		labels = append(labels, strings.Repeat("d", l))
		n -= l + 1
	}
	return strings.Join(labels, ".")
}

func TestLongDomain(t *testing.T) {
	for _, n := range []int{189, 190} {
		if got := len(longDomain(n)); got != n {
			t.Errorf("len(longDomain(%d)) = %d", n, got)
		}
	}
}

func TestParseAll(t *testing.T) {
	p := newParser(t, "US", "collaborate.center")
	entries := convene.SplitContacts("jane@acme.com,josh@acme.com,13245768342@collaborate.center, bob@")
	got := p.ParseAll(entries)
	want := []convene.Contact{
		{Input: "jane@acme.com", Kind: convene.ContactEmail, Normalized: "jane@acme.com"},
		{Input: "josh@acme.com", Kind: convene.ContactEmail, Normalized: "josh@acme.com"},
		{Input: "13245768342@collaborate.center", Kind: convene.ContactPhone, Normalized: "+13245768342"},
		{Input: "bob@", Kind: convene.ContactUnknown, Reason: "bob@ is missing the part after @"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseAll = %+v\nwant %+v", got, want)
	}
}

func TestClassify(t *testing.T) {
	jane := &convene.User{ID: 1, TenantID: 7, Name: "Jane Doe", Email: "janedoe@acme.test", Phone: "+12015550123"}
	josh := &convene.User{ID: 2, TenantID: 7, Name: "Josh", Email: "josh@acme.test"}
	gone := &convene.User{ID: 3, TenantID: 7, Name: "Gone", Email: "gone@acme.test", Phone: "+4915112345678", Disabled: true}
	users := []*convene.User{jane, nil, josh, gone}
	type res struct {
		status convene.ContactStatus
		user   *convene.User
		reason string
	}
	tests := []struct {
		name  string
		input string
		want  []res
	}{
		{"contract example", "JaneDoe@acme.test, +1 (324) 576-8342, bob@, janedoe@acme.test", []res{
			{convene.StatusRegistered, jane, ""},
			{convene.StatusUnregistered, nil, ""},
			{convene.StatusInvalid, nil, "bob@ is missing the part after @"},
			{convene.StatusDuplicate, jane, "same person as JaneDoe@acme.test"},
		}},
		{"email then phone of the same user", "janedoe@acme.test\n(201) 555-0123\n12015550123@collaborate.center", []res{
			{convene.StatusRegistered, jane, ""},
			{convene.StatusDuplicate, jane, "same person as janedoe@acme.test"},
			{convene.StatusDuplicate, jane, "same person as janedoe@acme.test"},
		}},
		{"phone then email of the same user", "+1 201 555 0123; Jane <JANEDOE@acme.test>", []res{
			{convene.StatusRegistered, jane, ""},
			{convene.StatusDuplicate, jane, "same person as +1 201 555 0123"},
		}},
		{"disabled user", "gone@acme.test, +49 151 12345678, josh@acme.test", []res{
			{convene.StatusDisabled, gone, "this user is disabled"},
			{convene.StatusDuplicate, gone, "same person as gone@acme.test"},
			{convene.StatusRegistered, josh, ""},
		}},
		{"unregistered repeated in another spelling", "+1 324 576 8342, (324) 576-8342, new@acme.test NEW@acme.test", []res{
			{convene.StatusUnregistered, nil, ""},
			{convene.StatusDuplicate, nil, "same person as +1 324 576 8342"},
			{convene.StatusUnregistered, nil, ""},
			{convene.StatusDuplicate, nil, "same person as new@acme.test"},
		}},
		{"invalid entries are never duplicates", "bob@, bob@", []res{
			{convene.StatusInvalid, nil, "bob@ is missing the part after @"},
			{convene.StatusInvalid, nil, "bob@ is missing the part after @"},
		}},
		{"nobody", "", nil},
	}
	p := newParser(t, "US", "collaborate.center")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			contacts := p.ParseAll(convene.SplitContacts(tt.input))
			got := convene.Classify(contacts, users)
			if len(got) != len(tt.want) {
				t.Fatalf("Classify(%q) gave %d resolutions, want %d", tt.input, len(got), len(tt.want))
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Contact != contacts[i] || g.Status != w.status || g.User != w.user || g.Reason != w.reason {
					t.Errorf("entry %d (%q) = %s %v %q, want %s %v %q", i, g.Input, g.Status, g.User, g.Reason, w.status, w.user, w.reason)
				}
			}
		})
	}
}

// TestClassifyOnlyGivenUsers checks that a contact is matched only against
// the users passed in (the caller's tenant), and only by the same kind.
func TestClassifyOnlyGivenUsers(t *testing.T) {
	p := newParser(t, "US", "")
	contacts := []convene.Contact{
		p.Parse("other@acme.test"),
		{Input: "x", Kind: convene.ContactEmail, Normalized: "+12015550123"},
		{Input: "y", Kind: convene.ContactPhone, Normalized: "phone@acme.test"},
	}
	users := []*convene.User{{ID: 9, Email: "phone@acme.test", Phone: "+12015550123"}}
	for i, got := range convene.Classify(contacts, users) {
		if got.Status != convene.StatusUnregistered || got.User != nil {
			t.Errorf("entry %d (%q) = %s %v, want unregistered", i, got.Input, got.Status, got.User)
		}
	}
}
