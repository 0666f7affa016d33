package storetest

import (
	"context"
	"slices"
	"testing"

	"convene"
	"convene/internal/phone"
)

// testIsolation checks that tenant B's admin reaches none of tenant A's
// rows, by any method, and that A's rows survive every attempt.
func testIsolation(t *testing.T, open Opener) {
	a := newFixture(t, open)
	b := AddTenant(t, a.Store, "globex")
	alice := a.User(t, "Alice", "alice@acme.test", "+13245768342", convene.RoleMember)
	sa := a.Session(t, a.Admin, "Acme secret")
	batch := a.Grant(t, a.Admin, convene.GrantRequest{SessionIDs: []int64{sa.ID}, Contacts: []string{alice.Email}, Access: convene.AccessView})
	token := &convene.Token{UserID: alice.ID, Name: "cli", Hash: "aa11"}
	if err := a.Store.CreateToken(As(alice), token); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	bob := b.User(t, "Bob", "bob@globex.test", "", convene.RoleMember)
	sb := b.Session(t, b.Admin, "Globex plans")
	b.Grant(t, b.Admin, convene.GrantRequest{SessionIDs: []int64{sb.ID}, Contacts: []string{bob.Email}, Access: convene.AccessView})
	ctx := As(b.Admin)
	before := a.take(t, []int64{sa.ID})

	title, name := "Mine now", "Mallory"
	tests := []struct {
		name string
		do   func() error
	}{
		{"FindSessionByID", func() error { _, err := a.Store.FindSessionByID(ctx, sa.ID); return err }},
		{"UpdateSession", func() error {
			_, err := a.Store.UpdateSession(ctx, sa.ID, convene.SessionUpdate{Title: &title})
			return err
		}},
		{"DeleteSession", func() error { return a.Store.DeleteSession(ctx, sa.ID) }},
		{"Members", func() error { _, err := a.Store.Members(ctx, sa.ID); return err }},
		{"SetAccess", func() error { _, err := a.Store.SetAccess(ctx, sa.ID, alice.ID, convene.AccessCollaborate); return err }},
		{"SetAccessOwnSessionForeignUser", func() error { _, err := a.Store.SetAccess(ctx, sb.ID, alice.ID, convene.AccessCollaborate); return err }},
		{"RemoveMember", func() error { return a.Store.RemoveMember(ctx, sa.ID, alice.ID) }},
		{"TransferOwnership", func() error { return a.Store.TransferOwnership(ctx, sa.ID, bob.ID) }},
		{"TransferOwnershipToForeignUser", func() error { return a.Store.TransferOwnership(ctx, sb.ID, alice.ID) }},
		{"Grant", func() error {
			_, err := a.Store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{sa.ID}, Contacts: []string{bob.Email}, Access: convene.AccessCollaborate})
			return err
		}},
		{"FindUserByID", func() error { _, err := a.Store.FindUserByID(ctx, alice.ID); return err }},
		{"FindUserByLogin", func() error { _, err := a.Store.FindUserByLogin(ctx, alice.Email); return err }},
		{"UpdateUser", func() error { _, err := a.Store.UpdateUser(ctx, alice.ID, convene.UserUpdate{Name: &name}); return err }},
		{"SetPasswordHash", func() error { return a.Store.SetPasswordHash(ctx, alice.ID, "hash") }},
		{"FindBatch", func() error { _, err := a.Store.FindBatch(ctx, batch.ID); return err }},
		{"FindBatchSummary", func() error { _, err := a.Store.FindBatchSummary(ctx, batch.ID); return err }},
		{"RevokeToken", func() error { return a.Store.RevokeToken(ctx, token.ID) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, tt.do(), convene.ENOTFOUND)
		})
	}
	a.same(t, before, []int64{sa.ID}) // the refused attempts wrote nothing, anywhere
	t.Run("Lists", func(t *testing.T) { testIsolatedLists(t, a, b, ctx, sa.ID, alice) })
	t.Run("Contacts", func(t *testing.T) { testIsolatedContacts(t, a, b, sb.ID, alice) })
	a.sameInTenant(t, before, []int64{sa.ID}) // what B did in its own tenant left A's as it was
	if got, err := a.Store.FindUserByID(a.Sys(), alice.ID); err != nil || got.Name != "Alice" {
		t.Errorf("alice after B's attempts = %+v, %v; want unchanged", got, err)
	}
}

