package convene

import (
	"context"
)

// ContactKind says what an entry of a pasted list is.
type ContactKind string

// The kinds of contact.
const (
	ContactEmail   ContactKind = "email"
	ContactPhone   ContactKind = "phone"
	ContactUnknown ContactKind = "unknown" // neither: the entry is invalid
)

// ContactStatus is what an entry turned out to be against the directory.
type ContactStatus string

// The statuses of a resolved contact (contract section 4).
const (
	StatusRegistered   ContactStatus = "registered"   // an active user of the tenant
	StatusUnregistered ContactStatus = "unregistered" // a valid contact nobody in the tenant has
	StatusInvalid      ContactStatus = "invalid"      // neither an email address nor a phone number
	StatusDuplicate    ContactStatus = "duplicate"    // the same person as an earlier entry
	StatusDisabled     ContactStatus = "disabled"     // a user of the tenant who is disabled
)

// Contact is one parsed entry: an email address or a phone number.
type Contact struct {
	Input      string      // the entry as typed, trimmed
	Kind       ContactKind // email, phone, or unknown when invalid
	Normalized string      // lowercased email or E.164 phone; "" when invalid
	Reason     string      // why an invalid entry is invalid, for a person
}

// PhoneNumbering turns a phone number as typed into E.164. internal/phone
// implements it with libphonenumber's data; the domain stays free of it.
type PhoneNumbering interface {
	// Normalize returns raw in E.164 form, taking region (ISO 3166 alpha-2)
	// for numbers without a country code, or an error a person understands.
	Normalize(raw, region string) (string, error)
	// KnownRegion reports whether region (upper case) has phone numbers,
	// i.e. may be a tenant's default region.
	KnownRegion(region string) bool
}

// ContactParser parses entries with a tenant's settings.
type ContactParser struct {
	DefaultRegion string // region of numbers typed without a country code
	AliasDomain   string // "<digits>@AliasDomain" is that phone; "" for none
	Phones        PhoneNumbering
}

// NewContactParser returns the parser for tenant t.
func NewContactParser(t *Tenant, phones PhoneNumbering) ContactParser {
	return ContactParser{DefaultRegion: t.DefaultRegion, AliasDomain: t.PhoneAliasDomain, Phones: phones}
}

// Resolution is a parsed entry resolved against the tenant's directory.
type Resolution struct {
	Contact
	Status ContactStatus
	Reason string // for invalid, disabled and duplicate entries
	User   *User  // for registered, disabled and duplicate entries
}

// ContactDirectory finds the users behind contacts: UserService is one; a
// store also offers one bound to a transaction, so that a grant resolves
// contacts against the directory as it is when the grant is applied.
type ContactDirectory interface {
	FindUsersByContacts(ctx context.Context, emails, phones []string) ([]*User, error)
}

// ResolveContacts parses entries with the tenant's settings and resolves
// them against its directory, in input order. It never returns a user of
// another tenant: users confines the lookup to the actor's tenant.
func ResolveContacts(ctx context.Context, users ContactDirectory, p ContactParser, entries []string) ([]Resolution, error) {
	contacts := p.ParseAll(entries)
	var emails, phones []string
	for _, c := range contacts {
		switch c.Kind {
		case ContactEmail:
			emails = append(emails, c.Normalized)
		case ContactPhone:
			phones = append(phones, c.Normalized)
		}
	}
	found, err := users.FindUsersByContacts(ctx, emails, phones)
	if err != nil {
		return nil, err
	}
	return Classify(contacts, found), nil
}
