package storetest

import (
	"sync"
	"testing"

	"convene"
)

// testPlaces checks what a session holds (contract section 13): notes,
// messages and files, who may read and write them, optimistic concurrency,
// the race of a write with an access switch, and the event log.
func testPlaces(t *testing.T, open Opener) {
	t.Run("Permissions", func(t *testing.T) { testPlacePermissions(t, open) })
	t.Run("ConcurrentNoteEdits", func(t *testing.T) { testConcurrentNoteEdits(t, open) })
	t.Run("WriteRacesAccessSwitch", func(t *testing.T) { testWriteRacesSwitch(t, open) })
	t.Run("MessagesPaged", func(t *testing.T) { testMessagesPaged(t, open) })
	t.Run("Files", func(t *testing.T) { testFiles(t, open) })
	t.Run("EventsAndAudit", func(t *testing.T) { testPlaceEventsAndAudit(t, open) })
}

// place is a fixture with a session and one person of each kind.
type place struct {
	*Fixture
	s                                                   *convene.Session
	owner, collab, viewer, stranger, guestC, guestV, sa *convene.User
}

func newPlace(t testing.TB, open Opener) *place {
	t.Helper()
	f := newFixture(t, open)
	p := &place{Fixture: f,
		owner: f.Member(t, "owner"), collab: f.Member(t, "collab"), viewer: f.Member(t, "viewer"), stranger: f.Member(t, "stranger"),
		guestC: f.User(t, "GuestC", "guestc@acme.test", "", convene.RoleGuest), guestV: f.User(t, "GuestV", "guestv@acme.test", "", convene.RoleGuest),
		sa: f.User(t, "SA", "sa@acme.test", "", convene.RoleSessionAdmin)}
	p.s = f.Session(t, p.owner, "Place")
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{p.s.ID}, Contacts: []string{p.collab.Email, p.guestC.Email}, Access: convene.AccessCollaborate})
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{p.s.ID}, Contacts: []string{p.viewer.Email, p.guestV.Email}, Access: convene.AccessView})
	return p
}

func (p *place) note(t testing.TB, by *convene.User, title string) *convene.Note {
	t.Helper()
	n := &convene.Note{SessionID: p.s.ID, Title: title, Body: "body"}
	if err := p.Store.CreateNote(As(by), n); err != nil {
		t.Fatalf("CreateNote by %s: %v", by.Name, err)
	}
	return n
}

func testPlacePermissions(t *testing.T, open Opener) {
	p := newPlace(t, open)
	n := p.note(t, p.owner, "First")
	for _, tt := range []struct {
		who         *convene.User
		read, write string // the error codes; "" for allowed
	}{
		{p.owner, "", ""}, {p.collab, "", ""}, {p.guestC, "", ""}, {p.Admin, "", ""},
		{p.viewer, "", convene.EFORBIDDEN}, {p.guestV, "", convene.EFORBIDDEN}, {p.sa, "", convene.EFORBIDDEN},
		{p.stranger, convene.ENOTFOUND, convene.ENOTFOUND},
	} {
		t.Run(tt.who.Name, func(t *testing.T) {
			ctx := As(tt.who)
			_, _, err := p.Store.FindNotes(ctx, p.s.ID, 0, "")
			wantCode(t, err, tt.read)
			_, _, err = p.Store.FindMessages(ctx, p.s.ID, 0, "")
			wantCode(t, err, tt.read)
			_, err = p.Store.FindNoteByID(ctx, p.s.ID, n.ID)
			wantCode(t, err, tt.read)
			wantCode(t, p.Store.CreateNote(ctx, &convene.Note{SessionID: p.s.ID, Title: "by " + tt.who.Name}), tt.write)
			wantCode(t, p.Store.PostMessage(ctx, &convene.Message{SessionID: p.s.ID, Body: "hi"}), tt.write)
			cur, err := p.Store.FindNoteByID(As(p.owner), p.s.ID, n.ID)
			if err != nil {
				t.Fatal(err)
			}
			title := "by " + tt.who.Name
			_, err = p.Store.UpdateNote(ctx, p.s.ID, n.ID, cur.Version, convene.NoteUpdate{Title: &title})
			wantCode(t, err, tt.write)
		})
	}
}

func testConcurrentNoteEdits(t *testing.T, open Opener) {
	p := newPlace(t, open)
	n := p.note(t, p.owner, "Shared")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, who := range []*convene.User{p.owner, p.collab} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := "edit by " + who.Name
			_, errs[i] = p.Store.UpdateNote(As(who), p.s.ID, n.ID, n.Version, convene.NoteUpdate{Body: &body})
		}()
	}
	wg.Wait()
	codes := []string{convene.ErrorCode(errs[0]), convene.ErrorCode(errs[1])}
	if !(codes[0] == "" && codes[1] == convene.EPRECONDITION) && !(codes[1] == "" && codes[0] == convene.EPRECONDITION) {
		t.Fatalf("two edits of version %d: %v, want exactly one success and one %s", n.Version, errs, convene.EPRECONDITION)
	}
	got, err := p.Store.FindNoteByID(As(p.owner), p.s.ID, n.ID)
	if err != nil || got.Version != n.Version+1 {
		t.Fatalf("after the race: %+v, %v; want version %d", got, err, n.Version+1)
	}
	wantCode(t, p.Store.DeleteNote(As(p.owner), p.s.ID, n.ID, n.Version), convene.EPRECONDITION)
	wantCode(t, p.Store.DeleteNote(As(p.owner), p.s.ID, n.ID, 0), convene.EVERSIONREQUIRED)
	wantCode(t, p.Store.DeleteNote(As(p.owner), p.s.ID, n.ID, got.Version), "")
	_, err = p.Store.FindNoteByID(As(p.owner), p.s.ID, n.ID)
	wantCode(t, err, convene.ENOTFOUND)
}
