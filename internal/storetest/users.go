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
	err := f.store.CreateTenant(context.Background(), dup, &convene.User{Name: "A", Email: "a@x.test", Role: convene.RoleAdmin})
	wantCode(t, err, convene.ECONFLICT)
	got, err := f.store.FindTenantBySlug(context.Background(), "acme")
	if err != nil || got.ID != f.tenant.ID || got.DefaultRegion != "US" {
		t.Errorf("FindTenantBySlug(acme) = %+v, %v; want tenant %d", got, err, f.tenant.ID)
	}
	_, err = f.store.FindTenantBySlug(context.Background(), "nope")
	wantCode(t, err, convene.ENOTFOUND)
	if cur, err := f.store.CurrentTenant(as(f.admin)); err != nil || cur.ID != f.tenant.ID {
		t.Errorf("CurrentTenant = %+v, %v; want tenant %d", cur, err, f.tenant.ID)
	}
	name := "Acme Inc"
	if upd, err := f.store.UpdateTenant(as(f.admin), convene.TenantUpdate{Name: &name}); err != nil || upd.Name != name {
		t.Errorf("UpdateTenant(name) = %+v, %v; want name %q", upd, err, name)
	}
	member := f.user(t, "Mo", "mo@acme.test", "", convene.RoleMember)
	_, err = f.store.UpdateTenant(as(member), convene.TenantUpdate{Name: &name})
	wantCode(t, err, convene.EFORBIDDEN)
}

func testUsers(t *testing.T, open Opener) {
	f := newFixture(t, open)
	other := addTenant(t, f.store, "globex")
	jane := f.user(t, "Jane", "jane@acme.test", "+13245768342", convene.RoleMember)
	if jane.ID == 0 || jane.TenantID != f.tenant.ID || jane.CreatedAt.IsZero() {
		t.Errorf("CreateUser filled in %+v, want id, tenant, created_at", jane)
	}
	tests := []struct {
		name  string
		store *fixture
		email string
		phone string
		want  string
	}{
		{"SameEmail", f, "jane@acme.test", "", convene.ECONFLICT},
		{"SamePhone", f, "other@acme.test", "+13245768342", convene.ECONFLICT},
		{"SameEmailOtherTenant", other, "jane@acme.test", "", ""},
		{"SamePhoneOtherTenant", other, "", "+13245768342", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.store.store.CreateUser(tt.store.sys(), &convene.User{Name: "Twin", Email: tt.email, Phone: tt.phone, Role: convene.RoleMember})
			wantCode(t, err, tt.want)
		})
	}
	for _, login := range []string{"jane@acme.test", "+13245768342"} {
		if got, err := f.store.FindUserByLogin(f.sys(), login); err != nil || got.ID != jane.ID {
			t.Errorf("FindUserByLogin(%q) = %+v, %v; want user %d", login, got, err, jane.ID)
		}
	}
	_, err := f.store.FindUserByLogin(f.sys(), "nobody@acme.test")
	wantCode(t, err, convene.ENOTFOUND)
	member := f.user(t, "Mo", "mo@acme.test", "", convene.RoleMember)
	wantCode(t, f.store.CreateUser(as(member), &convene.User{Name: "X", Email: "x@acme.test", Role: convene.RoleMember}), convene.EFORBIDDEN)
	wantCode(t, f.store.CreateUser(f.sys(), &convene.User{Name: "", Email: "y@acme.test", Role: convene.RoleMember}), convene.EINVALID)

	role := convene.RoleSessionAdmin
	got, err := f.store.UpdateUser(as(f.admin), jane.ID, convene.UserUpdate{Role: &role})
	if err != nil || got.Role != role {
		t.Errorf("UpdateUser(role) = %+v, %v; want role %q", got, err, role)
	}
	bad := convene.Role("owner")
	_, err = f.store.UpdateUser(as(f.admin), jane.ID, convene.UserUpdate{Role: &bad})
	wantCode(t, err, convene.EINVALID)
	_, err = f.store.UpdateUser(as(member), jane.ID, convene.UserUpdate{Role: &role})
	wantCode(t, err, convene.EFORBIDDEN)
	if got := f.disable(t, jane); !got.Disabled {
		t.Errorf("UpdateUser(disable) = Disabled false")
	}
	if got, err := f.store.FindUserByID(f.sys(), jane.ID); err != nil || !got.Disabled || got.Role != role {
		t.Errorf("FindUserByID after updates = %+v, %v; want disabled %s", got, err, role)
	}
	testFindUsers(t, f)
}

func testFindUsers(t *testing.T, f *fixture) {
	t.Helper()
	var all []int64
	filter := convene.UserFilter{Limit: 1}
	for range 100 {
		page, next, err := f.store.FindUsers(as(f.admin), filter)
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
	page, _, err := f.store.FindUsers(as(f.admin), convene.UserFilter{Query: "JANE"})
	if err != nil || len(page) != 1 || page[0].Name != "Jane" {
		t.Errorf("FindUsers(JANE) = %d users, %v; want Jane", len(page), err)
	}
	// Case is ignored beyond ASCII too.
	f.user(t, "Ömer Çelik", "omer@acme.test", "", convene.RoleMember)
	page, _, err = f.store.FindUsers(as(f.admin), convene.UserFilter{Query: "öMER ç"})
	if err != nil || len(page) != 1 || page[0].Name != "Ömer Çelik" {
		t.Errorf("FindUsers(öMER ç) = %d users, %v; want Ömer Çelik", len(page), err)
	}
	guest := f.user(t, "Gus", "gus@acme.test", "", convene.RoleGuest)
	_, _, err = f.store.FindUsers(as(guest), convene.UserFilter{})
	wantCode(t, err, convene.EFORBIDDEN)
}
