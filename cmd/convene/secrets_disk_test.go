package main_test

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"convene/internal/poll"
)

// linkSecret finds the secret of every link in a text: 43 URL-safe
// characters after its path.
var linkSecret = regexp.MustCompile(`/(?:invite|set-password)/([A-Za-z0-9_-]{43})`)

// secretsSeen collects every secret a test saw, by what it is.
type secretsSeen map[string]string

// TestNoSecretOnDiskSQLite: after every kind of link is sent (and the
// other secrets made), and the server stopped cleanly, neither the SQLite
// file nor its -wal holds any of them in clear (contract section 12).
func TestNoSecretOnDiskSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "convene.db")
	db := "sqlite:" + path
	seen := makeSecrets(t, db)
	found := 0
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(f)
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			t.Fatal(err)
		}
		found++
		wantNoSecret(t, f, b, seen)
	}
	if found == 0 {
		t.Fatal("no database file to search")
	}
	wantPresent(t, "the database file", readAll(t, path), "guest@example.test")
}

// makeSecrets fills db with one of each secret through the CLI and the API
// of a real "convene serve" whose log sender delivers the messages, stops
// it cleanly, and returns every secret it saw.
func makeSecrets(t *testing.T, db string) secretsSeen {
	t.Helper()
	seen := secretsSeen{}
	withAcme(t, db)
	out := mustRun(t, nil, "tenant", "create", "--db", db, "--slug", "beta", "--name", "Beta", "--admin-email", "boss@beta.test").stdout
	seen.fromText(t, "tenant create's link", out)
	out = mustRun(t, nil, "user", "add", "--db", db, "--tenant", "acme", "--email", "cli@acme.test", "--name", "Cli").stdout
	seen.fromText(t, "user add's link", out)

	srv := startServer(t, db)
	c := signIn(t, srv.url)
	session := id(c.must("POST", "/api/v1/sessions", obj{"title": "Plans"}, 201)["id"])
	results, _ := c.must("POST", "/api/v1/sessions/"+session+"/invitations", obj{"contacts": "guest@example.test"}, 200)["results"].([]any)
	if len(results) != 1 {
		t.Fatalf("invite answered %v results, want 1", results)
	}
	inv := results[0].(obj)
	first := srv.waitLink(t, seen, "guest invitation")
	c.must("POST", "/api/v1/invitations/"+id(inv["invitation_id"])+"/resend", nil, 200)
	resent := srv.waitLink(t, seen, "resent invitation")
	c.must("POST", "/api/v1/users", obj{"email": "new@acme.test", "name": "New Person"}, 200, 201)
	srv.waitLink(t, seen, "set-password link of a new user")
	newAPI(t, srv.url).must("POST", "/api/v1/auth/password-reset", obj{"tenant": "acme", "login": acmeAdmin}, 202)
	srv.waitLink(t, seen, "password reset")
	seen["API token"] = c.must("POST", "/api/v1/tokens", obj{"name": "laptop"}, 200, 201)["token"].(string)

	// The secrets are real: the resent link works, the one it replaced not.
	guest := newAPI(t, srv.url)
	status, _, _ := guest.call("POST", "/api/v1/invitations/accept", obj{"token": first, "name": "Gus", "password": "a long password"})
	if status != 404 {
		t.Errorf("the link replaced by the resend answered %d, want 404", status)
	}
	guest.must("POST", "/api/v1/invitations/accept", obj{"token": resent, "name": "Gus", "password": "a long password"}, 200)
	seen.cookies(t, c, "admin's sign-in cookie")
	seen.cookies(t, guest, "guest's sign-in cookie")
	srv.stop()
	srv.wantSecretsOnlyInMessages(t, seen)
	return seen
}

// fromText records the one link secret of text.
func (s secretsSeen) fromText(t *testing.T, what, text string) string {
	t.Helper()
	m := linkSecret.FindAllStringSubmatch(text, -1)
	if len(m) != 1 {
		t.Fatalf("%s: %d links in %q, want 1", what, len(m), text)
	}
	s[what] = m[0][1]
	return m[0][1]
}

// cookies records the cookie values of c's jar.
func (s secretsSeen) cookies(t *testing.T, c *api, what string) {
	t.Helper()
	u, _ := url.Parse(c.base)
	for _, k := range c.client.Jar.Cookies(u) {
		s[what+" "+k.Name] = k.Value
	}
	if len(c.client.Jar.Cookies(u)) == 0 {
		t.Errorf("%s: no cookie", what)
	}
}

// waitLink waits for the log sender's next message with a link the test
// has not seen yet, records its secret and returns it.
func (s *server) waitLink(t *testing.T, seen secretsSeen, what string) string {
	t.Helper()
	var secret string
	poll.UntilNil(t, 20*time.Second, what+": a new link in the log", func() error {
		for _, m := range linkSecret.FindAllStringSubmatch(s.logs.String(), -1) {
			if !seen.has(m[1]) {
				secret = m[1]
				return nil
			}
		}
		return fmt.Errorf("none yet in\n%s", s.logs.String())
	})
	seen[what] = secret
	return secret
}

func (s secretsSeen) has(secret string) bool {
	for _, v := range s {
		if v == secret {
			return true
		}
	}
	return false
}

// wantSecretsOnlyInMessages checks that the server's log holds secrets
// only in the log sender's messages (which are the messages, in
// development), never in a request line or anywhere else.
func (s *server) wantSecretsOnlyInMessages(t *testing.T, seen secretsSeen) {
	t.Helper()
	for _, line := range strings.Split(s.logs.String(), "\n") {
		if strings.Contains(line, "log sender: not delivered") {
			continue
		}
		for what, secret := range seen {
			if strings.Contains(line, secret) {
				t.Errorf("the %s is in a log line: %s", what, line)
			}
		}
	}
}

// wantNoSecret fails t for every secret of seen found in b (the file f).
func wantNoSecret(t *testing.T, f string, b []byte, seen secretsSeen) {
	t.Helper()
	for what, secret := range seen {
		if bytes.Contains(b, []byte(secret)) {
			t.Errorf("%s holds the %s in clear", f, what)
		}
	}
}

// wantPresent checks that the search can see: b holds plain, a value the
// database stores as typed.
func wantPresent(t *testing.T, what string, b []byte, plain string) {
	t.Helper()
	if !bytes.Contains(b, []byte(plain)) {
		t.Errorf("%s does not hold %q either: the search would not find a secret", what, plain)
	}
}

func readAll(t *testing.T, f string) []byte {
	t.Helper()
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
