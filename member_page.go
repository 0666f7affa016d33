package convene

import (
	"context"
	"time"
)

// MemberFilter selects and pages a session's members, the owner first,
// then by name (contract section 15).
type MemberFilter struct {
	Query  string // matches name, email or phone anywhere, case ignored
	Limit  int    // 1-500; 0 means 100
	Cursor string // from a previous page
}

// MemberPager pages a session's members: a big session has thousands.
type MemberPager interface {
	// MembersPage is Members filtered and paged: ENOTFOUND when the actor
	// may not see the session, EINVALID for a bad cursor.
	MembersPage(ctx context.Context, sessionID int64, f MemberFilter) (members []*Membership, nextCursor string, err error)
}

// UserSession is one session of a person, with their access to it.
type UserSession struct {
	SessionID int64
	Title     string
	Access    Access
	Since     time.Time // when the membership was made
}

// UserSessionLister lists the sessions of one person (contract section
// 15): the Users page opens a person's sessions.
type UserSessionLister interface {
	// UserSessions pages the sessions userID is a member of, newest
	// membership first: Tenant Admins only (EFORBIDDEN); ENOTFOUND for a
	// user of another tenant; f.Query is ignored; Limit 1-500, 0 means 100.
	UserSessions(ctx context.Context, userID int64, f MemberFilter) (sessions []*UserSession, nextCursor string, err error)
}
