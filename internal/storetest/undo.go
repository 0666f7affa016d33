package storetest

import (
	"context"
	"testing"

	"convene"
)

func testUndo(t *testing.T, open Opener) {
	t.Run("RevertsWhatIsStillAsLeft", func(t *testing.T) { testUndoReverts(t, open) })
	t.Run("LaterBatchKeepsPair", func(t *testing.T) { testUndoLaterBatch(t, open) })
	t.Run("Refusals", func(t *testing.T) { testUndoRefusals(t, open) })
	t.Run("DeletedSessionAndSessionAdmin", func(t *testing.T) { testUndoDeletedSession(t, open) })
	t.Run("ReplayAfterUndo", func(t *testing.T) { testUndoReplay(t, open) })
}

// undo runs UndoBatch as actor and fails t on error.
func (f *Fixture) undo(t testing.TB, actor *convene.User, batchID int64) *convene.Undo {
	t.Helper()
	u, err := f.Store.UndoBatch(As(actor), batchID)
	if err != nil {
		t.Fatalf("UndoBatch(%d): %v", batchID, err)
	}
	return u
}

// undoOutcomes maps "user/session" to the undo's outcome of that pair,
// leaving out the pairs the batch did not change.
func undoOutcomes(u *convene.Undo) map[[2]int64]convene.UndoOutcome {
	got := map[[2]int64]convene.UndoOutcome{}
	for _, r := range u.Results {
		for j, o := range r.Outcomes {
			if o != "" {
				got[[2]int64{r.UserID, u.SessionIDs[j]}] = o
			}
		}
	}
	return got
}

