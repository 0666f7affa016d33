package convene

import (
	"context"
	"time"
)

// Access is what a member may do in a session.
type Access string

// The access levels, from most to least.
const (
	AccessOwner       Access = "owner"       // one per session; manages access
	AccessCollaborate Access = "collaborate" // works in the session
	AccessView        Access = "view"        // reads, never changes
)

// rank orders access levels; "" (no access) ranks lowest.
func (a Access) rank() int {
	switch a {
	case AccessOwner:
		return 3
	case AccessCollaborate:
		return 2
	case AccessView:
		return 1
	}
	return 0
}

// Grantable reports whether a may be given by an invitation or an access
// change: collaborate or view (ownership moves only by transfer).
func (a Access) Grantable() bool { return a == AccessCollaborate || a == AccessView }

// Outcome is what a grant did to one person x session pair.
type Outcome string

// The outcomes of a grant.
const (
	OutcomeAdded     Outcome = "added"     // the person had no access and now has it
	OutcomeUpgraded  Outcome = "upgraded"  // view raised to collaborate
	OutcomeUnchanged Outcome = "unchanged" // already had that access or more
)

// DecideGrant is the one rule of the access engine: a grant never lowers
// access. Given a person's current access to a session ("" for none) and the
// access requested, it returns the outcome and the access they end with.
func DecideGrant(current, requested Access) (Outcome, Access) {
	switch {
	case current == "":
		return OutcomeAdded, requested
	case requested.rank() > current.rank():
		return OutcomeUpgraded, requested
	default:
		return OutcomeUnchanged, current
	}
}

// Membership is one person's access to one session.
type Membership struct {
	SessionID int64
	UserID    int64
	Access    Access
	GrantedBy int64 // the user who granted it; 0 for the system
	BatchID   int64 // the multi-invite that granted it, 0 when none
	CreatedAt time.Time
	UpdatedAt time.Time

	User *User // filled by Members
}

// MembershipService is the access engine: who may enter which session, and how.
type MembershipService interface {
	MemberPager
	UserSessionLister

	// Members lists a session's members, the owner first: ENOTFOUND when the
	// actor may not see the session.
	Members(ctx context.Context, sessionID int64) ([]*Membership, error)

	// Grant gives every registered contact of req access to every session of
	// req, in one transaction; see GrantRequest and Batch. EINVALID (with
	// Entries) for an invalid contact, ENOTFOUND for an unknown session,
	// EFORBIDDEN when the actor may not manage one of them, ETOOLARGE past
	// the limits, ECONFLICT for a reused idempotency key with another request.
	Grant(ctx context.Context, req GrantRequest) (*Batch, error)

	// ChangeAccess sets or removes the access of every registered contact
	// of req in every session of req, in one transaction (contract section
	// 15): lowering too, members only, never the owner. A batch (Action
	// set) that UndoBatch restores. Session and Tenant Admins; the
	// refusals are Grant's.
	ChangeAccess(ctx context.Context, req AccessChangeRequest) (*Batch, error)

	// SetAccess changes a member's access either way (collaborate or view);
	// the owner's access cannot be changed this way. The session's owner,
	// Session and Tenant Admins. ENOTFOUND when the user is no member.
	SetAccess(ctx context.Context, sessionID, userID int64, access Access) (*Membership, error)

	// RemoveMember takes a member out of a session; the owner cannot be
	// removed (transfer ownership first).
	RemoveMember(ctx context.Context, sessionID, userID int64) error

	// TransferOwnership makes userID, a registered active user of the tenant,
	// the owner; the previous owner stays as a collaborator.
	TransferOwnership(ctx context.Context, sessionID, userID int64) error

	// UndoBatch reverts, in one transaction, what a multi-invite changed and
	// what is still as the batch left it: pairs it added are removed, pairs it
	// upgraded go back to view; pairs changed since are kept (see Undo). The
	// batch's actor, Session and Tenant Admins, who must also manage every
	// session of the batch that still exists. ENOTFOUND for anyone else (as
	// FindBatch), EFORBIDDEN for a session the actor may not manage,
	// ECONFLICT when the batch was already undone.
	UndoBatch(ctx context.Context, batchID int64) (*Undo, error)
}
