package convene

import (
	"context"
	"time"
)

// Job kinds of single-use links. Their payloads name the link, never its
// secret: the worker mints the secret when it sends the message, storing
// only its hash (MintInvitationLink, MintPasswordLink), so that the secret
// exists in clear only in memory and in the message.
const (
	// JobGuestInvitation sends a guest invitation link.
	// Payload: {"invitation_id":N,"sent":K}, K the invitation's SentCount
	// when it was queued (a resend since makes the job stale).
	JobGuestInvitation = "guest_invitation"
	// JobSetPassword sends a set-password or reset link.
	// Payload: {"link_id":N}.
	JobSetPassword = "password_link"
)

// InvitationStatus is where a guest invitation stands. An invitation that
// is pending past its ExpiresAt is expired (see Invitation.State).
type InvitationStatus string

// The statuses of an invitation.
const (
	InvitationPending  InvitationStatus = "pending"
	InvitationAccepted InvitationStatus = "accepted"
	InvitationRevoked  InvitationStatus = "revoked"
	InvitationExpired  InvitationStatus = "expired" // derived, never stored
)

// Invitation is a single-use link inviting an unregistered contact into one
// session as a guest. Only a hash of its secret is stored.
type Invitation struct {
	ID        int64
	TenantID  int64
	SessionID int64
	// SessionIDs are all the sessions of an invitation to several (the
	// guest mode of a multi-invite), SessionID first; nil for one.
	SessionIDs []int64
	InviterID  int64
	Contact    string      // the invited email (lowercased) or E.164 phone
	Kind       ContactKind // ContactEmail or ContactPhone
	Access     Access      // collaborate or view
	Status     InvitationStatus
	TokenHash  string // hex SHA-256 of the secret; never shown
	ExpiresAt  time.Time
	SentCount  int // links sent: 1, plus one per resend
	CreatedAt  time.Time
	UpdatedAt  time.Time

	AcceptedAt     time.Time // zero until accepted
	AcceptedUserID int64

	// Filled by the finders, for display.
	SessionTitle  string
	OtherSessions int // how many more sessions (still there) the same link joins
	InviterName   string
	TenantName    string
	TenantSlug    string
}

// State returns the status as of now: pending invitations past their
// expiry are InvitationExpired.
func (inv *Invitation) State(now time.Time) InvitationStatus {
	if inv.Status == InvitationPending && !now.Before(inv.ExpiresAt) {
		return InvitationExpired
	}
	return inv.Status
}

// The outcomes of an invite from within a session (contract section 8):
// those of a grant, plus these two.
const (
	OutcomeInvited Outcome = "invited" // an unregistered contact got a guest invitation
	OutcomeSkipped Outcome = "skipped" // nothing was done; see Reason
)

// InviteResult is what an invite did for one contact entry.
type InviteResult struct {
	Input        string
	Status       ContactStatus // as resolved against the directory
	Outcome      Outcome
	Reason       string // why an entry was skipped
	UserID       int64  // for registered contacts
	InvitationID int64  // for invited contacts
}

// InvitationFilter selects invitations of the actor's tenant, newest first.
type InvitationFilter struct {
	SessionID int64            // 0: every session the actor may manage
	Status    InvitationStatus // "" means pending (and not expired)
	Limit     int              // 1-500; 0 means 100
}

// Acceptance is what redeeming an invitation did.
type Acceptance struct {
	Invitation *Invitation
	User       *User  // the new guest, or the person who registered meanwhile
	Access     Access // their access to the session now
	Created    bool   // whether User was created by this acceptance
}

