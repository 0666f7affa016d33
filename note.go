package convene

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a note (contract section 13).
const (
	MaxNoteTitle = 200     // characters
	MaxNoteBody  = 100_000 // characters of Markdown
)

// Note is a titled text in a session, written in Markdown. Version starts
// at 1 and grows by one with every change, so that a writer can say which
// version it changed (optimistic concurrency: the API's ETag and If-Match).
type Note struct {
	ID        int64
	TenantID  int64
	SessionID int64
	Title     string
	Body      string
	Version   int64
	AuthorID  int64
	UpdatedBy int64
	CreatedAt time.Time
	UpdatedAt time.Time

	// Filled by the finders, for display.
	Author  *User
	Updater *User
}

// Validate checks title and body.
func (n *Note) Validate() error {
	switch {
	case strings.TrimSpace(n.Title) == "":
		return FieldErrorf("title", "is required")
	case !utf8.ValidString(n.Title) || utf8.RuneCountInString(n.Title) > MaxNoteTitle || strings.ContainsAny(n.Title, "\r\n\x00"):
		return FieldErrorf("title", "must be at most %d characters on one line", MaxNoteTitle)
	case !utf8.ValidString(n.Body) || utf8.RuneCountInString(n.Body) > MaxNoteBody || strings.ContainsRune(n.Body, 0):
		return FieldErrorf("body", "must be at most %d characters", MaxNoteBody)
	}
	return nil
}

// NoteUpdate holds the fields of a note that may change; nil fields stay.
type NoteUpdate struct {
	Title *string
	Body  *string
}

// Apply returns n with upd's fields set.
func (upd NoteUpdate) Apply(n Note) *Note {
	if upd.Title != nil {
		n.Title = *upd.Title
	}
	if upd.Body != nil {
		n.Body = *upd.Body
	}
	return &n
}

// CheckVersion compares the version a writer expects with the current one:
// EVERSIONREQUIRED when it names none (0), EPRECONDITION when the note
// changed since.
func CheckVersion(expected, current int64) error {
	switch {
	case expected <= 0:
		return Errorf(EVERSIONREQUIRED, "say which version you are changing (If-Match)")
	case expected != current:
		return Errorf(EPRECONDITION, "the note changed since you read it (version %d, now %d)", expected, current)
	}
	return nil
}

// NoteService manages the notes of sessions. Readers need PermReadContent
// (ENOTFOUND otherwise, as for the session), writers PermWriteContent
// (EFORBIDDEN for view only), checked inside the write's transaction.
type NoteService interface {
	// CreateNote adds n to its session with the actor as author, version 1,
	// and fills in its id and times.
	CreateNote(ctx context.Context, n *Note) error

	// FindNotes lists a session's notes, oldest first, a page at a time
	// (limit 1-100, 0 means 50).
	FindNotes(ctx context.Context, sessionID int64, limit int, cursor string) (notes []*Note, nextCursor string, err error)

	// FindNoteByID returns one note of a session, or ENOTFOUND.
	FindNoteByID(ctx context.Context, sessionID, noteID int64) (*Note, error)

	// UpdateNote changes a note whose current version is version
	// (EPRECONDITION otherwise, EVERSIONREQUIRED for 0); of two concurrent
	// updates of one version exactly one succeeds.
	UpdateNote(ctx context.Context, sessionID, noteID, version int64, upd NoteUpdate) (*Note, error)

	// DeleteNote deletes a note whose current version is version, under the
	// same rule as UpdateNote.
	DeleteNote(ctx context.Context, sessionID, noteID, version int64) error
}
