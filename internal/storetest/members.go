package storetest

import (
	"context"
	"testing"

	"convene"
)

func testMembers(t *testing.T, open Opener) {
	t.Run("ChangeAccess", func(t *testing.T) { testChangeAccess(t, open) })
	t.Run("DisabledUserDoesNothing", func(t *testing.T) { testDisabledActor(t, open) })
}

// wantAudit fails t unless exactly n events of action concern session and user.
func (f *Fixture) wantAudit(t testing.TB, action string, sessionID, userID int64, n int) {
	t.Helper()
	events := f.auditEvents(t, convene.AuditFilter{SessionID: sessionID, UserID: userID})
	if got := countAction(events, action); got != n {
		t.Errorf("%d %s events for session %d user %d, want %d; all: %+v", got, action, sessionID, userID, n, derefEvents(events))
	}
}

func testChangeAccess(t *testing.T, open Opener) {
	f := newFixture(t, open)
	olga := f.User(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	carl := f.User(t, "Carl", "carl@acme.test", "", convene.RoleMember)
	vera := f.User(t, "Vera", "vera@acme.test", "", convene.RoleMember)
	stranger := f.User(t, "Sam", "sam@acme.test", "", convene.RoleMember)
	s := f.Session(t, olga, "Olga's")
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{carl.Email}, Access: convene.AccessCollaborate})
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{vera.Email}, Access: convene.AccessView})

	for _, step := range []convene.Access{convene.AccessView, convene.AccessCollaborate} {
		m, err := f.Store.SetAccess(As(olga), s.ID, carl.ID, step)
		if err != nil {
			t.Fatalf("SetAccess(carl, %s) by the owner: %v", step, err)
		}
		if m.Access != step || f.Access(t, s.ID)[carl.ID] != step {
			t.Errorf("SetAccess(carl, %s): returned %q, stored %q", step, m.Access, f.Access(t, s.ID)[carl.ID])
		}
	}
	f.wantAudit(t, convene.AuditAccessChanged, s.ID, carl.ID, 2)

	refusals := []struct {
		name string
		do   func(ctx context.Context) error
		want []string
	}{
		{"ViewerSetsAccess", func(context.Context) error {
			_, err := f.Store.SetAccess(As(vera), s.ID, carl.ID, convene.AccessView)
			return err
		}, []string{convene.EFORBIDDEN}},
		{"SetOwnersAccess", func(ctx context.Context) error {
			_, err := f.Store.SetAccess(ctx, s.ID, olga.ID, convene.AccessView)
			return err
		}, []string{convene.EINVALID, convene.EFORBIDDEN, convene.ECONFLICT}},
		{"SetAccessToOwner", func(ctx context.Context) error {
			_, err := f.Store.SetAccess(ctx, s.ID, carl.ID, convene.AccessOwner)
			return err
		}, []string{convene.EINVALID}},
		{"SetAccessOfNonMember", func(ctx context.Context) error {
			_, err := f.Store.SetAccess(ctx, s.ID, stranger.ID, convene.AccessView)
			return err
		}, []string{convene.ENOTFOUND}},
		{"RemoveOwner", func(ctx context.Context) error { return f.Store.RemoveMember(ctx, s.ID, olga.ID) },
			[]string{convene.EINVALID, convene.EFORBIDDEN, convene.ECONFLICT}},
		{"ViewerRemoves", func(context.Context) error { return f.Store.RemoveMember(As(vera), s.ID, carl.ID) },
			[]string{convene.EFORBIDDEN}},
		{"ViewerTransfers", func(context.Context) error { return f.Store.TransferOwnership(As(vera), s.ID, vera.ID) },
			[]string{convene.EFORBIDDEN}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := f.take(t, []int64{s.ID})
			wantRefused(t, tt.do(As(olga)), tt.want...)
			f.same(t, before, []int64{s.ID})
		})
	}

	if err := f.Store.RemoveMember(As(olga), s.ID, carl.ID); err != nil {
		t.Fatalf("RemoveMember(carl): %v", err)
	}
	if _, still := f.Access(t, s.ID)[carl.ID]; still {
		t.Errorf("RemoveMember(carl): carl still a member")
	}
	f.wantAudit(t, convene.AuditMemberRemoved, s.ID, carl.ID, 1)
	f.wantMemberCounts(t, s)

	if err := f.Store.TransferOwnership(As(olga), s.ID, vera.ID); err != nil {
		t.Fatalf("TransferOwnership(vera): %v", err)
	}
	got := f.Access(t, s.ID)
	if got[vera.ID] != convene.AccessOwner || got[olga.ID] != convene.AccessCollaborate {
		t.Errorf("after transfer: vera %q, olga %q; want owner, collaborate", got[vera.ID], got[olga.ID])
	}
	if found, err := f.Store.FindSessionByID(f.Sys(), s.ID); err != nil || found.OwnerID != vera.ID {
		t.Errorf("after transfer: FindSessionByID = %+v, %v; want owner %d", found, err, vera.ID)
	}
	f.wantAudit(t, convene.AuditOwnerTransferred, s.ID, 0, 1)
	if _, err := f.Store.SetAccess(As(olga), s.ID, vera.ID, convene.AccessView); convene.ErrorCode(err) == "" {
		t.Errorf("former owner set the new owner's access: want a refusal")
	}
}

func testDisabledActor(t *testing.T, open Opener) {
	f := newFixture(t, open)
	dave := f.User(t, "Dave", "dave@acme.test", "", convene.RoleSessionAdmin)
	vera := f.User(t, "Vera", "vera@acme.test", "", convene.RoleMember)
	s := f.Session(t, dave, "Dave's")
	f.Grant(t, dave, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{vera.Email}, Access: convene.AccessView})
	dave = f.Disable(t, dave)
	if !dave.Disabled {
		t.Fatalf("UpdateUser(disable) returned Disabled false")
	}
	ctx := As(dave)
	title := "Renamed"
	denied := []string{convene.EFORBIDDEN, convene.ENOTFOUND, convene.EUNAUTHORIZED}
	tests := []struct {
		name string
		do   func() error
	}{
		{"CreateSession", func() error { return f.Store.CreateSession(ctx, &convene.Session{Title: "New"}) }},
		{"UpdateSession", func() error {
			_, err := f.Store.UpdateSession(ctx, s.ID, convene.SessionUpdate{Title: &title})
			return err
		}},
		{"DeleteSession", func() error { return f.Store.DeleteSession(ctx, s.ID) }},
		{"SetAccess", func() error { _, err := f.Store.SetAccess(ctx, s.ID, vera.ID, convene.AccessCollaborate); return err }},
		{"RemoveMember", func() error { return f.Store.RemoveMember(ctx, s.ID, vera.ID) }},
		{"TransferOwnership", func() error { return f.Store.TransferOwnership(ctx, s.ID, vera.ID) }},
		{"Grant", func() error {
			_, err := f.Store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{vera.Email}, Access: convene.AccessCollaborate})
			return err
		}},
		{"FindSessionByID", func() error { _, err := f.Store.FindSessionByID(ctx, s.ID); return err }},
		{"Members", func() error { _, err := f.Store.Members(ctx, s.ID); return err }},
		{"FindUsers", func() error { _, _, err := f.Store.FindUsers(ctx, convene.UserFilter{}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.take(t, []int64{s.ID})
			wantRefused(t, tt.do(), denied...)
			f.same(t, before, []int64{s.ID})
		})
	}
}
