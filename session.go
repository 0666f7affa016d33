package convene

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Session is a collaboration session of a tenant, with one owner.
type Session struct {
	ID          int64
	TenantID    int64
	OwnerID     int64
	Title       string
	Description string
	Archived    bool
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Filled by the finders, for display.
	Owner       *User
	MyAccess    Access // the actor's own access; "" when they are no member
	MemberCount int
}

// Validate checks title and description.
func (s *Session) Validate() error {
	switch {
	case strings.TrimSpace(s.Title) == "":
		return FieldErrorf("title", "is required")
	case !utf8.ValidString(s.Title) || utf8.RuneCountInString(s.Title) > 200 || strings.ContainsAny(s.Title, "\r\n\x00"):
		return FieldErrorf("title", "must be at most 200 characters on one line")
	case !utf8.ValidString(s.Description) || utf8.RuneCountInString(s.Description) > 5000 || strings.ContainsRune(s.Description, 0):
		return FieldErrorf("description", "must be at most 5000 characters")
	}
	return nil
}

// SessionFilter selects the sessions the actor may see, newest first.
type SessionFilter struct {
	Query  string // matches the title case-insensitively anywhere in it
	Limit  int    // 1-100; 0 means 25
	Cursor string // from a previous page
}

// SessionPage is one page of FindSessions with the total of CountSessions.
type SessionPage struct {
	Sessions    []*Session
	NextCursor  string
	Total       int
	TotalCapped bool
}

// SessionUpdate holds the fields of a session that may change; nil fields stay.
type SessionUpdate struct {
	Title       *string
	Description *string
	Archived    *bool
}

// SessionService manages sessions.
type SessionService interface {
	// CreateSession creates s with the actor as its owner (EFORBIDDEN for
	// guests), and fills in its id and times.
	CreateSession(ctx context.Context, s *Session) error

	// FindSessionByID returns a session the actor may see, or ENOTFOUND.
	FindSessionByID(ctx context.Context, id int64) (*Session, error)

	// FindSessions lists the sessions the actor may see: every session of the
	// tenant for Tenant and Session Admins, their own memberships otherwise.
	FindSessions(ctx context.Context, filter SessionFilter) (sessions []*Session, nextCursor string, err error)

	// CountSessions counts the sessions matching filter.Query that the
	// actor may see (Limit and Cursor are ignored), exactly up to a bound
	// of the store's: capped reports that more match, total is the bound.
	CountSessions(ctx context.Context, filter SessionFilter) (total int, capped bool, err error)

	// FindSessionsPage is FindSessions with CountSessions' total of the
	// same filter, read together where the store can.
	FindSessionsPage(ctx context.Context, filter SessionFilter) (*SessionPage, error)

	// UpdateSession changes a session: its owner or a Tenant Admin.
	UpdateSession(ctx context.Context, id int64, upd SessionUpdate) (*Session, error)

	// DeleteSession deletes a session and its memberships: its owner or a
	// Tenant Admin.
	DeleteSession(ctx context.Context, id int64) error
}
