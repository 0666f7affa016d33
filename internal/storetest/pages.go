package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"convene"
	"convene/internal/poll"
)

// pageCacher is what a store with a sessions page cache tells tests.
type pageCacher interface {
	PageCached(ctx context.Context, f convene.SessionFilter) bool
}

// pageWrite is a kind of write that changes the sessions page: do makes
// it, seen says whether a page shows it.
type pageWrite struct {
	name string
	do   func(t *testing.T, f *Fixture, w *pageWorld)
	seen func(page *convene.SessionPage, w *pageWorld) bool
}

// readAsMember names the pageWrites seen by w.p[1] (a member of w.s)
// only: the others are read by the admin.
var readAsMember = map[string]bool{"SetAccess": true}

// pageWorld is what a pageWrite starts from: a session s of p[0] (a
// Session Admin) with p[1] added by the batch grant; p[2] is no member.
type pageWorld struct {
	s     *convene.Session
	p     []*convene.User
	grant *convene.Batch
}

// sessionOf is the session id's row of page, nil when it has none.
func sessionOf(page *convene.SessionPage, id int64) *convene.Session {
	if i := slices.IndexFunc(page.Sessions, func(x *convene.Session) bool { return x.ID == id }); i >= 0 {
		return page.Sessions[i]
	}
	return nil
}

func membersOf(n int) func(*convene.SessionPage, *pageWorld) bool {
	return func(page *convene.SessionPage, w *pageWorld) bool {
		x := sessionOf(page, w.s.ID)
		return x != nil && x.MemberCount == n
	}
}

func ownerIs(ok func(*convene.User) bool) func(*convene.SessionPage, *pageWorld) bool {
	return func(page *convene.SessionPage, w *pageWorld) bool {
		x := sessionOf(page, w.s.ID)
		return x != nil && x.Owner != nil && ok(x.Owner)
	}
}

func ptr[T any](v T) *T { return &v }

// pageWrites are the writes after which the next page must differ. Each
// starts from a session s of the owner p[0] with p[1] as a viewer.
var pageWrites = []pageWrite{
	{"CreateSession", func(t *testing.T, f *Fixture, w *pageWorld) { f.Session(t, f.Admin, "Fresh one") },
		func(page *convene.SessionPage, w *pageWorld) bool {
			return page.Total == 2 && page.Sessions[0].Title == "Fresh one"
		}},
	{"UpdateSessionTitle", func(t *testing.T, f *Fixture, w *pageWorld) {
		f.updateSession(t, w.s, convene.SessionUpdate{Title: ptr("Renamed")})
	}, func(page *convene.SessionPage, w *pageWorld) bool { return sessionOf(page, w.s.ID).Title == "Renamed" }},
	{"ArchiveSession", func(t *testing.T, f *Fixture, w *pageWorld) {
		f.updateSession(t, w.s, convene.SessionUpdate{Archived: ptr(true)})
	}, func(page *convene.SessionPage, w *pageWorld) bool { return sessionOf(page, w.s.ID).Archived }},
	{"DeleteSession", func(t *testing.T, f *Fixture, w *pageWorld) {
		if err := f.Store.DeleteSession(As(f.Admin), w.s.ID); err != nil {
			t.Fatalf("DeleteSession: %v", err)
		}
	}, func(page *convene.SessionPage, w *pageWorld) bool { return len(page.Sessions) == 0 && page.Total == 0 }},
	{"GrantBatch", func(t *testing.T, f *Fixture, w *pageWorld) {
		f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{w.s.ID}, Contacts: []string{w.p[2].Email}})
	}, membersOf(3)},
	{"UndoBatch", func(t *testing.T, f *Fixture, w *pageWorld) {
		f.undo(t, f.Admin, w.grant.ID)
	}, membersOf(1)},
	{"SetAccess", func(t *testing.T, f *Fixture, w *pageWorld) {
		if _, err := f.Store.SetAccess(As(f.Admin), w.s.ID, w.p[1].ID, convene.AccessView); err != nil {
			t.Fatalf("SetAccess: %v", err)
		}
	}, func(page *convene.SessionPage, w *pageWorld) bool {
		return sessionOf(page, w.s.ID).MyAccess == convene.AccessView
	}},
	{"RemoveMember", func(t *testing.T, f *Fixture, w *pageWorld) {
		if err := f.Store.RemoveMember(As(f.Admin), w.s.ID, w.p[1].ID); err != nil {
			t.Fatalf("RemoveMember: %v", err)
		}
	}, membersOf(1)},
	{"TransferOwnership", func(t *testing.T, f *Fixture, w *pageWorld) {
		if err := f.Store.TransferOwnership(As(f.Admin), w.s.ID, w.p[1].ID); err != nil {
			t.Fatalf("TransferOwnership: %v", err)
		}
	}, func(page *convene.SessionPage, w *pageWorld) bool {
		return sessionOf(page, w.s.ID).OwnerID != w.s.OwnerID
	}},
	{"RenameOwner", func(t *testing.T, f *Fixture, w *pageWorld) {
		f.updateUser(t, w.p[0], convene.UserUpdate{Name: ptr("Renamed Owner")})
	}, ownerIs(func(u *convene.User) bool { return u.Name == "Renamed Owner" })},
	{"DisableOwner", func(t *testing.T, f *Fixture, w *pageWorld) { f.Disable(t, w.p[0]) },
		ownerIs(func(u *convene.User) bool { return u.Disabled })},
	{"OwnerAvatar", func(t *testing.T, f *Fixture, w *pageWorld) {
		if err := f.Store.SetAvatar(As(w.p[0]), w.p[0].ID, "image/png", []byte("png")); err != nil {
			t.Fatalf("SetAvatar: %v", err)
		}
	}, ownerIs(func(u *convene.User) bool { return u.HasAvatar })},
}

