package storetest

import (
	"testing"

	"convene"
	"convene/internal/auth"
)

// The fixture's ways in: the credentials, the guest setting and the guest
// invitations that the HTTP and browser tests of internal/web need on top
// of the people and sessions of fixtures.go.

// Token creates an API token for u, a user of the fixture's tenant, and
// returns its secret, the bearer a client sends. The store dates it by its
// own clock.
func (f *Fixture) Token(t testing.TB, u *convene.User) string {
	t.Helper()
	secret, hash := auth.NewSecret()
	tok := &convene.Token{TenantID: f.Tenant.ID, UserID: u.ID, Name: "test", Hash: hash}
	if err := f.Store.CreateToken(f.Sys(), tok); err != nil {
		t.Fatalf("CreateToken(user %d): %v", u.ID, err)
	}
	return secret
}

// SetPassword gives u, a user of the fixture's tenant, the password.
func (f *Fixture) SetPassword(t testing.TB, u *convene.User, password string) {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Store.SetPasswordHash(f.Sys(), u.ID, hash); err != nil {
		t.Fatalf("SetPasswordHash(user %d): %v", u.ID, err)
	}
}

// AllowGuests turns the tenant's guest invitations on, unless they are on
// already (so that the audit log shows no change that did not happen).
func (f *Fixture) AllowGuests(t testing.TB) {
	t.Helper()
	tenant, err := f.Store.CurrentTenant(f.Sys())
	if err != nil {
		t.Fatalf("CurrentTenant: %v", err)
	}
	if tenant.GuestsAllowed {
		return
	}
	yes := true
	if _, err := f.Store.UpdateTenant(f.Sys(), convene.TenantUpdate{GuestsAllowed: &yes}); err != nil {
		t.Fatalf("UpdateTenant(guests): %v", err)
	}
}

// Invite invites contacts to s with access as actor and fails t on error.
func (f *Fixture) Invite(t testing.TB, actor *convene.User, s *convene.Session, access convene.Access, contacts ...string) []convene.InviteResult {
	t.Helper()
	res, err := f.Store.InviteToSession(As(actor), s.ID, contacts, access)
	if err != nil {
		t.Fatalf("InviteToSession(%v): %v", contacts, err)
	}
	return res
}
