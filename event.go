package convene

import (
	"context"
	"time"
)

// Names of the live events of a session (contract section 13).
const (
	EventNoteCreated    = "note.created"
	EventNoteUpdated    = "note.updated"
	EventNoteDeleted    = "note.deleted"
	EventMessageCreated = "message.created"
	EventMessageDeleted = "message.deleted"
	EventFileCreated    = "file.created"
	EventFileDeleted    = "file.deleted"
	EventMemberChanged  = "member.changed"
	EventSessionUpdated = "session.updated"
	EventSessionDeleted = "session.deleted"
	// EventAccess tells one member (SessionEvent.UserID) their own access
	// changed; Data is {"access":"owner|collaborate|view|none"}.
	EventAccess = "access"
)

// EventLogKeep is how many of a session's latest events the log keeps at
// least, for subscribers that reconnect (Last-Event-ID).
const EventLogKeep = 1000

// SessionEvent is one entry of a session's event log, written in the same
// transaction as the change it tells of. IDs increase by one within a
// session, in commit order.
type SessionEvent struct {
	SessionID int64
	ID        int64
	TenantID  int64
	Name      string
	Data      []byte // JSON
	UserID    int64  // for EventAccess: the member it is for; 0 for everyone
	CreatedAt time.Time
}

// For reports whether the subscriber userID is to see e: every event but
// another member's EventAccess.
func (e *SessionEvent) For(userID int64) bool {
	return e.UserID == 0 || e.UserID == userID
}

// EventLog reads the event log. It checks no session access: the live
// layer that calls it decides what each subscriber sees (and ends a stream
// on an EventAccess "none"). It stays confined to the actor's tenant.
type EventLog interface {
	// SessionEventsAfter returns up to limit (1-1000) events of a session
	// with ids above after, in id order.
	SessionEventsAfter(ctx context.Context, sessionID, after int64, limit int) ([]*SessionEvent, error)

	// LastSessionEvent returns the id of a session's latest event, 0 when
	// it has none.
	LastSessionEvent(ctx context.Context, sessionID int64) (int64, error)
}
