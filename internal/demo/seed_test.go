package demo_test

import (
	"context"
	"image/png"
	"path/filepath"
	"strings"
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
	checkContent(t, store, sys, sessions)

	if _, err := demo.Seed(ctx, store, phone.Numbering{}); convene.ErrorCode(err) != convene.ECONFLICT {
		t.Errorf("second Seed: %v, want ECONFLICT", err)
	}
}

// checkContent fails t unless every session has its agenda note and the
// sessions people were invited to hold notes, a discussion and files, one
// of them a PNG that decodes.
func checkContent(t *testing.T, store convene.Store, sys context.Context, sessions []*convene.Session) {
	t.Helper()
	inUse := 0
	for _, s := range sessions {
		notes, _, err := store.FindNotes(sys, s.ID, 10, "")
		if err != nil || len(notes) == 0 || notes[0].Title != "Agenda" || !strings.Contains(notes[0].Body, "## "+s.Title) {
			t.Fatalf("notes of %q: %d, %v; want the agenda first", s.Title, len(notes), err)
		}
		files, _, err := store.FindFiles(sys, s.ID, 10, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(files) == 0 {
			continue
		}
		inUse++
		messages, _, err := store.FindMessages(sys, s.ID, 10, "")
		if err != nil || len(messages) < 5 || len(notes) < 2 || len(files) != 3 {
			t.Errorf("%q holds %d notes, %d messages (%v), %d files; want 2, 6 and 3", s.Title, len(notes), len(messages), err, len(files))
		}
		for _, f := range files {
			if f.ContentType != "image/png" {
				continue
			}
			_, rc, err := store.OpenFile(sys, s.ID, f.ID)
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(rc)
			rc.Close()
			if err != nil || cfg.Width == 0 {
				t.Errorf("%s of %q: %+v, %v; want a PNG", f.Name, s.Title, cfg, err)
			}
		}
	}
	if inUse != 9 {
		t.Errorf("%d sessions hold files, want the 9 people were invited to", inUse)
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
