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
func (f *fixture) wantAudit(t testing.TB, action string, sessionID, userID int64, n int) {
	t.Helper()
	events := f.auditEvents(t, convene.AuditFilter{SessionID: sessionID, UserID: userID})
	if got := countAction(events, action); got != n {
		t.Errorf("%d %s events for session %d user %d, want %d; all: %+v", got, action, sessionID, userID, n, derefEvents(events))
	}
}

func testChangeAccess(t *testing.T, open Opener) {
	f := newFixture(t, open)
	olga := f.user(t, "Olga", "olga@acme.test", "", convene.RoleMember)
	carl := f.user(t, "Carl", "carl@acme.test", "", convene.RoleMember)
	vera := f.user(t, "Vera", "vera@acme.test", "", convene.RoleMember)
	stranger := f.user(t, "Sam", "sam@acme.test", "", convene.RoleMember)
	s := f.session(t, olga, "Olga's")
	f.grant(t, f.admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{carl.Email}, Access: convene.AccessCollaborate})
	f.grant(t, f.admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{vera.Email}, Access: convene.AccessView})

	for _, step := range []convene.Access{convene.AccessView, convene.AccessCollaborate} {
		m, err := f.store.SetAccess(as(olga), s.ID, carl.ID, step)
		if err != nil {
			t.Fatalf("SetAccess(carl, %s) by the owner: %v", step, err)
		}
		if m.Access != step || f.access(t, s.ID)[carl.ID] != step {
			t.Errorf("SetAccess(carl, %s): returned %q, stored %q", step, m.Access, f.access(t, s.ID)[carl.ID])
		}
	}
	f.wantAudit(t, convene.AuditAccessChanged, s.ID, carl.ID, 2)

	refusals := []struct {
		name string
		do   func(ctx context.Context) error
		want []string
	}{
		{"ViewerSetsAccess", func(context.Context) error {
			_, err := f.store.SetAccess(as(vera), s.ID, carl.ID, convene.AccessView)
			return err
		}, []string{convene.EFORBIDDEN}},
		{"SetOwnersAccess", func(ctx context.Context) error {
			_, err := f.store.SetAccess(ctx, s.ID, olga.ID, convene.AccessView)
			return err
		}, []string{convene.EINVALID, convene.EFORBIDDEN, convene.ECONFLICT}},
		{"SetAccessToOwner", func(ctx context.Context) error {
			_, err := f.store.SetAccess(ctx, s.ID, carl.ID, convene.AccessOwner)
			return err
		}, []string{convene.EINVALID}},
		{"SetAccessOfNonMember", func(ctx context.Context) error {
			_, err := f.store.SetAccess(ctx, s.ID, stranger.ID, convene.AccessView)
			return err
		}, []string{convene.ENOTFOUND}},
		{"RemoveOwner", func(ctx context.Context) error { return f.store.RemoveMember(ctx, s.ID, olga.ID) },
			[]string{convene.EINVALID, convene.EFORBIDDEN, convene.ECONFLICT}},
		{"ViewerRemoves", func(context.Context) error { return f.store.RemoveMember(as(vera), s.ID, carl.ID) },
			[]string{convene.EFORBIDDEN}},
		{"ViewerTransfers", func(context.Context) error { return f.store.TransferOwnership(as(vera), s.ID, vera.ID) },
			[]string{convene.EFORBIDDEN}},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			before := f.take(t, []int64{s.ID})
			wantRefused(t, tt.do(as(olga)), tt.want...)
			f.same(t, before, []int64{s.ID})
		})
	}

	if err := f.store.RemoveMember(as(olga), s.ID, carl.ID); err != nil {
		t.Fatalf("RemoveMember(carl): %v", err)
	}
	if _, still := f.access(t, s.ID)[carl.ID]; still {
		t.Errorf("RemoveMember(carl): carl still a member")
	}
	f.wantAudit(t, convene.AuditMemberRemoved, s.ID, carl.ID, 1)

	if err := f.store.TransferOwnership(as(olga), s.ID, vera.ID); err != nil {
		t.Fatalf("TransferOwnership(vera): %v", err)
	}
	got := f.access(t, s.ID)
	if got[vera.ID] != convene.AccessOwner || got[olga.ID] != convene.AccessCollaborate {
		t.Errorf("after transfer: vera %q, olga %q; want owner, collaborate", got[vera.ID], got[olga.ID])
	}
	if found, err := f.store.FindSessionByID(f.sys(), s.ID); err != nil || found.OwnerID != vera.ID {
		t.Errorf("after transfer: FindSessionByID = %+v, %v; want owner %d", found, err, vera.ID)
	}
	f.wantAudit(t, convene.AuditOwnerTransferred, s.ID, 0, 1)
	if _, err := f.store.SetAccess(as(olga), s.ID, vera.ID, convene.AccessView); convene.ErrorCode(err) == "" {
		t.Errorf("former owner set the new owner's access: want a refusal")
	}
}

func testDisabledActor(t *testing.T, open Opener) {
	f := newFixture(t, open)
	dave := f.user(t, "Dave", "dave@acme.test", "", convene.RoleSessionAdmin)
	vera := f.user(t, "Vera", "vera@acme.test", "", convene.RoleMember)
	s := f.session(t, dave, "Dave's")
	f.grant(t, dave, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{vera.Email}, Access: convene.AccessView})
	dave = f.disable(t, dave)
	if !dave.Disabled {
		t.Fatalf("UpdateUser(disable) returned Disabled false")
	}
	ctx := as(dave)
	title := "Renamed"
	denied := []string{convene.EFORBIDDEN, convene.ENOTFOUND, convene.EUNAUTHORIZED}
	tests := []struct {
		name string
		do   func() error
	}{
		{"CreateSession", func() error { return f.store.CreateSession(ctx, &convene.Session{Title: "New"}) }},
		{"UpdateSession", func() error {
			_, err := f.store.UpdateSession(ctx, s.ID, convene.SessionUpdate{Title: &title})
			return err
		}},
		{"DeleteSession", func() error { return f.store.DeleteSession(ctx, s.ID) }},
		{"SetAccess", func() error { _, err := f.store.SetAccess(ctx, s.ID, vera.ID, convene.AccessCollaborate); return err }},
		{"RemoveMember", func() error { return f.store.RemoveMember(ctx, s.ID, vera.ID) }},
		{"TransferOwnership", func() error { return f.store.TransferOwnership(ctx, s.ID, vera.ID) }},
		{"Grant", func() error {
			_, err := f.store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{vera.Email}, Access: convene.AccessCollaborate})
			return err
		}},
		{"FindSessionByID", func() error { _, err := f.store.FindSessionByID(ctx, s.ID); return err }},
		{"Members", func() error { _, err := f.store.Members(ctx, s.ID); return err }},
		{"FindUsers", func() error { _, _, err := f.store.FindUsers(ctx, convene.UserFilter{}); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.take(t, []int64{s.ID})
			wantRefused(t, tt.do(), denied...)
			f.same(t, before, []int64{s.ID})
		})
	}
}
