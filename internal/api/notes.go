package api

import (
	"context"
	"strconv"
	"strings"

	"convene"
	"convene/internal/httpd"
)

// NoteJSON is a note of a session (contract section 13). Its version is
// also the ETag of the answers that carry it.
type NoteJSON struct {
	ID        string    `json:"id" example:"7"`
	Title     string    `json:"title"`
	Body      string    `json:"body" doc:"Markdown"`
	BodyHTML  string    `json:"body_html" doc:"body rendered to HTML, safe to show as it is: no raw HTML, no script or javascript: links, links with rel=\"noopener nofollow ugc\" (docs/api.md, Markdown in notes)"`
	Version   int64     `json:"version"`
	Author    *UserJSON `json:"author"`
	UpdatedBy *UserJSON `json:"updated_by"`
	CreatedAt string    `json:"created_at" format:"date-time"`
	UpdatedAt string    `json:"updated_at" format:"date-time"`
}

type notePath struct {
	ID     string `path:"id" maxLength:"40"`
	NoteID string `path:"note_id" maxLength:"40"`
}

type listNotesInput struct {
	ID     string `path:"id" maxLength:"40"`
	Limit  int    `query:"limit" minimum:"0" maximum:"100" doc:"page size, 50 by default"`
	Cursor string `query:"cursor" maxLength:"200" doc:"the next_cursor of the previous page"`
}

type createNoteInput struct {
	ID   string `path:"id" maxLength:"40"`
	Body struct {
		Title string `json:"title" minLength:"1" maxLength:"200"`
		Body  string `json:"body,omitempty" maxLength:"100000" doc:"Markdown"`
	}
}

type updateNoteInput struct {
	ID      string `path:"id" maxLength:"40"`
	NoteID  string `path:"note_id" maxLength:"40"`
	IfMatch string `header:"If-Match" maxLength:"40" doc:"the ETag of the version being changed: \"<version>\"; required"`
	Body    struct {
		Title *string `json:"title,omitempty" minLength:"1" maxLength:"200"`
		Body  *string `json:"body,omitempty" maxLength:"100000"`
	}
}

type deleteNoteInput struct {
	ID      string `path:"id" maxLength:"40"`
	NoteID  string `path:"note_id" maxLength:"40"`
	IfMatch string `header:"If-Match" maxLength:"40" doc:"the ETag of the version being deleted: \"<version>\"; required"`
}

type noteOutput struct {
	ETag string `header:"ETag" doc:"the note's version, quoted"`
	Body NoteJSON
}

// person shows the user u (or, when the finder left it out, their id).
func person(u *convene.User, id int64, viewer convene.Actor) *UserJSON {
	if u == nil {
		return &UserJSON{ID: httpd.FormatID(id), AvatarURL: avatarURL(id)}
	}
	return userView(u, viewer)
}

func (s *Server) noteView(n *convene.Note, a convene.Actor) NoteJSON {
	return NoteJSON{
		ID: httpd.FormatID(n.ID), Title: n.Title, Body: n.Body, BodyHTML: s.markdown.Render(n.Body), Version: n.Version,
		Author: person(n.Author, n.AuthorID, a), UpdatedBy: person(n.Updater, n.UpdatedBy, a),
		CreatedAt: timeJSON(n.CreatedAt), UpdatedAt: timeJSON(n.UpdatedAt),
	}
}

func (s *Server) noteAnswer(n *convene.Note, a convene.Actor) *noteOutput {
	return &noteOutput{ETag: `"` + strconv.FormatInt(n.Version, 10) + `"`, Body: s.noteView(n, a)}
}

func (s *Server) listNotes(ctx context.Context, in *listNotesInput) (*pageOutput[NoteJSON], error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermReadContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	notes, next, err := s.store.FindNotes(ctx, x.ID, in.Limit, in.Cursor)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(notes, next, func(n *convene.Note) NoteJSON { return s.noteView(n, a) }), nil
}

func (s *Server) createNote(ctx context.Context, in *createNoteInput) (*noteOutput, error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermWriteContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	n := &convene.Note{SessionID: x.ID, Title: in.Body.Title, Body: in.Body.Body}
	if err := s.store.CreateNote(ctx, n); err != nil {
		return nil, s.Err(ctx, err)
	}
	return s.noteAnswer(n, a), nil
}

func (s *Server) getNote(ctx context.Context, in *notePath) (*noteOutput, error) {
	a, x, noteID, err := s.note(ctx, in.ID, in.NoteID, convene.PermReadContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	n, err := s.store.FindNoteByID(ctx, x.ID, noteID)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return s.noteAnswer(n, a), nil
}

func (s *Server) updateNote(ctx context.Context, in *updateNoteInput) (*noteOutput, error) {
	a, x, noteID, err := s.note(ctx, in.ID, in.NoteID, convene.PermWriteContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	version, err := ifMatch(in.IfMatch)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	n, err := s.store.UpdateNote(ctx, x.ID, noteID, version, convene.NoteUpdate{Title: in.Body.Title, Body: in.Body.Body})
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return s.noteAnswer(n, a), nil
}

func (s *Server) deleteNote(ctx context.Context, in *deleteNoteInput) (*struct{}, error) {
	_, x, noteID, err := s.note(ctx, in.ID, in.NoteID, convene.PermWriteContent)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	version, err := ifMatch(in.IfMatch)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return nil, s.Err(ctx, s.store.DeleteNote(ctx, x.ID, noteID, version))
}

// note finds the session of a note path, checking perm, and the note's id.
func (s *Server) note(ctx context.Context, sessionID, noteID string, perm convene.Permission) (convene.Actor, *convene.Session, int64, error) {
	a, x, err := s.Session(ctx, sessionID, perm)
	if err != nil {
		return a, nil, 0, err
	}
	id, err := httpd.PathID(noteID, "note")
	return a, x, id, err
}

// ifMatch reads the version an If-Match header names: 0 (428 from the
// store) when there is none; EPRECONDITION for a tag that is no version
// of ours, which can match no note.
func ifMatch(h string) (int64, error) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(h, "W/"), `"`), 10, 64)
	if err != nil || v <= 0 {
		return 0, convene.Errorf(convene.EPRECONDITION, "If-Match %q names no version of this note", h)
	}
	return v, nil
}
