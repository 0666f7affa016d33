package convene

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxContactLen bounds one entry in bytes. The longest email address a mail
// server accepts is 254 bytes; the margin leaves room for a display name.
const maxContactLen = 320

// ParseAll parses each entry with Parse, in order.
func (p ContactParser) ParseAll(entries []string) []Contact {
	out := make([]Contact, len(entries))
	for i, e := range entries {
		out[i] = p.Parse(e)
	}
	return out
}

// Parse reads one entry: an email address, possibly with a display name
// ("Doe, Jane" <jane@acme.test>), a phone number, or "<digits>@AliasDomain".
// It never fails: an entry that is neither comes back with Kind unknown and
// a Reason for the person who typed it.
func (p ContactParser) Parse(entry string) Contact {
	in := strings.TrimSpace(entry)
	switch {
	case in == "":
		return invalidContact(in, "the entry is empty")
	case len(in) > maxContactLen:
		return invalidContact(in, fmt.Sprintf("the entry is too long (more than %d characters) to be an email address or a phone number", maxContactLen))
	case !utf8.ValidString(in):
		return invalidContact(in, "the entry is not valid text (it is not UTF-8)")
	case strings.IndexFunc(in, isHidden) >= 0:
		return invalidContact(in, "the entry contains a line break or another invisible control character")
	}
	addr, ok := angleAddress(in)
	if !ok {
		return invalidContact(in, fmt.Sprintf("%s has a < or > out of place", in))
	}
	if strings.Contains(addr, "@") {
		return p.parseAt(in, addr)
	}
	if looksLikePhone(addr) {
		return p.parsePhone(in, addr)
	}
	return invalidContact(in, fmt.Sprintf("%s is not an email address or a phone number", in))
}

// isHidden reports control and formatting characters. Besides breaking
// headers (CR/LF injection), invisible ones such as bidi overrides let an
// address display as something it is not.
func isHidden(r rune) bool {
	if r == '\t' {
		return false // pasted from spreadsheets; harmless white space
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// angleAddress returns the address of "Name <addr>", or in itself when it
// has no angle brackets; ok is false for brackets in any other shape. The
// display name is only a label, so it is not checked further.
func angleAddress(in string) (addr string, ok bool) {
	open := strings.LastIndexByte(in, '<')
	if open < 0 && strings.IndexByte(in, '>') < 0 {
		return in, true
	}
	if open < 0 || !strings.HasSuffix(in, ">") {
		return "", false
	}
	name, inner := in[:open], in[open+1:len(in)-1]
	if strings.ContainsAny(name, "<>") || strings.ContainsAny(inner, "<>") {
		return "", false
	}
	return strings.TrimSpace(inner), true
}

// looksLikePhone reports whether s is made only of what people type in phone
// numbers and has a plausible count of digits (E.164 allows 15, plus a
// trunk or exit prefix).
func looksLikePhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" \t\u00a0+()-.", r):
		default:
			return false
		}
	}
	return digits >= 5 && digits <= 20
}

// invalidContact returns an invalid entry. Its input is shown back to the
// person (and encoded as JSON), so bytes that are not UTF-8 become U+FFFD.
func invalidContact(in, reason string) Contact {
	return Contact{Input: strings.ToValidUTF8(in, "\uFFFD"), Kind: ContactUnknown, Reason: reason}
}

// parseAt reads an entry whose address contains '@': an alias of a phone
// number, or an email address.
func (p ContactParser) parseAt(in, addr string) Contact {
	at := strings.LastIndexByte(addr, '@')
	local, domain := addr[:at], addr[at+1:]
	if p.AliasDomain != "" && strings.EqualFold(domain, p.AliasDomain) && isAliasNumber(local) {
		// The alias carries the country code: 13245768342@ is +1 324 576 8342,
		// whatever the tenant's default region.
		return p.parsePhone(in, "+"+strings.TrimPrefix(local, "+"))
	}
	email, reason := normalizeEmail(addr)
	if reason != "" {
		return invalidContact(in, reason)
	}
	return Contact{Input: in, Kind: ContactEmail, Normalized: email}
}

// isAliasNumber reports whether local is digits, optionally after a '+'.
func isAliasNumber(local string) bool {
	digits := strings.TrimPrefix(local, "+")
	return digits != "" && strings.Trim(digits, "0123456789") == ""
}

// parsePhone normalises a phone number with the tenant's default region.
func (p ContactParser) parsePhone(in, number string) Contact {
	if p.Phones == nil {
		return invalidContact(in, "phone numbers cannot be checked here; enter an email address")
	}
	// The numbering library knows ordinary spaces, not every blank a
	// spreadsheet or a web page pastes.
	number = strings.NewReplacer("\t", " ", "\u00a0", " ").Replace(number)
	e164, err := p.Phones.Normalize(number, p.DefaultRegion)
	if err != nil {
		return invalidContact(in, err.Error())
	}
	return Contact{Input: in, Kind: ContactPhone, Normalized: e164}
}

// normalizeEmail returns addr lowercased when it is one plain addr-spec
// (local@domain), or a reason it is not. net/mail accepts far more than a
// mailbox a person has (display names, comments, quoted local parts, domain
// literals, groups of mailboxes): insisting that its result is the input
// itself leaves only the plain form.
func normalizeEmail(addr string) (string, string) {
	a := strings.ToLower(addr)
	at := strings.LastIndexByte(a, '@')
	local, domain := a[:at], a[at+1:]
	switch {
	case local == "" && domain == "":
		return "", fmt.Sprintf("%s is missing the parts before and after @", addr)
	case domain == "":
		return "", fmt.Sprintf("%s is missing the part after @", addr)
	case local == "":
		return "", fmt.Sprintf("%s is missing the part before @", addr)
	case strings.Count(a, "@") > 1:
		return "", fmt.Sprintf("%s has more than one @", addr)
	case len(local) > 64:
		return "", fmt.Sprintf("%s: the part before @ is longer than 64 characters", addr)
	case len(a) > 254:
		return "", fmt.Sprintf("%s is longer than 254 characters", addr)
	case !validMailDomain(domain):
		// Lowercasing may change byte lengths, so cut addr on its own '@'.
		return "", fmt.Sprintf("%s: %s is not a domain name such as acme.com", addr, addr[strings.LastIndexByte(addr, '@')+1:])
	case strings.IndexFunc(a, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsGraphic(r) }) >= 0:
		return "", fmt.Sprintf("%s contains a space or a character not allowed in an email address", addr)
	}
	if m, err := mail.ParseAddress(a); err != nil || m.Name != "" || m.Address != a {
		return "", fmt.Sprintf("%s is not a valid email address", addr)
	}
	return a, ""
}

// validMailDomain reports whether d (lowercase) is a host name with a dot:
// letters, digits and inner hyphens, labels of 1-63 bytes, and a top-level
// label that is not all digits, which rules out IP addresses. Mail to
// "localhost" or an address literal is not mail to a person.
func validMailDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(d) > 253 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		if strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
			return false
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}
