package storetest

import (
	"testing"

	"convene"
)

// testAccessChange checks the bulk access change (contract section 15)
// and its undo.
func testAccessChange(t *testing.T, open Opener) {
	t.Run("SetsEitherWayNeverTheOwner", func(t *testing.T) { testAccessChangeSets(t, open) })
	t.Run("Removes", func(t *testing.T) { testAccessChangeRemoves(t, open) })
	t.Run("KeepsOtherMembers", func(t *testing.T) { testAccessChangeKeepsOthers(t, open) })
	t.Run("UndoRestoresUnlessChangedSince", func(t *testing.T) { testAccessChangeUndo(t, open) })
	t.Run("UndoOfRemovalKeepsReadded", func(t *testing.T) { testAccessChangeUndoRemoval(t, open) })
	t.Run("Idempotent", func(t *testing.T) { testAccessChangeReplay(t, open) })
	t.Run("AllOrNothing", func(t *testing.T) { testAccessChangeRefusals(t, open) })
}

// accessScene is a tenant with two sessions of Olga's in which Carl
// collaborates and Vera views, and Nora, who is no member.
type accessScene struct {
	f                       *Fixture
	owner, carl, vera, nora *convene.User
	sessions                []*convene.Session
}

func newAccessScene(t *testing.T, open Opener) *accessScene {
	f := newFixture(t, open)
	sc := &accessScene{f: f, owner: f.Member(t, "olga"), carl: f.Member(t, "carl"), vera: f.Member(t, "vera"), nora: f.Member(t, "nora")}
	sc.sessions = []*convene.Session{f.Session(t, sc.owner, "Plans"), f.Session(t, sc.owner, "Budget")}
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(sc.sessions), Contacts: []string{sc.carl.Email}, Access: convene.AccessCollaborate})
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(sc.sessions), Contacts: []string{sc.vera.Email}, Access: convene.AccessView})
	f.wantMemberCounts(t, sc.sessions...)
	return sc
}

// change runs ChangeAccess as the Tenant Admin and fails t on error.
func (sc *accessScene) change(t testing.TB, action convene.AccessAction, people ...*convene.User) *convene.Batch {
	t.Helper()
	b, err := sc.f.Store.ChangeAccess(As(sc.f.Admin), convene.AccessChangeRequest{SessionIDs: ids(sc.sessions), Contacts: emails(people), Action: action})
	if err != nil {
		t.Fatalf("ChangeAccess(%s): %v", action, err)
	}
	return b
}

// wantAccess fails t unless u has access want in every session of sc.
func (sc *accessScene) wantAccess(t testing.TB, u *convene.User, want convene.Access) {
	t.Helper()
	for _, s := range sc.sessions {
		if got := sc.f.Access(t, s.ID)[u.ID]; got != want {
			t.Errorf("%s in session %d: access %q, want %q", u.Email, s.ID, got, want)
		}
	}
}

func testAccessChangeSets(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	b := sc.change(t, convene.ActionView, sc.carl, sc.vera, sc.nora, sc.owner)
	if want := (convene.Counts{Changed: 2, Unchanged: 2, NotMember: 2, Owner: 2}); b.Counts != want {
		t.Errorf("counts %+v, want %+v", b.Counts, want)
	}
	sc.wantAccess(t, sc.carl, convene.AccessView)
	sc.wantAccess(t, sc.vera, convene.AccessView)
	sc.wantAccess(t, sc.nora, "")
	sc.wantAccess(t, sc.owner, convene.AccessOwner)
	if got := countAction(sc.f.auditEvents(t, convene.AuditFilter{BatchID: b.ID}), convene.AuditAccessChanged); got != 2 {
		t.Errorf("%d %s events of the batch, want 2", got, convene.AuditAccessChanged)
	}
	stored, err := sc.f.Store.FindBatch(As(sc.f.Admin), b.ID)
	if err != nil {
		t.Fatalf("FindBatch: %v", err)
	}
	if stored.Action != convene.ActionView || stored.Counts != b.Counts || stored.Results[0].Before[0] != convene.AccessCollaborate {
		t.Errorf("stored batch: action %q counts %+v results %+v", stored.Action, stored.Counts, stored.Results)
	}
	up := sc.change(t, convene.ActionCollaborate, sc.vera)
	if up.Counts.Changed != 2 {
		t.Errorf("raising: counts %+v, want 2 changed", up.Counts)
	}
	sc.wantAccess(t, sc.vera, convene.AccessCollaborate)
}

