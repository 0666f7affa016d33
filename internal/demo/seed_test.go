package demo_test

import (
	"context"
	"path/filepath"
	"testing"

	"convene"
	"convene/internal/auth"
	"convene/internal/demo"
	"convene/internal/phone"
	"convene/internal/sqlite"
)

func TestSeed(t *testing.T) {
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "demo.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	creds, err := demo.Seed(ctx, store, phone.Numbering{})
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	tenant, err := store.FindTenantBySlug(ctx, creds.Workspace)
	if err != nil {
		t.Fatalf("FindTenantBySlug(%q): %v", creds.Workspace, err)
	}
	sys := convene.NewSystemContext(ctx, tenant.ID)

	logins := []struct {
		login, password string
		role            convene.Role
	}{
		{creds.AdminLogin, creds.AdminPassword, convene.RoleAdmin},
		{creds.SessionAdminLogin, creds.SessionAdminPassword, convene.RoleSessionAdmin},
		{creds.MemberLogin, creds.MemberPassword, convene.RoleMember},
	}
	for _, l := range logins {
		u, err := store.FindUserByLogin(sys, l.login)
		if err != nil {
			t.Fatalf("FindUserByLogin(%q): %v", l.login, err)
		}
		if u.Role != l.role || !auth.CheckPassword(l.password, u.PasswordHash) {
			t.Errorf("%s: role %s, password ok %v; want role %s and the printed password", l.login, u.Role, auth.CheckPassword(l.password, u.PasswordHash), l.role)
		}
	}

	users := all(t, func(cursor string) ([]*convene.User, string, error) {
		return store.FindUsers(sys, convene.UserFilter{Limit: 100, Cursor: cursor})
	})
	phoneOnly := 0
	for _, u := range users {
		if u.Email == "" {
			phoneOnly++
		}
		if u.Phone != "" && u.Phone[0] != '+' {
			t.Errorf("user %s has phone %q, want E.164", u.Name, u.Phone)
		}
	}
	if len(users) != 22 || phoneOnly < 2 {
		t.Errorf("%d users, %d with a phone only; want 22 (2 admins + 20) with some phone-only", len(users), phoneOnly)
	}

	// The docs' example alias is a demo person: the demo tenant has the
	// phone alias domain.
	res, err := convene.ResolveContacts(sys, store, convene.NewContactParser(tenant, phone.Numbering{}), []string{"13245768342@" + demo.PhoneAliasDomain})
	if err != nil || len(res) != 1 || res[0].User == nil || res[0].User.Name != "Amara Eze" {
		t.Errorf("resolving 13245768342@%s: %+v, %v; want Amara Eze", demo.PhoneAliasDomain, res, err)
	}

	sessions := all(t, func(cursor string) ([]*convene.Session, string, error) {
		return store.FindSessions(sys, convene.SessionFilter{Limit: 100, Cursor: cursor})
	})
	owners, titles := map[int64]bool{}, map[string]bool{}
	for _, s := range sessions {
		owners[s.OwnerID], titles[s.Title] = true, true
	}
	if len(sessions) != 120 || len(titles) != 120 || len(owners) < 10 {
		t.Errorf("%d sessions, %d titles, %d owners; want 120 distinct titles by at least 10 owners", len(sessions), len(titles), len(owners))
	}
	memberships := 0
	for _, s := range sessions {
		ms, err := store.Members(sys, s.ID)
		if err != nil {
			t.Fatalf("Members(%d): %v", s.ID, err)
		}
		memberships += len(ms) - 1
	}
	if memberships < 10 {
		t.Errorf("%d memberships besides owners, want a few dozen", memberships)
	}

	if _, err := demo.Seed(ctx, store, phone.Numbering{}); convene.ErrorCode(err) != convene.ECONFLICT {
		t.Errorf("second Seed: %v, want ECONFLICT", err)
	}
}

// all collects every page of a paged finder.
func all[T any](t *testing.T, page func(cursor string) ([]T, string, error)) []T {
	t.Helper()
	var out []T
	cursor := ""
	for range 100 {
		items, next, err := page(cursor)
		if err != nil {
			t.Fatalf("page %q: %v", cursor, err)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		cursor = next
	}
	t.Fatalf("more than 100 pages")
	return nil
}