// InvitationService manages guest invitations. Methods taking a token hash
// need no actor: the token is the credential.
type InvitationService interface {
	// InviteToSession adds registered contacts to the session as a grant
	// does, and sends unregistered ones a guest invitation (when the tenant
	// allows guests; otherwise they are skipped with a reason), all in one
	// transaction with the jobs that send the messages. The session's owner,
	// Session and Tenant Admins (EFORBIDDEN); ENOTFOUND for an unknown
	// session; EINVALID (with Entries) for an invalid contact or access.
	// Inviting a contact with a pending invitation to the session replaces
	// it (one pending invitation per contact and session).
	InviteToSession(ctx context.Context, sessionID int64, contacts []string, access Access) ([]InviteResult, error)

	// FindInvitations lists invitations the actor may manage: of one
	// session (its managers), or of the whole tenant (Session and Tenant
	// Admins; others see those of the sessions they own).
	FindInvitations(ctx context.Context, filter InvitationFilter) ([]*Invitation, error)

	// RevokeInvitation stops a pending invitation's link: the session's
	// managers. ENOTFOUND, or EUNAVAILABLE when it is no longer pending.
	RevokeInvitation(ctx context.Context, id int64) error

	// ResendInvitation gives a pending or expired invitation a new secret
	// and expiry and sends it again; the previous link stops working.
	// The session's managers; EUNAVAILABLE when accepted or revoked.
	ResendInvitation(ctx context.Context, id int64) (*Invitation, error)

	// FindInvitationByToken returns the invitation whose secret hashes to
	// tokenHash, whatever its status, with the display fields filled.
	// ENOTFOUND for an unknown token. It never changes the invitation.
	FindInvitationByToken(ctx context.Context, tokenHash string) (*Invitation, error)

	// AcceptInvitation redeems an invitation once, atomically: it checks
	// it again (pending, not expired, guests still allowed, the inviter
	// still allowed to manage the session; EUNAVAILABLE with a message for
	// a person otherwise, ENOTFOUND for an unknown token), creates the guest
	// user with the invited contact, name and password hash (or takes the
	// user who registered with that contact meanwhile), and grants the
	// invited access, in one transaction. Of concurrent calls with one
	// token exactly one succeeds.
	AcceptInvitation(ctx context.Context, tokenHash, name, passwordHash string) (*Acceptance, error)

	// MintInvitationLink gives invitation id a new secret for the message
	// being sent now, storing only tokenHash: the link sent before stops
	// working. sent is the SentCount the message was queued for. ENOTFOUND
	// for an unknown id; EUNAVAILABLE when it was resent since, or is no
	// longer pending (accepted, revoked, expired). It needs no actor.
	MintInvitationLink(ctx context.Context, id int64, sent int, tokenHash string) (*Invitation, error)
}

// PasswordLinkPurpose says what a password link is for.
type PasswordLinkPurpose string

// The purposes of password links.
const (
	PasswordLinkSet   PasswordLinkPurpose = "set"   // a new user chooses a first password
	PasswordLinkReset PasswordLinkPurpose = "reset" // a user who forgot theirs
)

// How long password links stay valid.
const (
	SetPasswordLinkTTL   = 7 * 24 * time.Hour
	ResetPasswordLinkTTL = time.Hour
)

// PasswordLink is a single-use link to set a password, stored as a hash.
type PasswordLink struct {
	ID        int64
	TenantID  int64
	UserID    int64
	Purpose   PasswordLinkPurpose
	TokenHash string
	ExpiresAt time.Time
	UsedAt    time.Time // zero until used
	CreatedAt time.Time
}

// PasswordLinkRequest asks for a new password link.
type PasswordLinkRequest struct {
	UserID  int64
	Purpose PasswordLinkPurpose
	// Send enqueues the message carrying the link, in the same
	// transaction. Without it the caller shows the link itself (the CLI).
	Send bool
}

// PasswordLinkService stores password links. Each new link of a user
// replaces their unused earlier ones.
type PasswordLinkService interface {
	// CreatePasswordLink stores a link with the secret's hash: Tenant
	// Admins and the system. Without req.Send it returns the secret, for
	// the caller to show; with it, secret is "": the worker mints the
	// secret when it sends the message.
	CreatePasswordLink(ctx context.Context, req PasswordLinkRequest) (secret string, err error)

	// CreateUserWithPasswordLink registers u like CreateUser and stores a
	// set-password link for them in the same transaction, queuing its
	// message when send (and then returning no secret, as
	// CreatePasswordLink), so that no user is ever left without a way in.
	CreateUserWithPasswordLink(ctx context.Context, u *User, send bool) (secret string, err error)

	// CreateTenantWithPasswordLink creates t and admin like CreateTenant
	// and a set-password link for the admin, in one transaction.
	CreateTenantWithPasswordLink(ctx context.Context, t *Tenant, admin *User) (secret string, err error)

	// RequestPasswordReset sends a reset link to the active user of the
	// actor's tenant whose normalised email or phone is login. It returns
	// nil whether or not there is one, so that the answer tells nothing.
	RequestPasswordReset(ctx context.Context, login string) error

	// FindPasswordLink returns an unused, unexpired link and its active
	// user; ENOTFOUND otherwise. It never changes the link.
	FindPasswordLink(ctx context.Context, tokenHash string) (*PasswordLink, *User, error)

	// UsePasswordLink sets the password of the link's user and uses the
	// link up, atomically: ENOTFOUND when it is unknown, used, expired or
	// its user disabled.
	UsePasswordLink(ctx context.Context, tokenHash, passwordHash string) (*User, error)

	// MintPasswordLink gives link id a new secret for the message being
	// sent now, storing only tokenHash (the secret sent before stops
	// working), and returns it with its active user; ENOTFOUND when it is
	// unknown, used, replaced, expired or its user disabled. It needs no
	// actor.
	MintPasswordLink(ctx context.Context, id int64, tokenHash string) (*PasswordLink, *User, error)
}