func testIsolatedLists(t *testing.T, a, b *Fixture, ctx context.Context, sessionID int64, alice *convene.User) {
	sessions, _, err := a.Store.FindSessions(ctx, convene.SessionFilter{Limit: 100})
	if err != nil || len(sessions) != 1 || sessions[0].TenantID != b.Tenant.ID {
		t.Errorf("FindSessions = %d sessions, %v; want only B's one", len(sessions), err)
	}
	if p, err := a.Store.FindSessionsPage(ctx, convene.SessionFilter{Limit: 100}); err != nil || len(p.Sessions) != 1 || p.Total != 1 || p.Sessions[0].TenantID != b.Tenant.ID {
		t.Errorf("FindSessionsPage = %+v, %v; want only B's one", p, err)
	}
	users, _, err := a.Store.FindUsers(ctx, convene.UserFilter{Limit: 100})
	if err != nil {
		t.Fatalf("FindUsers: %v", err)
	}
	for _, u := range users {
		if u.TenantID != b.Tenant.ID || u.ID == alice.ID || u.ID == a.Admin.ID {
			t.Errorf("FindUsers shows user %d of tenant %d", u.ID, u.TenantID)
		}
	}
	for _, filter := range []convene.AuditFilter{{}, {SessionID: sessionID}, {UserID: alice.ID}} {
		filter.Limit = 500
		events, _, err := a.Store.FindAuditEvents(ctx, filter)
		if err != nil {
			t.Fatalf("FindAuditEvents(%+v): %v", filter, err)
		}
		for _, e := range events {
			if e.TenantID != b.Tenant.ID || e.SessionID == sessionID || e.UserID == alice.ID {
				t.Errorf("FindAuditEvents(%+v) shows %+v", filter, *e)
			}
		}
	}
	jobs, err := a.Store.FindJobs(ctx, convene.JobFilter{Limit: 100})
	if err != nil {
		t.Fatalf("FindJobs: %v", err)
	}
	if len(jobs) == 0 {
		t.Errorf("FindJobs: B's own notify job is missing")
	}
	for _, j := range jobs {
		if j.TenantID != b.Tenant.ID {
			t.Errorf("FindJobs shows job %d of tenant %d", j.ID, j.TenantID)
		}
	}
}

func testIsolatedContacts(t *testing.T, a, b *Fixture, sessionID int64, alice *convene.User) {
	ctx := As(b.Admin)
	found, err := a.Store.FindUsersByContacts(ctx, []string{alice.Email, a.Admin.Email}, []string{alice.Phone})
	if err != nil || len(found) != 0 {
		t.Errorf("FindUsersByContacts(A's contacts) = %d users, %v; want none", len(found), err)
	}
	res, err := convene.ResolveContacts(ctx, a.Store, convene.NewContactParser(b.Tenant, phone.Numbering{}), []string{alice.Email, "+1 324 576 8342"})
	if err != nil {
		t.Fatalf("ResolveContacts: %v", err)
	}
	for _, r := range res {
		if r.Status != convene.StatusUnregistered || r.User != nil {
			t.Errorf("ResolveContacts(%q) = %q user %v, want unregistered", r.Input, r.Status, r.User)
		}
	}
	batch := b.Grant(t, b.Admin, convene.GrantRequest{SessionIDs: []int64{sessionID}, Contacts: []string{alice.Email}, Access: convene.AccessCollaborate})
	if got := batch.Results[0].Status; got != convene.StatusUnregistered {
		t.Errorf("B grants to A's user: status %q, want unregistered", got)
	}
	if acc := b.Access(t, sessionID); slices.Contains(mapKeys(acc), alice.ID) {
		t.Errorf("B's session lists A's user as a member")
	}
}

func mapKeys[K comparable, V any](m map[K]V) []K {
	out := make([]K, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
