package convene

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is a user's role in their tenant (contract section 6).
type Role string

// The tenant roles, from most to least powerful.
const (
	RoleAdmin        Role = "admin"         // Tenant Admin: everything in the tenant
	RoleSessionAdmin Role = "session_admin" // manages access to every session; multi-invite
	RoleMember       Role = "member"        // creates sessions; manages the ones they own
	RoleGuest        Role = "guest"         // only the sessions they were invited to
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleSessionAdmin, RoleMember, RoleGuest:
		return true
	}
	return false
}

// User is a person registered in a tenant, known by email and/or phone.
type User struct {
	ID       int64
	TenantID int64
	Name     string
	Email    string // lowercased; "" when the user has only a phone
	Phone    string // E.164; "" when the user has only an email
	Role     Role
	Disabled bool

	// HasAvatar is true once the user uploaded an image; otherwise an
	// initials avatar is drawn.
	HasAvatar bool
	// PasswordHash is an argon2id hash, "" until a password is set. It never
	// leaves the server.
	PasswordHash string

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Login returns the user's email, or their phone when they have no email.
func (u *User) Login() string {
	if u.Email != "" {
		return u.Email
	}
	return u.Phone
}

// Validate checks the fields a store cannot: a name, at least one contact,
// a known role. Email and phone must already be normalised (see ContactParser).
func (u *User) Validate() error {
	name := strings.TrimSpace(u.Name)
	switch {
	case name == "":
		return FieldErrorf("name", "is required")
	case !utf8.ValidString(u.Name) || utf8.RuneCountInString(u.Name) > 200 || strings.ContainsAny(u.Name, "\r\n\x00"):
		return FieldErrorf("name", "must be at most 200 characters on one line")
	case u.Email == "" && u.Phone == "":
		return FieldErrorf("email", "an email address or a phone number is required")
	case !u.Role.Valid():
		return FieldErrorf("role", "must be one of admin, session_admin, member, guest")
	}
	return nil
}

// UserFilter selects users of the actor's tenant.
type UserFilter struct {
	Query  string // matches name, email or phone, case-insensitively, anywhere
	Limit  int    // 1-100; 0 means 50
	Cursor string // from a previous page
}

// UserUpdate holds the fields that may change on a user; nil fields stay.
type UserUpdate struct {
	Name      *string
	Role      *Role
	Disabled  *bool
	HasAvatar *bool
}

// UserService manages the directory of the actor's tenant.
type UserService interface {
	// CreateUser registers u in the actor's tenant: Tenant Admins and the
	// system only (EFORBIDDEN). ECONFLICT when the email or phone is taken.
	CreateUser(ctx context.Context, u *User) error

	// FindUserByID returns a user of the actor's tenant, or ENOTFOUND.
	FindUserByID(ctx context.Context, id int64) (*User, error)

	// FindUserByLogin returns the user whose email or phone is login (already
	// normalised), or ENOTFOUND.
	FindUserByLogin(ctx context.Context, login string) (*User, error)

	// FindUsers lists the directory, ordered by name. Guests may not
	// (EFORBIDDEN).
	FindUsers(ctx context.Context, filter UserFilter) (users []*User, nextCursor string, err error)

	// FindUsersByContacts returns the users whose email is in emails or
	// whose phone is in phones, disabled ones included. It serves contact
	// resolution and needs no directory permission of its own.
	FindUsersByContacts(ctx context.Context, emails, phones []string) ([]*User, error)

	// UpdateUser changes name, role or disabled: Tenant Admins only; a user
	// may change their own name and avatar. EINVALID for a bad role.
	UpdateUser(ctx context.Context, id int64, upd UserUpdate) (*User, error)

	// SetPasswordHash stores a new password hash for a user (the caller
	// hashes), for the user themself, a Tenant Admin, or the system.
	SetPasswordHash(ctx context.Context, id int64, hash string) error
}
