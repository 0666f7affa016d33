package convene

import (
	"bytes"
	"context"
	"encoding/json"
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

// BatchMembers is the data of the member.changed event of a batch (a
// multi-invite, a bulk access change, the undo of either): it names the
// batch, not its people, so that a batch of 1,000 x 1,000 writes one event
// per session, not a million. A subscriber that reads one asks the store
// for its own access (EventLog.MembersAccess) and is told an EventAccess of
// its own only when that changed.
type BatchMembers struct {
	BatchID int64 `json:"batch_id"`
}

// BatchOf returns the batch a member.changed event of a batch names, 0
// for any other event.
func (e *SessionEvent) BatchOf() int64 {
	if e.Name != EventMemberChanged || !bytes.Contains(e.Data, []byte(`"batch_id"`)) {
		return 0
	}
	var d BatchMembers
	if json.Unmarshal(e.Data, &d) != nil {
		return 0
	}
	return d.BatchID
}

// AccessOf returns the access an EventAccess tells ("" for any other
// event).
func (e *SessionEvent) AccessOf() Access {
	if e.Name != EventAccess {
		return ""
	}
	var d struct{ Access Access }
	if json.Unmarshal(e.Data, &d) != nil {
		return ""
	}
	return d.Access
}

// AccessNone is what an EventAccess tells a subscriber who lost access
// to the session: the stream ends after it.
const AccessNone Access = "none"

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

	// MembersAccess returns the access each of userIDs has as a member
	// of a session of the actor's tenant (owner, collaborate or view),
	// AccessNone for those who are no member (or when the session is
	// gone): one query for all the subscribers of a session.
	MembersAccess(ctx context.Context, sessionID int64, userIDs []int64) (map[int64]Access, error)
}
