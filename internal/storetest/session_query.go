package storetest

import (
	"slices"
	"testing"

	"convene"
)

// testSelectByQuery checks session_query (contract section 15): the
// sessions matching when the call is applied, a bound of 1,000, and
// exactly one way of choosing sessions.
func testSelectByQuery(t *testing.T, open Opener) {
	t.Run("AsTheDatabaseHasThem", func(t *testing.T) { testQueryAsStored(t, open) })
	t.Run("MoreThanTheBound", func(t *testing.T) { testQueryTooMany(t, open) })
	t.Run("IdsOrQuery", func(t *testing.T) { testQueryIdsOrQuery(t, open) })
	t.Run("Replay", func(t *testing.T) { testQueryReplay(t, open) })
}

// titled creates one session owned by owner per title.
func (f *Fixture) titled(t testing.TB, owner *convene.User, titles ...string) []*convene.Session {
	t.Helper()
	ss := make([]*convene.Session, len(titles))
	for i, title := range titles {
		ss[i] = f.Session(t, owner, title)
	}
	return ss
}

func queryGrant(q string, contacts ...string) convene.GrantRequest {
	return convene.GrantRequest{SessionQuery: &convene.SessionQuery{Q: q}, Contacts: contacts, Access: convene.AccessView}
}

func wantSessions(t testing.TB, b *convene.Batch, want ...*convene.Session) {
	t.Helper()
	got := slices.Sorted(slices.Values(b.SessionIDs))
	if w := slices.Sorted(slices.Values(ids(want))); !slices.Equal(got, w) {
		t.Errorf("batch sessions %v, want %v", got, w)
	}
}

// testQueryAsStored: a session created, and one deleted, between two
// calls with the same query count as the database has them at the second.
func testQueryAsStored(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Member(t, "pia")
	ss := f.titled(t, f.Admin, "Roadmap spring", "Roadmap summer", "Budget")
	first := f.Grant(t, f.Admin, queryGrant("ROADMAP", p.Email))
	wantSessions(t, first, ss[0], ss[1])
	if got, want := first.Counts, (convene.Counts{Added: 2}); got != want {
		t.Errorf("first call: counts %+v, want %+v", got, want)
	}

	autumn := f.Session(t, f.Admin, "Roadmap autumn")
	if err := f.Store.DeleteSession(As(f.Admin), ss[0].ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	second := f.Grant(t, f.Admin, queryGrant("roadmap", p.Email))
	wantSessions(t, second, ss[1], autumn)
	if got, want := second.Counts, (convene.Counts{Added: 1, Unchanged: 1}); got != want {
		t.Errorf("second call: counts %+v, want %+v", got, want)
	}
	if got := f.Access(t, autumn.ID)[p.ID]; got != convene.AccessView {
		t.Errorf("new session: access %q, want view", got)
	}
	if got := f.Access(t, ss[2].ID)[p.ID]; got != "" {
		t.Errorf("session not matching: access %q, want none", got)
	}
	_, err := f.Store.Grant(As(f.Admin), queryGrant("no such title", p.Email))
	wantCode(t, err, convene.EINVALID)
}

// testQueryTooMany: more than 1,000 matching sessions answer ETOOLARGE
// and nothing is applied; 1,000 are applied.
func testQueryTooMany(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Member(t, "pia")
	ss := f.Sessions(t, f.Admin, convene.MaxGrantSessions+1)
	before := f.take(t, ids(ss[:3]))
	_, err := f.Store.Grant(As(f.Admin), queryGrant("session", p.Email))
	wantCode(t, err, convene.ETOOLARGE)
	f.same(t, before, ids(ss[:3]))

	if err := f.Store.DeleteSession(As(f.Admin), ss[0].ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	b := f.Grant(t, f.Admin, queryGrant("", p.Email))
	if got := b.Counts.Added; got != convene.MaxGrantSessions {
		t.Errorf("1,000 matching: %d added, want %d", got, convene.MaxGrantSessions)
	}
}

// testQueryIdsOrQuery: session_ids and session_query together, or
// neither, are refused.
func testQueryIdsOrQuery(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Member(t, "pia")
	s := f.Session(t, f.Admin, "Plans")
	both := queryGrant("plans", p.Email)
	both.SessionIDs = []int64{s.ID}
	neither := queryGrant("", p.Email)
	neither.SessionQuery = nil
	for name, req := range map[string]convene.GrantRequest{"Both": both, "Neither": neither} {
		t.Run(name, func(t *testing.T) {
			_, err := f.Store.Grant(As(f.Admin), req)
			wantCode(t, err, convene.EINVALID)
		})
	}
	if got := f.Access(t, s.ID)[p.ID]; got != "" {
		t.Errorf("access %q after refused calls, want none", got)
	}
}

// testQueryReplay: the same key with the same query answers the first
// batch again, even when a session matching was created since; the key
// with ids instead is another request.
func testQueryReplay(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Member(t, "pia")
	ss := f.titled(t, f.Admin, "Plan 1", "Plan 2")
	req := queryGrant("plan", p.Email)
	req.IdempotencyKey = "q-1"
	first := f.Grant(t, f.Admin, req)
	late := f.Session(t, f.Admin, "Plan 3")
	again := f.Grant(t, f.Admin, req)
	if again.ID != first.ID {
		t.Errorf("replay: batch %d, want %d", again.ID, first.ID)
	}
	wantSessions(t, again, ss...)
	if got := f.Access(t, late.ID)[p.ID]; got != "" {
		t.Errorf("replay applied to a later session: access %q", got)
	}
	byIDs := convene.GrantRequest{SessionIDs: ids(ss), Contacts: req.Contacts, Access: req.Access, IdempotencyKey: req.IdempotencyKey}
	_, err := f.Store.Grant(As(f.Admin), byIDs)
	wantCode(t, err, convene.ECONFLICT)
}