func testAccessChangeRemoves(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	b := sc.change(t, convene.ActionRemove, sc.carl, sc.vera, sc.owner)
	if want := (convene.Counts{Changed: 4, Owner: 2}); b.Counts != want {
		t.Errorf("counts %+v, want %+v", b.Counts, want)
	}
	sc.wantAccess(t, sc.carl, "")
	sc.wantAccess(t, sc.vera, "")
	sc.wantAccess(t, sc.owner, convene.AccessOwner)
	sc.f.wantMemberCounts(t, sc.sessions...)
	if got := countAction(sc.f.auditEvents(t, convene.AuditFilter{BatchID: b.ID}), convene.AuditMemberRemoved); got != 4 {
		t.Errorf("%d %s events of the batch, want 4", got, convene.AuditMemberRemoved)
	}
}

// testAccessChangeKeepsOthers: a change for some of a session's members
// leaves the others alone, however the store reads the sessions: here
// their whole membership is small enough to read (Olga, Carl and Vera in
// two sessions, for two people), and Vera is in it but not in the batch.
func testAccessChangeKeepsOthers(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	b := sc.change(t, convene.ActionRemove, sc.carl, sc.nora)
	if want := (convene.Counts{Changed: 2, NotMember: 2}); b.Counts != want {
		t.Errorf("counts %+v, want %+v", b.Counts, want)
	}
	sc.wantAccess(t, sc.carl, "")
	sc.wantAccess(t, sc.vera, convene.AccessView)
	sc.wantAccess(t, sc.owner, convene.AccessOwner)
	sc.f.wantMemberCounts(t, sc.sessions...)
}

// testAccessChangeUndo: undo gives each pair its access before, except a
// pair someone set by hand since.
func testAccessChangeUndo(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	b := sc.change(t, convene.ActionView, sc.carl, sc.vera, sc.owner)
	byHand := sc.sessions[1]
	for _, a := range []convene.Access{convene.AccessCollaborate, convene.AccessView} { // up and down again
		if _, err := sc.f.Store.SetAccess(As(sc.owner), byHand.ID, sc.carl.ID, a); err != nil {
			t.Fatalf("SetAccess: %v", err)
		}
	}
	u := sc.f.undo(t, sc.f.Admin, b.ID)
	if want := (convene.UndoCounts{Restored: 1, Kept: 1}); u.Counts != want {
		t.Errorf("undo counts %+v, want %+v", u.Counts, want)
	}
	if got := sc.f.Access(t, sc.sessions[0].ID)[sc.carl.ID]; got != convene.AccessCollaborate {
		t.Errorf("restored pair: access %q, want collaborate", got)
	}
	if got := sc.f.Access(t, byHand.ID)[sc.carl.ID]; got != convene.AccessView {
		t.Errorf("pair set by hand since: access %q, want view (kept)", got)
	}
	sc.wantAccess(t, sc.vera, convene.AccessView)
	sc.wantAccess(t, sc.owner, convene.AccessOwner)
	_, err := sc.f.Store.UndoBatch(As(sc.f.Admin), b.ID)
	wantCode(t, err, convene.ECONFLICT)
}

