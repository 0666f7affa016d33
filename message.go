package convene

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// MaxMessageBody is the longest message, in characters.
const MaxMessageBody = 10_000

// Message is one contribution to a session's discussion.
type Message struct {
	ID        int64
	TenantID  int64
	SessionID int64
	Body      string
	AuthorID  int64
	CreatedAt time.Time

	Author *User // filled by the finders, for display
}

// Validate checks the body: 1-10,000 characters, not only blanks.
func (m *Message) Validate() error {
	switch {
	case strings.TrimSpace(m.Body) == "":
		return FieldErrorf("body", "is required")
	case !utf8.ValidString(m.Body) || utf8.RuneCountInString(m.Body) > MaxMessageBody || strings.ContainsRune(m.Body, 0):
		return FieldErrorf("body", "must be at most %d characters", MaxMessageBody)
	}
	return nil
}

// MayDeleteMessage says whether actor, whose access to s is access, may
// delete a message written by authorID: its author while they may write in
// the session, the owner and Tenant Admins (PermModerateContent).
// EFORBIDDEN otherwise.
func MayDeleteMessage(actor Actor, s *Session, access Access, authorID int64) error {
	if Allowed(actor, PermModerateContent, s, access) {
		return nil
	}
	if err := Authorize(actor, PermWriteContent, s, access); err != nil {
		return err
	}
	if actor.UserID() != authorID {
		return Errorf(EFORBIDDEN, "only its author, the session's owner or an admin may delete a message")
	}
	return nil
}

// MessageService manages the discussion of sessions, under the rules of
// NoteService.
type MessageService interface {
	// PostMessage adds m to its session's discussion with the actor as
	// author, and fills in its id and time.
	PostMessage(ctx context.Context, m *Message) error

	// FindMessages lists a session's messages, oldest first, a page at a
	// time (limit 1-100, 0 means 50).
	FindMessages(ctx context.Context, sessionID int64, limit int, cursor string) (messages []*Message, nextCursor string, err error)

	// FindRecentMessages lists a session's messages newest first, a page
	// at a time, each page going further back: what a discussion shows
	// first is its latest messages (limit as FindMessages).
	FindRecentMessages(ctx context.Context, sessionID int64, limit int, cursor string) (messages []*Message, nextCursor string, err error)

	// DeleteMessage deletes a message: see MayDeleteMessage.
	DeleteMessage(ctx context.Context, sessionID, messageID int64) error
}
