package main_test

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"

	"convene"
	"convene/internal/auth"
	"convene/internal/sqlite"
)

// newDB returns the --db value of a fresh SQLite file.
func newDB(t testing.TB) string {
	return "sqlite:" + filepath.Join(t.TempDir(), "convene.db")
}

// withStore opens the database behind db to look at what a command did.
func withStore(t *testing.T, db string, fn func(s convene.Store)) {
	t.Helper()
	s, err := sqlite.Open(strings.TrimPrefix(db, "sqlite:"))
	if err != nil {
		t.Fatalf("open %s: %v", db, err)
	}
	defer s.Close()
	fn(s)
}

// findUser returns the user of tenant slug with login, or nil.
func findUser(t *testing.T, db, slug, login string) *convene.User {
	t.Helper()
	var u *convene.User
	withStore(t, db, func(s convene.Store) {
		tenant, err := s.FindTenantBySlug(context.Background(), slug)
		if err != nil {
			t.Fatalf("FindTenantBySlug(%q): %v", slug, err)
		}
		u, err = s.FindUserByLogin(convene.NewSystemContext(context.Background(), tenant.ID), login)
		if convene.ErrorCode(err) == convene.ENOTFOUND {
			u = nil
		} else if err != nil {
			t.Fatalf("FindUserByLogin(%q): %v", login, err)
		}
	})
	return u
}

// tenantExists reports whether a tenant with slug is in db.
func tenantExists(t *testing.T, db, slug string) bool {
	t.Helper()
	var found bool
	withStore(t, db, func(s convene.Store) {
		_, err := s.FindTenantBySlug(context.Background(), slug)
		if err != nil && convene.ErrorCode(err) != convene.ENOTFOUND {
			t.Fatalf("FindTenantBySlug(%q): %v", slug, err)
		}
		found = err == nil
	})
	return found
}

// createAcme creates tenant acme with an admin who has a password.
func createAcme(t *testing.T, db string) {
	t.Helper()
	mustRun(t, nil, "tenant", "create", "--db", db, "--slug", "acme", "--name", "Acme Inc.",
		"--admin-email", "Admin@Acme.test", "--admin-name", "Ada Admin", "--admin-password", "correct-horse-1")
}

func TestTenantCreate(t *testing.T) {
	db := newDB(t)
	createAcme(t, db)
	admin := findUser(t, db, "acme", "admin@acme.test")
	if admin == nil || admin.Role != convene.RoleAdmin || admin.Name != "Ada Admin" {
		t.Fatalf("admin = %+v, want Ada Admin, admin@acme.test, role admin", admin)
	}
	if !auth.CheckPassword("correct-horse-1", admin.PasswordHash) {
		t.Errorf("the admin's password does not check")
	}

	env := cleanEnv("CONVENE_PUBLIC_URL=https://convene.example.com/", "CONVENE_DEFAULT_REGION=de")
	got := mustRun(t, env, "tenant", "create", "--db", db, "--slug", "beta", "--name", "Beta GmbH",
		"--admin-email", "chef@beta.test", "--admin-phone", "030 901820")
	u := findUser(t, db, "beta", "+4930901820")
	if u == nil || u.PasswordHash != "" {
		t.Fatalf("beta's admin by phone = %+v, want one without a password (region DE applied)", u)
	}
	checkSetPasswordLink(t, db, "beta", lastLine(got.stdout), "https://convene.example.com/set-password/", "+4930901820")
}

func TestUserAdd(t *testing.T) {
	db := newDB(t)
	createAcme(t, db)
	mustRun(t, nil, "user", "add", "--db", db, "--tenant", "acme", "--email", "Jane.Doe@ACME.test", "--name", "Jane Doe")
	mustRun(t, nil, "user", "add", "--db", db, "--tenant", "acme", "--phone", "(212) 555-0142", "--name", "Field Worker")
	env := cleanEnv("CONVENE_DB="+db, "CONVENE_ROLE=admin")
	mustRun(t, env, "user", "add", "--tenant", "acme", "--email", "sam@acme.test", "--name", "Sam", "--role", "session_admin", "--password", "sam-password-1")

	tests := []struct {
		login string
		want  convene.User
	}{
		{"jane.doe@acme.test", convene.User{Name: "Jane Doe", Email: "jane.doe@acme.test", Role: convene.RoleMember}},
		{"+12125550142", convene.User{Name: "Field Worker", Phone: "+12125550142", Role: convene.RoleMember}},
		{"sam@acme.test", convene.User{Name: "Sam", Email: "sam@acme.test", Role: convene.RoleSessionAdmin}},
	}
	for _, tt := range tests {
		got := findUser(t, db, "acme", tt.login)
		if got == nil {
			t.Errorf("user %s was not created", tt.login)
			continue
		}
		if got.Name != tt.want.Name || got.Email != tt.want.Email || got.Phone != tt.want.Phone || got.Role != tt.want.Role {
			t.Errorf("user %s = %q %q %q %q, want %q %q %q %q", tt.login, got.Name, got.Email, got.Phone, got.Role,
				tt.want.Name, tt.want.Email, tt.want.Phone, tt.want.Role)
		}
	}
}

func TestTokenCreate(t *testing.T) {
	db := newDB(t)
	createAcme(t, db)
	mustRun(t, nil, "user", "add", "--db", db, "--tenant", "acme", "--phone", "+1 212 555 0142", "--name", "Field Worker")
	for login, want := range map[string]string{"ADMIN@acme.test": "admin@acme.test", "212-555-0142": "+12125550142"} {
		got := mustRun(t, nil, "token", "create", "--db", db, "--tenant", "acme", "--user", login, "--name", "ci")
		token := strings.TrimSuffix(got.stdout, "\n")
		if strings.ContainsAny(token, " \n") || token == "" {
			t.Fatalf("token create printed %q, want the token alone on one line", got.stdout)
		}
		if raw, err := base64.RawURLEncoding.DecodeString(token); err != nil || len(raw)*8 < 128 {
			t.Errorf("token %q: %d bits (%v), want at least 128", token, len(raw)*8, err)
		}
		withStore(t, db, func(s convene.Store) {
			u, err := s.AuthenticateToken(context.Background(), auth.HashSecret(token))
			if err != nil || u.Login() != want {
				t.Errorf("AuthenticateToken(token for %s) = %+v, %v; want user %s", login, u, err, want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"tenant", "create", "-h"}} {
		got := cli(t, nil, args...)
		if got.code != 0 || !strings.Contains(got.stdout, "Usage") {
			t.Errorf("convene %v: exit %d, stdout %q; want 0 and usage", args, got.code, got.stdout)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
