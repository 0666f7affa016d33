package main_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeCSV writes text to a CSV file of the test and returns its path.
func writeCSV(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "users.csv")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// A refused file prints one line per problem (not a terminal: no bar),
// exits 1 and registers nobody; a good file, as Excel writes it in many
// locales, imports, then again changes nothing.
func TestUserImport(t *testing.T) {
	db := newDB(t)
	createAcme(t, db)
	bad := writeCSV(t, "email,name\nok@acme.test,Ok\nnot-an-email,Bad\n,Nobody\n")
	r := cli(t, nil, "user", "import", "--db", db, "--tenant", "acme", bad)
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if r.code != 1 || len(lines) < 3 || !strings.HasPrefix(lines[0], "row 3 email: ") || !strings.HasPrefix(lines[1], "row 4") {
		t.Errorf("exit %d, stderr:\n%s\nwant 1 and a line for rows 3 and 4", r.code, r.stderr)
	}
	if findUser(t, db, "acme", "ok@acme.test") != nil {
		t.Error("a refused file registered its good row")
	}

	good := writeCSV(t, "\xef\xbb\xbfemail;phone;name;role\r\nok@acme.test;;\"=HYPERLINK(\"\"x\"\")\";session_admin\r\n;(212) 555-0142;Phone Only;\r\n")
	r = mustRun(t, nil, "user", "import", "--db", db, "--tenant", "acme", good)
	if !strings.Contains(r.stdout, "created") {
		t.Errorf("stdout %q", r.stdout)
	}
	u := findUser(t, db, "acme", "ok@acme.test")
	if u == nil || u.Name != `=HYPERLINK("x")` || u.Role != "session_admin" {
		t.Errorf("imported %+v, want the formula kept as the name and the role", u)
	}
	r = mustRun(t, nil, "user", "import", "--db", db, "--tenant", "acme", good)
	if !strings.Contains(r.stdout, "created 0 users, 2 unchanged") {
		t.Errorf("second import: %q, want all unchanged", r.stdout)
	}
}