func testUndoReverts(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Users(t, "p", 5)
	ss := f.Sessions(t, f.Admin, 2)
	s0, s1 := ss[0].ID, ss[1].ID
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s0}, Contacts: []string{p[1].Email}, Access: convene.AccessView})
	contacts := append(emails(p), f.Admin.Email, "nobody@acme.test")
	b := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: contacts, Access: convene.AccessCollaborate})
	if want := (convene.Counts{Added: 9, Upgraded: 1, Unchanged: 2, Skipped: 1}); b.Counts != want {
		t.Fatalf("grant counts %+v, want %+v", b.Counts, want)
	}
	// Changed since, by hand: these pairs must be kept, even p2's, whose
	// access went down and back up to what the batch gave.
	for _, a := range []convene.Access{convene.AccessView, convene.AccessCollaborate} {
		if _, err := f.Store.SetAccess(As(f.Admin), s0, p[2].ID, a); err != nil {
			t.Fatalf("SetAccess(%s): %v", a, err)
		}
	}
	if err := f.Store.RemoveMember(As(f.Admin), s0, p[3].ID); err != nil {
		t.Fatalf("RemoveMember: %v", err)
	}
	for _, to := range []*convene.User{p[4], f.Admin} { // p4 owned s1 for a while
		if err := f.Store.TransferOwnership(As(f.Admin), s1, to.ID); err != nil {
			t.Fatalf("TransferOwnership(%s): %v", to.Name, err)
		}
	}
	jobsBefore := len(f.Jobs(t))

	u := f.undo(t, f.Admin, b.ID)
	if want := (convene.UndoCounts{Removed: 6, Downgraded: 1, Kept: 3}); u.Counts != want {
		t.Errorf("undo counts %+v, want %+v", u.Counts, want)
	}
	if u.BatchID != b.ID || u.UndoneAt.IsZero() || u.UndoneBy != f.Admin.ID {
		t.Errorf("undo = batch %d at %v by %d, want batch %d, a time, by %d", u.BatchID, u.UndoneAt, u.UndoneBy, b.ID, f.Admin.ID)
	}
	if got, want := len(u.Results), 6; got != want {
		t.Errorf("%d results, want %d: one per registered person", got, want)
	}
	wantOutcomes := map[[2]int64]convene.UndoOutcome{
		{p[0].ID, s0}: convene.UndoRemoved, {p[0].ID, s1}: convene.UndoRemoved,
		{p[1].ID, s0}: convene.UndoDowngraded, {p[1].ID, s1}: convene.UndoRemoved,
		{p[2].ID, s0}: convene.UndoKept, {p[2].ID, s1}: convene.UndoRemoved,
		{p[3].ID, s0}: convene.UndoKept, {p[3].ID, s1}: convene.UndoRemoved,
		{p[4].ID, s0}: convene.UndoRemoved, {p[4].ID, s1}: convene.UndoKept,
	}
	if got := undoOutcomes(u); !mapsEqual(got, wantOutcomes) {
		t.Errorf("outcomes %v, want %v", got, wantOutcomes)
	}
	wantAccess := map[int64]map[int64]convene.Access{
		s0: {f.Admin.ID: convene.AccessOwner, p[1].ID: convene.AccessView, p[2].ID: convene.AccessCollaborate},
		s1: {f.Admin.ID: convene.AccessOwner, p[4].ID: convene.AccessCollaborate},
	}
	for sid, want := range wantAccess {
		if got := f.Access(t, sid); !mapsEqual(got, want) {
			t.Errorf("session %d after undo: %v, want %v", sid, got, want)
		}
	}

	events := f.auditEvents(t, convene.AuditFilter{BatchID: b.ID})
	if got := countAction(events, convene.AuditMemberRemoved); got != 6 {
		t.Errorf("%d %s events with the batch id, want 6", got, convene.AuditMemberRemoved)
	}
	for _, e := range events {
		if e.Action == convene.AuditAccessChanged &&
			(e.UserID != p[1].ID || e.SessionID != s0 || e.Before != "collaborate" || e.After != "view" || e.ActorID != f.Admin.ID) {
			t.Errorf("access change event %+v, want p1 in s0 collaborate -> view by the admin", *e)
		}
	}
	if got := countAction(events, convene.AuditAccessChanged); got != 1 {
		t.Errorf("%d %s events with the batch id, want 1", got, convene.AuditAccessChanged)
	}
	if got := len(f.Jobs(t)); got != jobsBefore {
		t.Errorf("%d jobs after the undo, want %d: an undo notifies nobody", got, jobsBefore)
	}
	got, err := f.Store.FindBatch(f.Sys(), b.ID)
	if err != nil {
		t.Fatalf("FindBatch: %v", err)
	}
	if !got.UndoneAt.Equal(u.UndoneAt) || got.UndoneBy != f.Admin.ID || got.Counts != b.Counts {
		t.Errorf("FindBatch after undo: undone %v by %d, counts %+v; want %v by %d, the original counts %+v",
			got.UndoneAt, got.UndoneBy, got.Counts, u.UndoneAt, f.Admin.ID, b.Counts)
	}

	before := f.take(t, ids(ss))
	_, err = f.Store.UndoBatch(As(f.Admin), b.ID)
	wantCode(t, err, convene.ECONFLICT)
	f.same(t, before, ids(ss))
}

// testUndoLaterBatch: a pair a later batch upgraded belongs to that batch.
func testUndoLaterBatch(t *testing.T, open Opener) {
	f := newFixture(t, open)
	q := f.User(t, "Quinn", "quinn@acme.test", "", convene.RoleMember)
	ss := f.Sessions(t, f.Admin, 2)
	s0, s1 := ss[0].ID, ss[1].ID
	first := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: []string{q.Email}, Access: convene.AccessView})
	later := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s0}, Contacts: []string{q.Email}, Access: convene.AccessCollaborate})

	u := f.undo(t, f.Admin, first.ID)
	want := map[[2]int64]convene.UndoOutcome{{q.ID, s0}: convene.UndoKept, {q.ID, s1}: convene.UndoRemoved}
	if got := undoOutcomes(u); !mapsEqual(got, want) {
		t.Errorf("undo of the first batch: %v, want %v", got, want)
	}
	if got := f.Access(t, s0)[q.ID]; got != convene.AccessCollaborate {
		t.Errorf("after undoing the first batch, s0: %q, want collaborate (the later batch's)", got)
	}
	u = f.undo(t, f.Admin, later.ID)
	if want := (convene.UndoCounts{Downgraded: 1}); u.Counts != want {
		t.Errorf("undo of the later batch: %+v, want %+v", u.Counts, want)
	}
	if got := f.Access(t, s0)[q.ID]; got != convene.AccessView {
		t.Errorf("after undoing both, s0: %q, want view", got)
	}
}

