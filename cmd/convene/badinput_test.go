package main_test

import (
	"strings"
	"testing"
)

// TestBadInput runs every kind of bad input: each must print one line,
// "convene: <message>", on stderr, nothing on stdout, exit 1 (2 for a
// command called wrongly), and leave nothing behind.
func TestBadInput(t *testing.T) {
	db := newDB(t)
	createAcme(t, db)
	mustRun(t, nil, "user", "add", "--db", db, "--tenant", "acme", "--email", "jane@acme.test", "--name", "Jane")

	tenant := func(extra ...string) []string {
		return append([]string{"tenant", "create", "--db", db, "--name", "Beta", "--slug", "beta", "--admin-email", "boss@beta.test"}, extra...)
	}
	user := func(extra ...string) []string {
		return append([]string{"user", "add", "--db", db, "--tenant", "acme", "--name", "New Person"}, extra...)
	}
	tests := []struct {
		name     string
		env      []string
		args     []string
		wantCode int
		wantMsg  string
	}{
		{"taken slug", nil, []string{"tenant", "create", "--db", db, "--slug", "acme", "--name", "Other", "--admin-email", "x@other.test"}, 1, `tenant slug "acme" is already taken`},
		{"malformed admin email", nil, tenant("--admin-email", "boss@"), 1, "admin-email"},
		{"admin email that is a phone", nil, tenant("--admin-email", "+1 212 555 0142"), 1, "not an email address"},
		{"bad slug", nil, tenant("--slug", "Beta Corp"), 1, "slug"},
		{"short password", nil, tenant("--admin-password", "short"), 1, "at least 8 characters"},
		{"unknown default region", []string{"CONVENE_DEFAULT_REGION=ZZ"}, tenant(), 1, "default region"},
		{"bad alias domain", []string{"CONVENE_PHONE_ALIAS_DOMAIN=not a domain"}, tenant(), 1, "phone_alias_domain"},
		{"missing tenant name", nil, []string{"tenant", "create", "--db", db, "--slug", "beta", "--admin-email", "boss@beta.test"}, 2, "--name is required"},
		{"unknown tenant", nil, []string{"user", "add", "--db", db, "--tenant", "nope", "--email", "new@acme.test", "--name", "New"}, 1, `no tenant with slug "nope"`},
		{"missing user name", nil, []string{"user", "add", "--db", db, "--tenant", "acme", "--email", "new@acme.test"}, 2, "--name is required"},
		{"blank user name", nil, []string{"user", "add", "--db", db, "--tenant", "acme", "--email", "new@acme.test", "--name", "  "}, 2, "--name is required"},
		{"malformed email", nil, user("--email", "new@@acme"), 1, "email"},
		{"invalid phone", nil, user("--phone", "+1 000 000"), 1, "phone"},
		{"no contact", nil, user(), 1, "--email, --phone or both"},
		{"unknown role", nil, user("--email", "new@acme.test", "--role", "owner"), 1, "role"},
		{"taken email", nil, user("--email", "JANE@acme.test"), 1, ""},
		{"unknown flag", nil, user("--email", "new@acme.test", "--bogus", "1"), 2, "flag provided but not defined: -bogus"},
		{"stray argument", nil, append(user("--email", "new@acme.test"), "extra"), 2, `unexpected argument "extra"`},
		{"unknown command", nil, []string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{"unknown subcommand", nil, []string{"tenant", "delete"}, 2, `unknown command "tenant delete"`},
		{"unknown database kind", nil, []string{"migrate", "--db", "mysql://root:secret@db/convene"}, 2, "sqlite:PATH or a postgres:// URL"},
		{"unknown database kind from env", []string{"CONVENE_DB=convene.db"}, []string{"migrate"}, 2, "sqlite:PATH or a postgres:// URL"},
		{"token for unknown user", nil, []string{"token", "create", "--db", db, "--tenant", "acme", "--user", "ghost@acme.test"}, 1, "no user ghost@acme.test"},
		{"token for unknown tenant", nil, []string{"token", "create", "--db", db, "--tenant", "nope", "--user", "jane@acme.test"}, 1, `no tenant with slug "nope"`},
		{"bad log format", nil, []string{"serve", "--db", db, "--log-format", "xml"}, 2, "--log-format"},
		{"invalid UTF-8 in a flag", nil, []string{"user", "add", "--db", db, "--tenant", "ac\xffme", "--email", "new@acme.test", "--name", "New"}, 2, "--tenant (or CONVENE_TENANT) is not valid UTF-8"},
		{"invalid UTF-8 in a name", nil, user("--email", "new@acme.test", "--name", "New \xc0\x80"), 2, "--name (or CONVENE_NAME) is not valid UTF-8"},
		{"invalid UTF-8 in a password", nil, tenant("--admin-password", "secret \xff secret"), 2, "--admin-password (or CONVENE_ADMIN_PASSWORD) is not valid UTF-8"},
		{"invalid UTF-8 from the environment", []string{"CONVENE_TENANT=a\xff"}, []string{"user", "add", "--db", db, "--email", "new@acme.test", "--name", "New"}, 2, "--tenant (or CONVENE_TENANT)"},
		{"bad rate-limit store", nil, []string{"serve", "--db", db, "--rate-limit-store", "redis"}, 2, "--rate-limit-store must be auto, memory or database"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cli(t, cleanEnv(tt.env...), tt.args...)
			if got.code != tt.wantCode {
				t.Errorf("exit status = %d, want %d (stderr %q)", got.code, tt.wantCode, got.stderr)
			}
			lines := strings.Split(strings.TrimSuffix(got.stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "convene: ") || !strings.Contains(lines[0], tt.wantMsg) {
				t.Errorf("stderr = %q, want one line \"convene: ...%s...\"", got.stderr, tt.wantMsg)
			}
			if got.stdout != "" {
				t.Errorf("stdout = %q, want nothing", got.stdout)
			}
			if strings.Contains(got.stderr, "secret") {
				t.Errorf("stderr shows a password: %q", got.stderr)
			}
		})
	}

	// Nothing was half-created: the tenant, the users and the tokens that the
	// bad commands named do not exist, and good input with the same names works.
	if tenantExists(t, db, "beta") || tenantExists(t, db, "nope") {
		t.Fatalf("a failed tenant create left a tenant behind")
	}
	for _, login := range []string{"new@acme.test", "x@other.test"} {
		if u := findUser(t, db, "acme", login); u != nil {
			t.Errorf("a failed command left user %s behind", login)
		}
	}
	mustRun(t, nil, tenant("--admin-password", "long-enough-1")...)
	mustRun(t, nil, user("--email", "new@acme.test")...)
	if u := findUser(t, db, "beta", "boss@beta.test"); u == nil {
		t.Errorf("tenant create with good input after the failures did not create the admin")
	}
}

// TestBadBytesInFlags: on PostgreSQL too, invalid UTF-8 in a flag is the
// CLI's clear refusal, not the database's complaint about encodings.
// (A NUL cannot be passed at all: exec refuses arguments that hold one.)
func TestBadBytesInFlags(t *testing.T) {
	for name, db := range map[string]func(t *testing.T) string{"SQLite": newAcmeDB, "PostgreSQL": func(t *testing.T) string { return withAcme(t, postgresDB(t)) }} {
		t.Run(name, func(t *testing.T) {
			got := cli(t, nil, "user", "add", "--db", db(t), "--tenant", "acme\xff", "--email", "new@acme.test", "--name", "New")
			if got.code != 2 || !strings.Contains(got.stderr, "--tenant (or CONVENE_TENANT) is not valid UTF-8") || strings.Contains(got.stderr, "SQLSTATE") {
				t.Errorf("exit %d, stderr %q; want 2 and the CLI's own message", got.code, got.stderr)
			}
		})
	}
}
