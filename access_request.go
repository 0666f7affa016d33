package convene

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// JobAccessGranted tells a person, once, what the access requests waiting
// for them granted when they came to exist. Payload:
// {"user_id":N,"session_ids":[...]}, the sessions they gained or were raised in.
const JobAccessGranted = "access_granted"

// AccessRequestStatus is where an access request stands.
type AccessRequestStatus string

// The statuses of an access request.
const (
	RequestPending  AccessRequestStatus = "pending"
	RequestGranted  AccessRequestStatus = "granted"
	RequestDeclined AccessRequestStatus = "declined"
)

// AccessRequest remembers that someone asked for an unregistered contact
// to get access to sessions (the request mode of a multi-invite). It is
// granted by itself when a user with that contact comes to exist.
type AccessRequest struct {
	ID          int64
	TenantID    int64
	Contact     string      // lowercased email or E.164 phone
	Kind        ContactKind // email or phone
	Name        string      // the display name typed with the contact, or ""
	SessionIDs  []int64     // as asked; sessions deleted since stay listed here
	Access      Access
	RequestedBy int64
	BatchID     int64
	Status      AccessRequestStatus
	Reason      string // why a granted request granted less than it asked, or was declined
	UserID      int64  // the person it was granted to
	DecidedBy   int64  // who approved or declined it; 0 when it granted itself
	DecidedAt   time.Time
	CreatedAt   time.Time

	// Sessions are those of SessionIDs that still exist, with their titles.
	Sessions []SessionRef
}

// SessionRef names a session for display.
type SessionRef struct {
	ID    int64
	Title string
}

// AccessRequestFilter selects access requests, newest first.
type AccessRequestFilter struct {
	Status AccessRequestStatus // "" means pending
	Cursor string
	Limit  int // 1-500; 0 means 100
}

// AccessRequestService manages access requests.
type AccessRequestService interface {
	// FindAccessRequests lists requests: every one of the tenant to Tenant
	// Admins, their own to Session Admins (EFORBIDDEN for anyone else).
	FindAccessRequests(ctx context.Context, f AccessRequestFilter) (items []*AccessRequest, nextCursor string, err error)
	// ApproveAccessRequests registers the person of each request as a
	// member (with a set-password link sent) and so grants it, all in one
	// transaction: Tenant Admins (EFORBIDDEN); ENOTFOUND for an unknown id,
	// EUNAVAILABLE for one that is no longer pending, and nothing is done.
	ApproveAccessRequests(ctx context.Context, ids []int64) ([]*AccessRequest, error)
	// DeclineAccessRequests declines pending requests, all or none: Tenant
	// Admins any, Session Admins their own; errors as approving.
	DeclineAccessRequests(ctx context.Context, ids []int64) ([]*AccessRequest, error)
}

// MaxRequestIDs bounds the ids of one approve or decline call.
const MaxRequestIDs = 1000

// RequestGrant is what a pending request may still grant when its person
// registers: Sessions (in the request's order) and, when that is less than
// it asked for, Reason.
type RequestGrant struct {
	Sessions []int64
	Reason   string
}

// DecideRequestGrant decides what req grants now. requester is who asked
// (nil when they are gone) and found the sessions of req that still
// exist, keyed by id, each with the requester's own access in MyAccess. A
// session deleted since is left out; so is one the requester may no
// longer manage (their role changed, they lost ownership, they were
// disabled). Reason says so for a person.
func DecideRequestGrant(req *AccessRequest, requester *User, found map[int64]*Session) RequestGrant {
	var g RequestGrant
	gone, denied := 0, 0
	for _, id := range req.SessionIDs {
		s := found[id]
		switch {
		case s == nil:
			gone++
		case requester == nil || !Allowed(Actor{TenantID: req.TenantID, User: requester}, PermManageMembers, s, s.MyAccess):
			denied++
		default:
			g.Sessions = append(g.Sessions, id)
		}
	}
	var why []string
	if gone > 0 {
		why = append(why, fmt.Sprintf("%d of the %d sessions were deleted since", gone, len(req.SessionIDs)))
	}
	switch {
	case denied > 0 && requester == nil:
		why = append(why, "the person who asked no longer exists")
	case denied > 0 && requester.Disabled:
		why = append(why, "the person who asked was disabled since")
	case denied > 0:
		why = append(why, fmt.Sprintf("the person who asked may no longer add people to %d of them", denied))
	}
	g.Reason = strings.Join(why, "; ")
	return g
}

// ValidateRequestIDs checks the ids of an approve or decline call.
func ValidateRequestIDs(ids []int64) error {
	switch {
	case len(ids) == 0:
		return FieldErrorf("ids", "select at least one request")
	case len(ids) > MaxRequestIDs:
		return Errorf(ETOOLARGE, "at most %d requests per call, got %d", MaxRequestIDs, len(ids))
	}
	return nil
}
