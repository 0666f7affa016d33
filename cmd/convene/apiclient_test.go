package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"convene/internal/api/apicheck"
)

// api is a client of a running server's HTTP API: a cookie jar for a
// signed-in browser session, or a bearer token.
type api struct {
	t      testing.TB
	base   string
	client *http.Client
	bearer string
}

func newAPI(t testing.TB, base string) *api {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &api{t: t, base: base, client: apicheck.Client(t, &http.Client{Jar: jar, Timeout: 30 * time.Second})}
}

// The admin of the tenant "acme" that newAcmeDB creates.
const (
	acmeAdmin    = "admin@acme.test"
	acmePassword = "admin-pass-123"
)

// newAcmeDB returns the --db value of a fresh SQLite file holding tenant
// "acme" and its admin, created by "convene tenant create".
func newAcmeDB(t *testing.T) string {
	t.Helper()
	return withAcme(t, newDB(t))
}

// withAcme creates tenant acme and its admin in db, and returns db.
func withAcme(t testing.TB, db string) string {
	t.Helper()
	mustRun(t, nil, "tenant", "create", "--db", db, "--slug", "acme", "--name", "Acme",
		"--admin-email", acmeAdmin, "--admin-password", acmePassword)
	return db
}

// signIn returns a client of the server at base signed in as acme's admin,
// with the session cookie the login set.
func signIn(t testing.TB, base string) *api {
	t.Helper()
	c := newAPI(t, base)
	c.must("POST", "/api/v1/auth/login", obj{"tenant": "acme", "login": acmeAdmin, "password": acmePassword}, 200)
	if u, _ := url.Parse(base); len(c.client.Jar.Cookies(u)) == 0 {
		t.Fatal("login set no cookie")
	}
	return c
}

// obj is a decoded JSON object.
type obj = map[string]any

// call sends body (JSON, unless nil) and returns the status and the decoded
// answer (nil when empty). headers come in pairs: name, value.
func (c *api) call(method, path string, body any, headers ...string) (int, obj, http.Header) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.client.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out obj
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("%s %s: %d, answer is no JSON object: %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, out, resp.Header
}

// must calls and fails the test unless the status is one of want.
func (c *api) must(method, path string, body any, want ...int) obj {
	c.t.Helper()
	status, out, _ := c.call(method, path, body)
	for _, w := range want {
		if status == w {
			return out
		}
	}
	c.t.Fatalf("%s %s: status %d, want %v; answer %v", method, path, status, want, out)
	return nil
}

// problem checks that an error answer is problem+json with the status.
func (c *api) problem(status int, wantStatus int, out obj, hdr http.Header, what string) {
	c.t.Helper()
	if status != wantStatus {
		c.t.Errorf("%s: status %d, want %d (%v)", what, status, wantStatus, out)
		return
	}
	if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		c.t.Errorf("%s: Content-Type %q, want application/problem+json", what, ct)
	}
	for _, k := range []string{"type", "title", "status", "detail"} {
		if _, ok := out[k]; !ok {
			c.t.Errorf("%s: problem lacks %q: %v", what, k, out)
		}
	}
}

// id returns a JSON id (a string, or a number) as the string used in paths.
func id(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprint(v)
}

// items returns the "items" array of an answer.
func items(o obj) []obj {
	raw, _ := o["items"].([]any)
	out := make([]obj, 0, len(raw))
	for _, r := range raw {
		if m, ok := r.(obj); ok {
			out = append(out, m)
		}
	}
	return out
}

// get walks nested objects: get(o, "user", "id").
func get(o obj, keys ...string) any {
	var v any = o
	for _, k := range keys {
		m, ok := v.(obj)
		if !ok {
			return nil
		}
		v = m[k]
	}
	return v
}
