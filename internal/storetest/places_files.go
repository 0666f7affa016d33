package storetest

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"convene"
)

func testFiles(t *testing.T, open Opener) {
	p := newPlace(t, open)
	data := bytes.Repeat([]byte("0123456789abcdef"), 40_000) // 640,000 bytes: three chunks
	f := &convene.File{SessionID: p.s.ID, Name: "data.bin", ContentType: "application/octet-stream"}
	if err := p.Store.PutFile(As(p.collab), f, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatalf("PutFile at the limit: %v", err)
	}
	if f.Size != int64(len(data)) || f.ID == 0 {
		t.Fatalf("PutFile: %+v", f)
	}
	got, rc, err := p.Store.OpenFile(As(p.guestV), p.s.ID, f.ID)
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || !bytes.Equal(back, data) || got.Name != "data.bin" {
		t.Fatalf("read back %d bytes (%v), want the %d written", len(back), err, len(data))
	}
	overLimit := &convene.File{SessionID: p.s.ID, Name: "big.bin"}
	wantCode(t, p.Store.PutFile(As(p.collab), overLimit, bytes.NewReader(data), int64(len(data))-1), convene.ETOOLARGE)
	wantCode(t, p.Store.PutFile(As(p.viewer), &convene.File{SessionID: p.s.ID, Name: "v.txt"}, bytes.NewReader([]byte("x")), 10), convene.EFORBIDDEN)
	wantCode(t, p.Store.PutFile(As(p.stranger), &convene.File{SessionID: p.s.ID, Name: "s.txt"}, bytes.NewReader([]byte("x")), 10), convene.ENOTFOUND)
	wantCode(t, p.Store.PutFile(As(p.collab), &convene.File{SessionID: p.s.ID, Name: "../../x"}, bytes.NewReader([]byte("x")), 10), convene.EINVALID)
	files, _, err := p.Store.FindFiles(As(p.viewer), p.s.ID, 0, "")
	if err != nil || len(files) != 1 || files[0].ID != f.ID {
		t.Fatalf("FindFiles = %v, %v; want only %d", files, err, f.ID)
	}
	p.wantChunks(t, 3)
	wantCode(t, p.Store.DeleteFile(As(p.viewer), p.s.ID, f.ID), convene.EFORBIDDEN)
	wantCode(t, p.Store.DeleteFile(As(p.owner), p.s.ID, f.ID), "")
	_, _, err = p.Store.OpenFile(As(p.owner), p.s.ID, f.ID)
	wantCode(t, err, convene.ENOTFOUND)
	p.wantChunks(t, 0)
	p.wantAudit(t, convene.AuditFileUploaded, p.s.ID, 0, 1)
	p.wantAudit(t, convene.AuditFileDeleted, p.s.ID, 0, 1)
}

// wantChunks fails t unless the store holds n file chunks and only
// complete files: a refused upload leaves nothing.
func (p *place) wantChunks(t testing.TB, n int) {
	t.Helper()
	read, _ := databases(t, p.Store)
	var chunks, incomplete int
	if err := read.QueryRow(`SELECT (SELECT COUNT(*) FROM file_chunks), (SELECT COUNT(*) FROM files WHERE NOT complete)`).Scan(&chunks, &incomplete); err != nil {
		t.Fatal(err)
	}
	if chunks != n || incomplete != 0 {
		t.Errorf("%d chunks and %d incomplete files, want %d and none", chunks, incomplete, n)
	}
}

func testPlaceEventsAndAudit(t *testing.T, open Opener) {
	p := newPlace(t, open)
	ctx := As(p.owner)
	head, err := p.Store.LastSessionEvent(p.Sys(), p.s.ID) // after the member.changed of the place's two grants
	if err != nil || head != 2 {
		t.Fatalf("LastSessionEvent = %d, %v; want the 2 of the place's grants", head, err)
	}
	n := p.note(t, p.collab, "N")
	body := "changed"
	if _, err := p.Store.UpdateNote(ctx, p.s.ID, n.ID, 1, convene.NoteUpdate{Body: &body}); err != nil {
		t.Fatal(err)
	}
	if err := p.Store.DeleteNote(ctx, p.s.ID, n.ID, 2); err != nil {
		t.Fatal(err)
	}
	title := "Renamed"
	if _, err := p.Store.UpdateSession(ctx, p.s.ID, convene.SessionUpdate{Title: &title}); err != nil {
		t.Fatal(err)
	}
	if err := p.Store.RemoveMember(ctx, p.s.ID, p.viewer.ID); err != nil {
		t.Fatal(err)
	}
	if err := p.Store.DeleteSession(ctx, p.s.ID); err != nil {
		t.Fatal(err)
	}
	evs, err := p.Store.SessionEventsAfter(p.Sys(), p.s.ID, head, 100)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{convene.EventNoteCreated, convene.EventNoteUpdated, convene.EventNoteDeleted, convene.EventSessionUpdated,
		convene.EventMemberChanged, convene.EventAccess, convene.EventSessionDeleted, convene.EventAccess}
	if got := eventNames(evs); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("events = %v, want %v", got, want)
	}
	for i, e := range evs {
		if e.ID != head+int64(i+1) || e.TenantID != p.Tenant.ID {
			t.Errorf("event %d: id %d tenant %d", i, e.ID, e.TenantID)
		}
	}
	if evs[5].UserID != p.viewer.ID || string(evs[5].Data) != `{"access":"none"}` || evs[7].UserID != 0 {
		t.Errorf("access events: %+v, %+v", evs[5], evs[7])
	}
	other := AddTenant(t, p.Store, "other")
	if evs, _ := p.Store.SessionEventsAfter(other.Sys(), p.s.ID, 0, 100); len(evs) != 0 {
		t.Errorf("another tenant reads %d events", len(evs))
	}
	p.wantAudit(t, convene.AuditSessionRenamed, p.s.ID, 0, 1)
	p.wantAudit(t, convene.AuditSessionDeleted, p.s.ID, 0, 1)
}
