package storetest

import (
	"context"
	"testing"

	"convene"
)

// testUnauthorized calls every tenant-scoped method without an actor: each
// must refuse with EUNAUTHORIZED and write nothing.
func testUnauthorized(t *testing.T, open Opener) {
	f := newFixture(t, open)
	u := f.User(t, "Jane", "jane@acme.test", "", convene.RoleMember)
	s := f.Session(t, f.Admin, "Plans")
	batch := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{u.Email}, Access: convene.AccessView})
	st := f.Store
	name, title := "X", "X"
	tests := []struct {
		name string
		do   func(ctx context.Context) error
	}{
		{"CurrentTenant", func(ctx context.Context) error { _, err := st.CurrentTenant(ctx); return err }},
		{"UpdateTenant", func(ctx context.Context) error {
			_, err := st.UpdateTenant(ctx, convene.TenantUpdate{Name: &name})
			return err
		}},
		{"CreateUser", func(ctx context.Context) error {
			return st.CreateUser(ctx, &convene.User{Name: "X", Email: "x@acme.test", Role: convene.RoleMember})
		}},
		{"FindUserByID", func(ctx context.Context) error { _, err := st.FindUserByID(ctx, u.ID); return err }},
		{"FindUserByLogin", func(ctx context.Context) error { _, err := st.FindUserByLogin(ctx, u.Email); return err }},
		{"FindUsers", func(ctx context.Context) error { _, _, err := st.FindUsers(ctx, convene.UserFilter{}); return err }},
		{"FindUsersByContacts", func(ctx context.Context) error {
			_, err := st.FindUsersByContacts(ctx, []string{u.Email}, nil)
			return err
		}},
		{"UpdateUser", func(ctx context.Context) error {
			_, err := st.UpdateUser(ctx, u.ID, convene.UserUpdate{Name: &name})
			return err
		}},
		{"SetPasswordHash", func(ctx context.Context) error { return st.SetPasswordHash(ctx, u.ID, "h") }},
		{"CreateSession", func(ctx context.Context) error { return st.CreateSession(ctx, &convene.Session{Title: "X"}) }},
		{"FindSessionByID", func(ctx context.Context) error { _, err := st.FindSessionByID(ctx, s.ID); return err }},
		{"FindSessions", func(ctx context.Context) error {
			_, _, err := st.FindSessions(ctx, convene.SessionFilter{})
			return err
		}},
		{"UpdateSession", func(ctx context.Context) error {
			_, err := st.UpdateSession(ctx, s.ID, convene.SessionUpdate{Title: &title})
			return err
		}},
		{"DeleteSession", func(ctx context.Context) error { return st.DeleteSession(ctx, s.ID) }},
		{"Members", func(ctx context.Context) error { _, err := st.Members(ctx, s.ID); return err }},
		{"Grant", func(ctx context.Context) error {
			_, err := st.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{u.Email}, Access: convene.AccessCollaborate})
			return err
		}},
		{"SetAccess", func(ctx context.Context) error {
			_, err := st.SetAccess(ctx, s.ID, u.ID, convene.AccessCollaborate)
			return err
		}},
		{"RemoveMember", func(ctx context.Context) error { return st.RemoveMember(ctx, s.ID, u.ID) }},
		{"TransferOwnership", func(ctx context.Context) error { return st.TransferOwnership(ctx, s.ID, u.ID) }},
		{"FindBatch", func(ctx context.Context) error { _, err := st.FindBatch(ctx, batch.ID); return err }},
		{"FindBatchSummary", func(ctx context.Context) error { _, err := st.FindBatchSummary(ctx, batch.ID); return err }},
		{"FindAuditEvents", func(ctx context.Context) error {
			_, _, err := st.FindAuditEvents(ctx, convene.AuditFilter{})
			return err
		}},
		{"CreateToken", func(ctx context.Context) error {
			return st.CreateToken(ctx, &convene.Token{UserID: u.ID, Name: "t", Hash: "ff"})
		}},
		{"FindTokens", func(ctx context.Context) error { _, err := st.FindTokens(ctx); return err }},
		{"RevokeToken", func(ctx context.Context) error { return st.RevokeToken(ctx, 1) }},
		{"FindJobs", func(ctx context.Context) error { _, err := st.FindJobs(ctx, convene.JobFilter{}); return err }},
	}
	contexts := []struct {
		name string
		ctx  context.Context
	}{
		{"NoActor", context.Background()},
		{"ZeroTenant", convene.NewContextWithActor(context.Background(), convene.Actor{User: f.Admin})},
	}
	for _, c := range contexts {
		t.Run(c.name, func(t *testing.T) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					before := f.take(t, []int64{s.ID})
					wantCode(t, tt.do(c.ctx), convene.EUNAUTHORIZED)
					f.same(t, before, []int64{s.ID})
				})
			}
		})
	}
}