// testAccessChangeUndoRemoval: the removed come back with the access each
// had, except one added again since.
func testAccessChangeUndoRemoval(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	b := sc.change(t, convene.ActionRemove, sc.carl, sc.vera)
	readded := sc.sessions[1]
	sc.f.Grant(t, sc.f.Admin, convene.GrantRequest{SessionIDs: []int64{readded.ID}, Contacts: []string{sc.vera.Email}, Access: convene.AccessCollaborate})
	u := sc.f.undo(t, sc.f.Admin, b.ID)
	if want := (convene.UndoCounts{Restored: 3, Kept: 1}); u.Counts != want {
		t.Errorf("undo counts %+v, want %+v", u.Counts, want)
	}
	sc.wantAccess(t, sc.carl, convene.AccessCollaborate)
	sc.f.wantMemberCounts(t, sc.sessions...)
	if got := sc.f.Access(t, sc.sessions[0].ID)[sc.vera.ID]; got != convene.AccessView {
		t.Errorf("restored viewer: access %q, want view", got)
	}
	if got := sc.f.Access(t, readded.ID)[sc.vera.ID]; got != convene.AccessCollaborate {
		t.Errorf("re-added since: access %q, want collaborate (kept)", got)
	}
	if got := countAction(sc.f.auditEvents(t, convene.AuditFilter{BatchID: b.ID}), convene.AuditMemberAdded); got != 3 {
		t.Errorf("%d %s events of the undo, want 3", got, convene.AuditMemberAdded)
	}
}

func testAccessChangeReplay(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	req := convene.AccessChangeRequest{SessionIDs: ids(sc.sessions), Contacts: []string{sc.carl.Email}, Action: convene.ActionView, IdempotencyKey: "ac-1"}
	first, err := sc.f.Store.ChangeAccess(As(sc.f.Admin), req)
	if err != nil {
		t.Fatalf("ChangeAccess: %v", err)
	}
	before := sc.f.take(t, ids(sc.sessions))
	again, err := sc.f.Store.ChangeAccess(As(sc.f.Admin), req)
	if err != nil || again.ID != first.ID || again.Counts != first.Counts {
		t.Errorf("replay: batch %+v, %v; want batch %d again", again, err, first.ID)
	}
	sc.f.same(t, before, ids(sc.sessions))
	req.Action = convene.ActionRemove
	_, err = sc.f.Store.ChangeAccess(As(sc.f.Admin), req)
	wantCode(t, err, convene.ECONFLICT)
	grant := convene.GrantRequest{SessionIDs: req.SessionIDs, Contacts: req.Contacts, Access: convene.AccessView, IdempotencyKey: req.IdempotencyKey}
	_, err = sc.f.Store.Grant(As(sc.f.Admin), grant)
	wantCode(t, err, convene.ECONFLICT)
}

func testAccessChangeRefusals(t *testing.T, open Opener) {
	sc := newAccessScene(t, open)
	before := sc.f.take(t, ids(sc.sessions))
	base := convene.AccessChangeRequest{SessionIDs: ids(sc.sessions), Contacts: []string{sc.carl.Email}, Action: convene.ActionRemove}
	tests := []struct {
		name  string
		actor *convene.User
		edit  func(r *convene.AccessChangeRequest)
		want  string
	}{
		{"InvalidEntry", sc.f.Admin, func(r *convene.AccessChangeRequest) { r.Contacts = append(r.Contacts, "bob@") }, convene.EINVALID},
		{"UnknownSession", sc.f.Admin, func(r *convene.AccessChangeRequest) { r.SessionIDs = append(r.SessionIDs, 424242) }, convene.ENOTFOUND},
		{"BadAction", sc.f.Admin, func(r *convene.AccessChangeRequest) { r.Action = "owner" }, convene.EINVALID},
		{"IdsAndQuery", sc.f.Admin, func(r *convene.AccessChangeRequest) { r.SessionQuery = &convene.SessionQuery{} }, convene.EINVALID},
		{"TheOwnerIsNoAdmin", sc.owner, func(*convene.AccessChangeRequest) {}, convene.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := base
			req.SessionIDs = append([]int64{}, base.SessionIDs...)
			tt.edit(&req)
			_, err := sc.f.Store.ChangeAccess(As(tt.actor), req)
			wantCode(t, err, tt.want)
		})
	}
	sc.f.same(t, before, ids(sc.sessions))
	byQuery, err := sc.f.Store.ChangeAccess(As(sc.f.Admin), convene.AccessChangeRequest{SessionQuery: &convene.SessionQuery{Q: "plans"},
		Contacts: []string{sc.carl.Email}, Action: convene.ActionView})
	if err != nil || byQuery.Counts.Changed != 1 || len(byQuery.SessionIDs) != 1 {
		t.Errorf("by query: %+v, %v; want one pair changed", byQuery, err)
	}
}
