package convene

import (
	"context"
	"io"
	"mime"
	"path"
	"strings"
	"time"
	"unicode/utf8"
)

// DefaultMaxFileBytes is the largest upload unless configured otherwise
// (--max-file-bytes).
const DefaultMaxFileBytes = 25 << 20

// File is a file kept in a session. Its bytes live in the store (see
// FileService); ContentType is what the uploader claimed, kept for the
// download's headers, never trusted for rendering.
type File struct {
	ID          int64
	TenantID    int64
	SessionID   int64
	Name        string
	Size        int64
	ContentType string
	UploadedBy  int64
	CreatedAt   time.Time

	Uploader *User // filled by the finders, for display
}

// Validate checks the name (1-255 characters, no path, no control
// characters) and the content type (a media type, or empty, which the
// store reads as application/octet-stream).
func (f *File) Validate() error {
	switch {
	case strings.TrimSpace(f.Name) == "" || f.Name == "." || f.Name == "..":
		return FieldErrorf("name", "is required")
	case !utf8.ValidString(f.Name) || utf8.RuneCountInString(f.Name) > 255 || strings.ContainsFunc(f.Name, isControl):
		return FieldErrorf("name", "must be at most 255 characters, without control characters")
	case strings.ContainsAny(f.Name, `/\`):
		return FieldErrorf("name", "must be a file name, not a path")
	}
	if f.ContentType != "" {
		if _, _, err := mime.ParseMediaType(f.ContentType); err != nil || len(f.ContentType) > 255 {
			return FieldErrorf("content_type", "is not a media type")
		}
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// BaseName makes an uploaded file name safe to keep: the last element of
// any path it carries ("../../x" is "x"), with either kind of slash.
func BaseName(name string) string {
	return path.Base(strings.ReplaceAll(name, `\`, "/"))
}

// FileService keeps the files of sessions, under the rules of NoteService.
// Its shape is one an object store (S3-compatible) can implement as well
// as a database: bytes stream in and out, never whole in memory.
type FileService interface {
	// PutFile stores the bytes read from r as file f of its session, with
	// the actor as uploader, and fills in its id, size and time. More than
	// limit bytes is ETOOLARGE, and then nothing is kept.
	PutFile(ctx context.Context, f *File, r io.Reader, limit int64) error

	// FindFiles lists a session's files, newest first, a page at a time
	// (limit 1-100, 0 means 50).
	FindFiles(ctx context.Context, sessionID int64, limit int, cursor string) (files []*File, nextCursor string, err error)

	// OpenFile returns a file of a session and a reader of its bytes, which
	// the caller closes.
	OpenFile(ctx context.Context, sessionID, fileID int64) (*File, io.ReadCloser, error)

	// DeleteFile deletes a file and its bytes.
	DeleteFile(ctx context.Context, sessionID, fileID int64) error
}
