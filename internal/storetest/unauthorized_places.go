package storetest

import (
	"context"
	"strings"
	"testing"

	"convene"
)

// placeCalls calls the methods of what a session holds (notes, messages,
// files, its event log) on a note, a message and a file that f's admin
// made in s, so that each call would succeed for the admin.
func placeCalls(t *testing.T, f *Fixture, s *convene.Session) map[string]func(ctx context.Context) error {
	admin := As(f.Admin)
	n := &convene.Note{SessionID: s.ID, Title: "Agenda", Body: "first"}
	m := &convene.Message{SessionID: s.ID, Body: "hello"}
	file := &convene.File{SessionID: s.ID, Name: "a.txt", ContentType: "text/plain"}
	if err := f.Store.CreateNote(admin, n); err != nil {
		t.Fatalf("CreateNote: %v", err)
	}
	if err := f.Store.PostMessage(admin, m); err != nil {
		t.Fatalf("PostMessage: %v", err)
	}
	if err := f.Store.PutFile(admin, file, strings.NewReader("abc"), 1<<20); err != nil {
		t.Fatalf("PutFile: %v", err)
	}
	st, body := f.Store, "changed"
	return map[string]func(ctx context.Context) error{
		"CreateNote":   func(ctx context.Context) error { return st.CreateNote(ctx, &convene.Note{SessionID: s.ID, Title: "X"}) },
		"FindNotes":    func(ctx context.Context) error { _, _, err := st.FindNotes(ctx, s.ID, 10, ""); return err },
		"FindNoteByID": func(ctx context.Context) error { _, err := st.FindNoteByID(ctx, s.ID, n.ID); return err },
		"UpdateNote": func(ctx context.Context) error {
			_, err := st.UpdateNote(ctx, s.ID, n.ID, n.Version, convene.NoteUpdate{Body: &body})
			return err
		},
		"DeleteNote": func(ctx context.Context) error { return st.DeleteNote(ctx, s.ID, n.ID, n.Version) },
		"PostMessage": func(ctx context.Context) error {
			return st.PostMessage(ctx, &convene.Message{SessionID: s.ID, Body: "X"})
		},
		"FindMessages": func(ctx context.Context) error { _, _, err := st.FindMessages(ctx, s.ID, 10, ""); return err },
		"FindRecentMessages": func(ctx context.Context) error {
			_, _, err := st.FindRecentMessages(ctx, s.ID, 10, "")
			return err
		},
		"DeleteMessage": func(ctx context.Context) error { return st.DeleteMessage(ctx, s.ID, m.ID) },
		"PutFile": func(ctx context.Context) error {
			return st.PutFile(ctx, &convene.File{SessionID: s.ID, Name: "x.txt"}, strings.NewReader("x"), 1<<20)
		},
		"FindFiles": func(ctx context.Context) error { _, _, err := st.FindFiles(ctx, s.ID, 10, ""); return err },
		"OpenFile": func(ctx context.Context) error {
			_, rc, err := st.OpenFile(ctx, s.ID, file.ID)
			if rc != nil {
				rc.Close()
			}
			return err
		},
		"DeleteFile":         func(ctx context.Context) error { return st.DeleteFile(ctx, s.ID, file.ID) },
		"SessionEventsAfter": func(ctx context.Context) error { _, err := st.SessionEventsAfter(ctx, s.ID, 0, 10); return err },
		"LastSessionEvent":   func(ctx context.Context) error { _, err := st.LastSessionEvent(ctx, s.ID); return err },
		"MembersAccess": func(ctx context.Context) error {
			_, err := st.MembersAccess(ctx, s.ID, []int64{s.OwnerID})
			return err
		},
	}
}
