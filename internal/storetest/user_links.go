package storetest

import (
	"context"
	"testing"

	"convene"
	"convene/internal/auth"
)

// testUserWithPasswordLink checks that registering a user without a
// password and storing their set-password link happen together, or not at all.
func testUserWithPasswordLink(t *testing.T, open Opener) {
	c := newClocked(t, open)
	bg := context.Background()

	u := &convene.User{Name: "New Person", Email: "new@acme.test", Role: convene.RoleMember}
	secret, err := c.Store.CreateUserWithPasswordLink(c.Sys(), u, true)
	if err != nil || secret != "" || u.ID == 0 {
		t.Fatalf("CreateUserWithPasswordLink = %q, %v (user id %d); want no secret: the message mints it", secret, err, u.ID)
	}
	// tokens takes the queued messages off the queue, as a worker would.
	tokens := c.tokens(t)
	if len(tokens) != 1 {
		t.Errorf("%d set-password messages queued, want 1", len(tokens))
	}
	secret = onlyToken(tokens)
	if _, got, err := c.Store.FindPasswordLink(bg, auth.HashSecret(secret)); err != nil || got.ID != u.ID {
		t.Fatalf("FindPasswordLink = %v, %v; want the new user", got, err)
	}

	// A taken email: neither a second user nor a link nor a message.
	again := &convene.User{Name: "Again", Email: "new@acme.test", Role: convene.RoleMember}
	_, err = c.Store.CreateUserWithPasswordLink(c.Sys(), again, true)
	wantCode(t, err, convene.ECONFLICT)
	if tokens := c.tokens(t); len(tokens) != 0 {
		t.Errorf("a refused registration queued %d messages, want none", len(tokens))
	}
	// Only those who may register users may do it this way.
	member := c.User(t, "Member", "member@acme.test", "", convene.RoleMember)
	_, err = c.Store.CreateUserWithPasswordLink(As(member), &convene.User{Name: "X", Email: "x@acme.test", Role: convene.RoleMember}, false)
	wantCode(t, err, convene.EFORBIDDEN)
}

// testTenantWithPasswordLink checks the tenant, its admin and the admin's
// link are created in one go, and that a taken slug creates nothing.
func testTenantWithPasswordLink(t *testing.T, open Opener) {
	store := open(t)
	bg := context.Background()
	tenant := &convene.Tenant{Slug: "fresh", Name: "Fresh", DefaultRegion: "US", GuestsAllowed: true}
	admin := &convene.User{Name: "Boss", Email: "boss@fresh.test"}
	secret, err := store.CreateTenantWithPasswordLink(bg, tenant, admin)
	if err != nil {
		t.Fatalf("CreateTenantWithPasswordLink: %v", err)
	}
	if _, got, err := store.FindPasswordLink(bg, auth.HashSecret(secret)); err != nil || got.ID != admin.ID || got.Role != convene.RoleAdmin {
		t.Fatalf("FindPasswordLink = %+v, %v; want the admin", got, err)
	}
	taken := &convene.Tenant{Slug: "fresh", Name: "Again", DefaultRegion: "US"}
	_, err = store.CreateTenantWithPasswordLink(bg, taken, &convene.User{Name: "Other", Email: "other@fresh.test"})
	wantCode(t, err, convene.ECONFLICT)
	ctx := convene.NewSystemContext(bg, tenant.ID)
	if _, err := store.FindUserByLogin(ctx, "other@fresh.test"); convene.ErrorCode(err) != convene.ENOTFOUND {
		t.Errorf("the refused tenant's admin exists: %v", err)
	}
}