// testPageCache: every kind of write that changes a sessions page is seen
// by the next read of that page on the same store, the page having been
// served from the cache (where the store has one) just before.
func testPageCache(t *testing.T, open Opener) {
	for _, write := range pageWrites {
		t.Run(write.name, func(t *testing.T) {
			f := newFixture(t, open)
			p := f.Users(t, "p", 3)
			f.updateUser(t, p[0], convene.UserUpdate{Role: ptr(convene.RoleSessionAdmin)})
			world := &pageWorld{s: f.Session(t, p[0], "Planning"), p: p}
			world.grant = f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{world.s.ID}, Contacts: []string{p[1].Email}})
			reader, filter := f.Admin, convene.SessionFilter{Limit: 10}
			if readAsMember[write.name] {
				reader = p[1]
			}
			if write.seen(f.cachedPage(t, reader, filter), world) {
				t.Fatalf("the page shows %s before it was made", write.name)
			}
			write.do(t, f, world)
			if got := f.page(t, reader, filter); !write.seen(got, world) {
				t.Errorf("after %s the next page is %+v (first %+v): the write is not seen", write.name, got, got.Sessions)
			}
		})
	}
	t.Run("CallersCannotChangeIt", func(t *testing.T) { testPageCopies(t, open) })
}

// testPageCopies: a caller that changes the page it got does not change
// what the next caller gets.
func testPageCopies(t *testing.T, open Opener) {
	f := newFixture(t, open)
	f.Session(t, f.Admin, "Planning")
	filter := convene.SessionFilter{Limit: 10}
	got := f.cachedPage(t, f.Admin, filter)
	got.Sessions[0].Title, got.Sessions[0].Owner.Name, got.Total = "Changed", "Changed", 99
	got.Sessions = got.Sessions[:0]
	if again := f.page(t, f.Admin, filter); len(again.Sessions) != 1 || again.Sessions[0].Title != "Planning" || again.Sessions[0].Owner.Name != f.Admin.Name || again.Total != 1 {
		t.Errorf("after a caller changed its page the next is %+v, want the one session as stored", again)
	}
}

// page is reader's page of filter.
func (f *Fixture) page(t testing.TB, reader *convene.User, filter convene.SessionFilter) *convene.SessionPage {
	t.Helper()
	p, err := f.Store.FindSessionsPage(As(reader), filter)
	if err != nil {
		t.Fatalf("FindSessionsPage: %v", err)
	}
	return p
}

// cachedPage reads reader's page of filter until the store keeps it
// cached (on PostgreSQL, once its listener hears of writes), and returns it.
func (f *Fixture) cachedPage(t testing.TB, reader *convene.User, filter convene.SessionFilter) *convene.SessionPage {
	t.Helper()
	c, ok := f.Store.(pageCacher)
	p := f.page(t, reader, filter)
	if !ok {
		return p
	}
	poll.Until(t, 10*time.Second, "the page to be cached", func() bool {
		p = f.page(t, reader, filter)
		return c.PageCached(As(reader), filter)
	})
	return p
}

func (f *Fixture) updateSession(t testing.TB, s *convene.Session, upd convene.SessionUpdate) {
	t.Helper()
	if _, err := f.Store.UpdateSession(As(f.Admin), s.ID, upd); err != nil {
		t.Fatalf("UpdateSession: %v", err)
	}
}

func (f *Fixture) updateUser(t testing.TB, u *convene.User, upd convene.UserUpdate) {
	t.Helper()
	if _, err := f.Store.UpdateUser(As(f.Admin), u.ID, upd); err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}
}
