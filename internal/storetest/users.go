package storetest

import (
	"context"
	"slices"
	"testing"

	"convene"
)

func testTenants(t *testing.T, open Opener) {
	f := newFixture(t, open)
	dup := &convene.Tenant{Slug: "acme", Name: "Again", DefaultRegion: "US", InvitationTTL: convene.DefaultInvitationTTL}
	err := f.Store.CreateTenant(context.Background(), dup, &convene.User{Name: "A", Email: "a@x.test", Role: convene.RoleAdmin})
	wantCode(t, err, convene.ECONFLICT)
	got, err := f.Store.FindTenantBySlug(context.Background(), "acme")
	if err != nil || got.ID != f.Tenant.ID || got.DefaultRegion != "US" {
		t.Errorf("FindTenantBySlug(acme) = %+v, %v; want tenant %d", got, err, f.Tenant.ID)
	}
	_, err = f.Store.FindTenantBySlug(context.Background(), "nope")
	wantCode(t, err, convene.ENOTFOUND)
	if cur, err := f.Store.CurrentTenant(As(f.Admin)); err != nil || cur.ID != f.Tenant.ID {
		t.Errorf("CurrentTenant = %+v, %v; want tenant %d", cur, err, f.Tenant.ID)
	}
	name := "Acme Inc"
	if upd, err := f.Store.UpdateTenant(As(f.Admin), convene.TenantUpdate{Name: &name}); err != nil || upd.Name != name {
		t.Errorf("UpdateTenant(name) = %+v, %v; want name %q", upd, err, name)
	}
	member := f.User(t, "Mo", "mo@acme.test", "", convene.RoleMember)
	_, err = f.Store.UpdateTenant(As(member), convene.TenantUpdate{Name: &name})
	wantCode(t, err, convene.EFORBIDDEN)
}

func testUsers(t *testing.T, open Opener) {
	f := newFixture(t, open)
	other := AddTenant(t, f.Store, "globex")
	jane := f.User(t, "Jane", "jane@acme.test", "+13245768342", convene.RoleMember)
	if jane.ID == 0 || jane.TenantID != f.Tenant.ID || jane.CreatedAt.IsZero() {
		t.Errorf("CreateUser filled in %+v, want id, tenant, created_at", jane)
	}
	tests := []struct {
		name  string
		store *Fixture
		email string
		phone string
		want  string
	}{
		{"SameEmail", f, "jane@acme.test", "", convene.ECONFLICT},
		{"SameEmailOtherCase", f, "Jane@ACME.test", "", convene.ECONFLICT},
		{"SamePhone", f, "other@acme.test", "+13245768342", convene.ECONFLICT},
		{"SameEmailOtherTenant", other, "jane@acme.test", "", ""},
		{"SamePhoneOtherTenant", other, "", "+13245768342", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.store.Store.CreateUser(tt.store.Sys(), &convene.User{Name: "Twin", Email: tt.email, Phone: tt.phone, Role: convene.RoleMember})
			wantCode(t, err, tt.want)
		})
	}
	for _, login := range []string{"jane@acme.test", "+13245768342"} {
		if got, err := f.Store.FindUserByLogin(f.Sys(), login); err != nil || got.ID != jane.ID {
			t.Errorf("FindUserByLogin(%q) = %+v, %v; want user %d", login, got, err, jane.ID)
		}
	}
	_, err := f.Store.FindUserByLogin(f.Sys(), "nobody@acme.test")
	wantCode(t, err, convene.ENOTFOUND)
	member := f.User(t, "Mo", "mo@acme.test", "", convene.RoleMember)
	wantCode(t, f.Store.CreateUser(As(member), &convene.User{Name: "X", Email: "x@acme.test", Role: convene.RoleMember}), convene.EFORBIDDEN)
	wantCode(t, f.Store.CreateUser(f.Sys(), &convene.User{Name: "", Email: "y@acme.test", Role: convene.RoleMember}), convene.EINVALID)

	role := convene.RoleSessionAdmin
	got, err := f.Store.UpdateUser(As(f.Admin), jane.ID, convene.UserUpdate{Role: &role})
	if err != nil || got.Role != role {
		t.Errorf("UpdateUser(role) = %+v, %v; want role %q", got, err, role)
	}
	bad := convene.Role("owner")
	_, err = f.Store.UpdateUser(As(f.Admin), jane.ID, convene.UserUpdate{Role: &bad})
	wantCode(t, err, convene.EINVALID)
	_, err = f.Store.UpdateUser(As(member), jane.ID, convene.UserUpdate{Role: &role})
	wantCode(t, err, convene.EFORBIDDEN)
	if got := f.Disable(t, jane); !got.Disabled {
		t.Errorf("UpdateUser(disable) = Disabled false")
	}
	if got, err := f.Store.FindUserByID(f.Sys(), jane.ID); err != nil || !got.Disabled || got.Role != role {
		t.Errorf("FindUserByID after updates = %+v, %v; want disabled %s", got, err, role)
	}
	testFindUsers(t, f)

	// An email is stored lowercased whoever creates the user, so that the
	// same address in another case is the same person.
	pia := f.User(t, "Pia", "Pia@Acme.TEST", "", convene.RoleMember)
	if got, err := f.Store.FindUserByID(f.Sys(), pia.ID); err != nil || got.Email != "pia@acme.test" {
		t.Errorf("CreateUser(Pia@Acme.TEST) stored %+v, %v; want email pia@acme.test", got, err)
	}
}

func testFindUsers(t *testing.T, f *Fixture) {
	t.Helper()
	var all []int64
	filter := convene.UserFilter{Limit: 1}
	for range 100 {
		page, next, err := f.Store.FindUsers(As(f.Admin), filter)
		if err != nil {
			t.Fatalf("FindUsers: %v", err)
		}
		for _, u := range page {
			all = append(all, u.ID)
		}
		if next == "" {
			break
		}
		filter.Cursor = next
	}
	unique := slices.Compact(slices.Sorted(slices.Values(all)))
	if got, want := len(all), 3; got != want || len(unique) != got {
		t.Errorf("FindUsers pages: %v, want %d users once each", all, want)
	}
	page, _, err := f.Store.FindUsers(As(f.Admin), convene.UserFilter{Query: "JANE"})
	if err != nil || len(page) != 1 || page[0].Name != "Jane" {
		t.Errorf("FindUsers(JANE) = %d users, %v; want Jane", len(page), err)
	}
	// Case is ignored beyond ASCII too.
	f.User(t, "Ömer Çelik", "omer@acme.test", "", convene.RoleMember)
	page, _, err = f.Store.FindUsers(As(f.Admin), convene.UserFilter{Query: "öMER ç"})
	if err != nil || len(page) != 1 || page[0].Name != "Ömer Çelik" {
		t.Errorf("FindUsers(öMER ç) = %d users, %v; want Ömer Çelik", len(page), err)
	}
	guest := f.User(t, "Gus", "gus@acme.test", "", convene.RoleGuest)
	_, _, err = f.Store.FindUsers(As(guest), convene.UserFilter{})
	wantCode(t, err, convene.EFORBIDDEN)
}
