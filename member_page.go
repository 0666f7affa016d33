package convene

import "context"

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
