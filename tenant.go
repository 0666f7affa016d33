package convene

import (
	"context"
	"regexp"
	"strings"
	"time"
)

// DefaultInvitationTTL is how long a guest invitation stays valid unless the
// tenant says otherwise.
const DefaultInvitationTTL = 7 * 24 * time.Hour

// Tenant is a company using Convene: its users and sessions are invisible to
// every other tenant.
type Tenant struct {
	ID   int64
	Slug string // the workspace name people type at sign-in
	Name string

	// DefaultRegion is the ISO 3166 region (e.g. "US") of phone numbers typed
	// without a country code.
	DefaultRegion string
	// PhoneAliasDomain, when set, makes "<digits>@<domain>" mean that phone.
	PhoneAliasDomain string
	// GuestsAllowed lets session owners invite unregistered people as guests.
	GuestsAllowed bool
	// InvitationTTL is how long a guest invitation link stays valid.
	InvitationTTL time.Duration

	CreatedAt time.Time
}

var slugPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// Validate returns EINVALID naming the first field that is wrong.
func (t *Tenant) Validate() error {
	switch {
	case !slugPattern.MatchString(t.Slug):
		return FieldErrorf("slug", "must be 1-63 lowercase letters, digits or dashes, not starting or ending with a dash")
	case strings.TrimSpace(t.Name) == "":
		return FieldErrorf("name", "is required")
	case len(t.Name) > 200:
		return FieldErrorf("name", "must be at most 200 characters")
	case !ValidRegion(t.DefaultRegion):
		return FieldErrorf("default_region", "must be a two-letter region code such as US or DE")
	case t.PhoneAliasDomain != "" && !validDomain(t.PhoneAliasDomain):
		return FieldErrorf("phone_alias_domain", "must be a domain name such as collaborate.center")
	case t.InvitationTTL < time.Hour || t.InvitationTTL > 90*24*time.Hour:
		return FieldErrorf("invitation_ttl_hours", "must be between 1 and 2160 hours")
	}
	return nil
}

// TenantUpdate holds the tenant settings a Tenant Admin may change; nil
// fields stay as they are.
type TenantUpdate struct {
	Name             *string
	DefaultRegion    *string
	PhoneAliasDomain *string
	GuestsAllowed    *bool
	InvitationTTL    *time.Duration
}

// Apply copies the set fields of upd onto t.
func (upd TenantUpdate) Apply(t *Tenant) {
	if upd.Name != nil {
		t.Name = *upd.Name
	}
	if upd.DefaultRegion != nil {
		t.DefaultRegion = strings.ToUpper(*upd.DefaultRegion)
	}
	if upd.PhoneAliasDomain != nil {
		t.PhoneAliasDomain = strings.ToLower(*upd.PhoneAliasDomain)
	}
	if upd.GuestsAllowed != nil {
		t.GuestsAllowed = *upd.GuestsAllowed
	}
	if upd.InvitationTTL != nil {
		t.InvitationTTL = *upd.InvitationTTL
	}
}

// TenantService manages tenants.
type TenantService interface {
	// CreateTenant creates t and admin, its first Tenant Admin, together; it
	// needs no actor. ECONFLICT if the slug is taken, EINVALID for bad input.
	CreateTenant(ctx context.Context, t *Tenant, admin *User) error

	// FindTenantBySlug looks a tenant up before anyone is signed in.
	// ENOTFOUND if there is none.
	FindTenantBySlug(ctx context.Context, slug string) (*Tenant, error)

	// CurrentTenant returns the tenant of the actor in ctx.
	CurrentTenant(ctx context.Context) (*Tenant, error)

	// UpdateTenant changes the actor's tenant: Tenant Admins only
	// (EFORBIDDEN), EINVALID for bad values.
	UpdateTenant(ctx context.Context, upd TenantUpdate) (*Tenant, error)
}

var domainPattern = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

func validDomain(d string) bool { return len(d) <= 253 && domainPattern.MatchString(d) }

var regionPattern = regexp.MustCompile(`^[A-Z]{2}$`)

// ValidRegion reports whether r looks like an ISO 3166 alpha-2 region code.
// Whether phone numbering knows the region is checked where numbers are parsed.
func ValidRegion(r string) bool { return regionPattern.MatchString(r) }