func testUndoRefusals(t *testing.T, open Opener) {
	f := newFixture(t, open)
	other := AddTenant(t, f.Store, "globex")
	p := f.Users(t, "p", 2)
	sadmin := f.User(t, "Sam", "sam@acme.test", "", convene.RoleSessionAdmin)
	ss := f.Sessions(t, f.Admin, 2)
	b := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: emails(p), Access: convene.AccessView})
	// A Session Admin's batch, then demoted: they still see it, but may no
	// longer manage the sessions.
	mine := f.Grant(t, sadmin, convene.GrantRequest{SessionIDs: ids(ss[:1]), Contacts: []string{f.User(t, "Ann", "ann@acme.test", "", convene.RoleMember).Email}})
	member := convene.RoleMember
	demoted, err := f.Store.UpdateUser(f.Sys(), sadmin.ID, convene.UserUpdate{Role: &member})
	if err != nil {
		t.Fatalf("UpdateUser: %v", err)
	}

	tests := []struct {
		name string
		ctx  context.Context
		id   int64
		want string
	}{
		{"NoActor", context.Background(), b.ID, convene.EUNAUTHORIZED},
		{"OtherTenantsAdmin", As(other.Admin), b.ID, convene.ENOTFOUND},
		{"MemberNotAdmin", As(p[0]), b.ID, convene.ENOTFOUND},
		{"UnknownBatch", As(f.Admin), b.ID + 1000, convene.ENOTFOUND},
		{"DemotedActor", As(demoted), mine.ID, convene.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.take(t, ids(ss))
			_, err := f.Store.UndoBatch(tt.ctx, tt.id)
			wantCode(t, err, tt.want)
			f.same(t, before, ids(ss))
			for _, id := range []int64{b.ID, mine.ID} {
				if got, err := f.Store.FindBatch(f.Sys(), id); err != nil || !got.UndoneAt.IsZero() {
					t.Errorf("FindBatch(%d) after a refused undo: %v, undone at %v; want not undone", id, err, got.UndoneAt)
				}
			}
		})
	}
}

// testUndoDeletedSession: a Session Admin undoes the Tenant Admin's batch,
// one of whose sessions was deleted since: it is skipped, its pairs kept.
func testUndoDeletedSession(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Users(t, "p", 2)
	sadmin := f.User(t, "Sam", "sam@acme.test", "", convene.RoleSessionAdmin)
	ss := f.Sessions(t, f.Admin, 3)
	b := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss), Contacts: emails(p), Access: convene.AccessCollaborate})
	if err := f.Store.DeleteSession(As(f.Admin), ss[2].ID); err != nil {
		t.Fatalf("DeleteSession: %v", err)
	}
	u := f.undo(t, sadmin, b.ID)
	if want := (convene.UndoCounts{Removed: 4, Kept: 2}); u.Counts != want {
		t.Errorf("undo counts %+v, want %+v", u.Counts, want)
	}
	for _, s := range ss[:2] {
		if got, want := f.Access(t, s.ID), map[int64]convene.Access{f.Admin.ID: convene.AccessOwner}; !mapsEqual(got, want) {
			t.Errorf("session %d after undo: %v, want only the owner", s.ID, got)
		}
	}
	if got := countAction(f.auditEvents(t, convene.AuditFilter{BatchID: b.ID}), convene.AuditMemberRemoved); got != 4 {
		t.Errorf("%d removal events, want 4", got)
	}
}

// testUndoReplay: the batch's idempotency key still answers the original
// result after an undo, and applies nothing again.
func testUndoReplay(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Users(t, "p", 2)
	ss := f.Sessions(t, f.Admin, 2)
	req := convene.GrantRequest{SessionIDs: ids(ss), Contacts: emails(p), Access: convene.AccessCollaborate, IdempotencyKey: "undo-key"}
	b := f.Grant(t, f.Admin, req)
	f.undo(t, f.Admin, b.ID)

	before := f.take(t, ids(ss))
	again := f.Grant(t, f.Admin, req)
	if again.ID != b.ID || again.Counts != b.Counts || again.UndoneAt.IsZero() {
		t.Errorf("replay after undo: batch %d counts %+v undone %v; want batch %d counts %+v, undone", again.ID, again.Counts, again.UndoneAt, b.ID, b.Counts)
	}
	f.same(t, before, ids(ss))
}
