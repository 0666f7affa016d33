package web_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/auth"
	"convene/internal/storetest"
	"convene/internal/web"
)

const goodPassword = "a correct password"

func (e *env) login(c *http.Client, tenant, login, password string) *resp {
	e.t.Helper()
	return e.send(c, e.request("POST", "/api/v1/auth/login", map[string]string{"tenant": tenant, "login": login, "password": password}))
}

func sessionCookie(r *resp) *http.Cookie {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == web.CookieName {
			return c
		}
	}
	return nil
}

// withCookie sends a request carrying only the given session cookie value.
func (e *env) withCookie(value, method, path string, body any, header ...string) *resp {
	e.t.Helper()
	req := e.request(method, path, body, header...)
	req.AddCookie(&http.Cookie{Name: web.CookieName, Value: value})
	return e.send(e.srv.Client(), req)
}

func TestLoginCookie(t *testing.T) {
	e := newEnv(t, unlimited)
	admin := e.users["admin"]
	e.setPassword(admin, goodPassword)

	r := e.login(e.srv.Client(), "acme", "Admin@ACME.test", goodPassword)
	wantStatus(t, r, http.StatusOK, "login")
	c := sessionCookie(r)
	if c == nil {
		t.Fatalf("login set no %s cookie: %v", web.CookieName, r.header)
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure {
		t.Errorf("cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", c)
	}
	if len(c.Value) < 22 {
		t.Errorf("cookie value %q is too short to hold 128 random bits", c.Value)
	}
	var me struct {
		User   struct{ ID, Email string }
		Tenant struct{ Slug string }
	}
	r.decode(t, &me)
	if me.User.ID != id(admin.ID) || me.Tenant.Slug != "acme" {
		t.Errorf("login answered %s", r.body)
	}
	wantStatus(t, e.withCookie(c.Value, "GET", "/api/v1/me", nil), http.StatusOK, "me with the cookie")

	// A new session id at every login; a login from a browser that had one
	// revokes the old one.
	r2 := e.send(e.srv.Client(), func() *http.Request {
		req := e.request("POST", "/api/v1/auth/login", map[string]string{"tenant": "acme", "login": "admin@acme.test", "password": goodPassword})
		req.AddCookie(&http.Cookie{Name: web.CookieName, Value: c.Value})
		return req
	}())
	c2 := sessionCookie(r2)
	if c2 == nil || c2.Value == c.Value {
		t.Fatalf("second login: cookie %v, want a new session id", c2)
	}
	wantProblem(t, e.withCookie(c.Value, "GET", "/api/v1/me", nil), http.StatusUnauthorized, "the session replaced at login")
	wantStatus(t, e.withCookie(c2.Value, "GET", "/api/v1/me", nil), http.StatusOK, "the new session")

	// Logout revokes the session server-side, not just in the browser.
	out := e.withCookie(c2.Value, "POST", "/api/v1/auth/logout", nil)
	wantStatus(t, out, http.StatusNoContent, "logout")
	if c := sessionCookie(out); c == nil || c.MaxAge >= 0 {
		t.Errorf("logout cookie %v, want it cleared", c)
	}
	wantProblem(t, e.withCookie(c2.Value, "GET", "/api/v1/me", nil), http.StatusUnauthorized, "the session after logout")

	// Login by phone number, as typed.
	phoneUser := &convene.User{Name: "Phone Person", Phone: "+12025550143", Role: convene.RoleMember}
	if err := e.fx.Store.CreateUser(e.fx.Sys(), phoneUser); err != nil {
		t.Fatal(err)
	}
	e.setPassword(phoneUser, goodPassword)
	wantStatus(t, e.login(e.srv.Client(), "acme", "(202) 555-0143", goodPassword), http.StatusOK, "login by phone")
}

func TestLoginSecureCookie(t *testing.T) {
	e := newEnv(t, unlimited, func(c *web.Config) { c.PublicURL = "https://convene.example" })
	e.setPassword(e.users["admin"], goodPassword)
	r := e.login(e.srv.Client(), "acme", "admin@acme.test", goodPassword)
	if c := sessionCookie(r); c == nil || !c.Secure {
		t.Errorf("cookie %v, want Secure when the public URL is https", c)
	}
}

func TestLoginFailuresLookAlike(t *testing.T) {
	e := newEnv(t, unlimited)
	e.setPassword(e.users["admin"], goodPassword)
	e.setPassword(e.users["disabled"], goodPassword)
	cases := []struct{ name, tenant, login, password string }{
		{"unknown tenant", "nope", "admin@acme.test", goodPassword},
		{"unknown login", "acme", "nobody@acme.test", goodPassword},
		{"wrong password", "acme", "admin@acme.test", "not the password"},
		{"disabled user", "acme", "disabled@acme.test", goodPassword},
		{"user without password", "acme", "member@acme.test", goodPassword},
		{"another tenant's user", "globex", "admin@acme.test", goodPassword},
		{"invalid login", "acme", "bob@", goodPassword},
		{"empty password", "acme", "admin@acme.test", ""},
		{"overlong password", "acme", "admin@acme.test", strings.Repeat("x", 1000)}, // letters: NUL bytes are refused (422) before sign-in
	}
	var first string
	for _, c := range cases {
		r := e.login(e.srv.Client(), c.tenant, c.login, c.password)
		p := wantProblem(t, r, http.StatusUnauthorized, c.name)
		if sessionCookie(r) != nil && sessionCookie(r).Value != "" {
			t.Errorf("%s: a session cookie was set", c.name)
		}
		if first == "" {
			first = p.Detail
		} else if p.Detail != first {
			t.Errorf("%s: detail %q, want the same as the others, %q", c.name, p.Detail, first)
		}
	}
}

func TestLoginThrottle(t *testing.T) {
	e := newEnv(t, func(c *web.Config) {
		unlimited(c)
		c.LoginAccountRate, c.LoginAccountBurst = rate.Every(time.Minute), 3
	})
	e.setPassword(e.users["admin"], goodPassword)
	for i := range 3 {
		wantStatus(t, e.login(e.srv.Client(), "acme", "admin@acme.test", "wrong"), http.StatusUnauthorized, "failure "+strconv.Itoa(i))
	}
	r := e.login(e.srv.Client(), "acme", "ADMIN@acme.test", goodPassword)
	wantProblem(t, r, http.StatusTooManyRequests, "right password after too many failures")
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After %q, want 1-60 seconds", r.header.Get("Retry-After"))
	}
	// An unknown login is throttled just like a known one.
	for range 3 {
		e.login(e.srv.Client(), "acme", "ghost@acme.test", "wrong")
	}
	wantStatus(t, e.login(e.srv.Client(), "acme", "ghost@acme.test", "wrong"), http.StatusTooManyRequests, "unknown login, throttled")
	// Another account from the same address is not.
	e.setPassword(e.users["member"], goodPassword)
	wantStatus(t, e.login(e.srv.Client(), "acme", "member@acme.test", goodPassword), http.StatusOK, "another account")

	e.clock.Add(time.Minute)
	wantStatus(t, e.login(e.srv.Client(), "acme", "admin@acme.test", goodPassword), http.StatusOK, "after waiting")
}

func TestLoginThrottlePerAddress(t *testing.T) {
	e := newEnv(t, func(c *web.Config) {
		unlimited(c)
		c.LoginAddrRate, c.LoginAddrBurst = rate.Every(time.Minute), 4
	})
	e.setPassword(e.users["admin"], goodPassword)
	for i := range 4 {
		wantStatus(t, e.login(e.srv.Client(), "acme", "user"+strconv.Itoa(i)+"@acme.test", "wrong"), http.StatusUnauthorized, "failure")
	}
	wantRateLimited(t, e.login(e.srv.Client(), "acme", "admin@acme.test", goodPassword), "from an address with many failures")
}

func TestSessionTimeouts(t *testing.T) {
	e := newEnv(t, unlimited, func(c *web.Config) {
		c.SessionIdle, c.SessionAbsolute = time.Hour, 3*time.Hour
	})
	e.setPassword(e.users["admin"], goodPassword)

	idle := sessionCookie(e.login(e.srv.Client(), "acme", "admin@acme.test", goodPassword))
	e.clock.Add(59 * time.Minute)
	wantStatus(t, e.withCookie(idle.Value, "GET", "/api/v1/me", nil), http.StatusOK, "used within the idle timeout")
	e.clock.Add(59 * time.Minute)
	wantStatus(t, e.withCookie(idle.Value, "GET", "/api/v1/me", nil), http.StatusOK, "the idle timeout restarts with each use")
	e.clock.Add(61 * time.Minute)
	wantProblem(t, e.withCookie(idle.Value, "GET", "/api/v1/me", nil), http.StatusUnauthorized, "idle too long")

	busy := sessionCookie(e.login(e.srv.Client(), "acme", "admin@acme.test", goodPassword))
	for range 5 {
		e.clock.Add(30 * time.Minute)
		wantStatus(t, e.withCookie(busy.Value, "GET", "/api/v1/me", nil), http.StatusOK, "busy, within the absolute timeout")
	}
	e.clock.Add(31 * time.Minute)
	wantProblem(t, e.withCookie(busy.Value, "GET", "/api/v1/me", nil), http.StatusUnauthorized, "past the absolute timeout")
}

func TestTokenLifecycle(t *testing.T) {
	e := newEnv(t, unlimited)
	r := e.do("member", "POST", "/api/v1/tokens", map[string]string{"name": "laptop"})
	wantStatus(t, r, http.StatusCreated, "create token")
	var created struct{ ID, Name, Token string }
	r.decode(t, &created)
	if len(created.Token) < 22 || created.Name != "laptop" {
		t.Fatalf("created %s", r.body)
	}
	toks, err := e.fx.Store.FindTokens(storetest.As(e.users["member"]))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, tok := range toks {
		if id(tok.ID) == created.ID {
			found = true
			if tok.Hash != auth.HashSecret(created.Token) || tok.Hash == created.Token {
				t.Errorf("stored %q, want only the hash of the secret", tok.Hash)
			}
		}
	}
	if !found {
		t.Fatalf("token %s not stored", created.ID)
	}

	bearer := func(method, path string) *resp {
		return e.send(e.srv.Client(), e.request(method, path, nil, "Authorization", "Bearer "+created.Token))
	}
	wantStatus(t, bearer("GET", "/api/v1/me"), http.StatusOK, "the new token")
	list := e.do("member", "GET", "/api/v1/tokens", nil)
	var listed struct{ Items []map[string]any }
	list.decode(t, &listed)
	if len(listed.Items) != 2 {
		t.Errorf("listed %s, want 2 tokens", list.body)
	}
	for _, it := range listed.Items {
		if _, ok := it["token"]; ok {
			t.Errorf("a listed token shows its secret: %v", it)
		}
	}
	wantProblem(t, e.do("viewer", "DELETE", "/api/v1/tokens/"+created.ID, nil), http.StatusNotFound, "someone else's token")
	wantStatus(t, e.do("member", "DELETE", "/api/v1/tokens/"+created.ID, nil), http.StatusNoContent, "revoke")
	wantProblem(t, bearer("GET", "/api/v1/me"), http.StatusUnauthorized, "the revoked token")
	wantProblem(t, e.do("member", "DELETE", "/api/v1/tokens/"+created.ID, nil), http.StatusNotFound, "revoke twice")
	wantProblem(t, e.send(e.srv.Client(), e.request("GET", "/api/v1/me", nil, "Authorization", "Bearer not-a-token")), http.StatusUnauthorized, "a made-up token")
}

func TestDisabledUserStopsAtOnce(t *testing.T) {
	e := newEnv(t, unlimited)
	u := e.users["collab"]
	e.setPassword(u, goodPassword)
	cookie := sessionCookie(e.login(e.srv.Client(), "acme", u.Email, goodPassword))
	wantStatus(t, e.withCookie(cookie.Value, "GET", "/api/v1/sessions", nil), http.StatusOK, "cookie before")
	wantStatus(t, e.do("collab", "GET", "/api/v1/sessions", nil), http.StatusOK, "token before")

	wantStatus(t, e.do("admin", "PATCH", "/api/v1/users/"+id(u.ID), map[string]bool{"disabled": true}), http.StatusOK, "disable")
	wantProblem(t, e.withCookie(cookie.Value, "GET", "/api/v1/sessions", nil), http.StatusUnauthorized, "cookie after")
	wantProblem(t, e.do("collab", "GET", "/api/v1/sessions", nil), http.StatusUnauthorized, "token after")
	wantProblem(t, e.login(e.srv.Client(), "acme", u.Email, goodPassword), http.StatusUnauthorized, "login after")

	wantStatus(t, e.do("admin", "PATCH", "/api/v1/users/"+id(u.ID), map[string]bool{"disabled": false}), http.StatusOK, "enable")
	wantStatus(t, e.do("collab", "GET", "/api/v1/sessions", nil), http.StatusOK, "token after enabling again")
}

func TestRoleChangeTakesEffectNextRequest(t *testing.T) {
	e := newEnv(t, unlimited)
	m := e.users["member"]
	wantProblem(t, e.do("member", "GET", "/api/v1/audit", nil), http.StatusForbidden, "member reads audit")
	wantStatus(t, e.do("admin", "PATCH", "/api/v1/users/"+id(m.ID), map[string]string{"role": "admin"}), http.StatusOK, "promote")
	wantStatus(t, e.do("member", "GET", "/api/v1/audit", nil), http.StatusOK, "promoted member reads audit")
	wantStatus(t, e.do("admin", "PATCH", "/api/v1/users/"+id(m.ID), map[string]string{"role": "guest"}), http.StatusOK, "demote to guest")
	wantProblem(t, e.do("member", "GET", "/api/v1/users", nil), http.StatusForbidden, "guest reads the directory")

	// Access changes count at once too: a viewer raised to collaborate, or
	// removed, sees the difference on the next request.
	s := e.session()
	path := "/api/v1/sessions/" + id(s.ID)
	wantStatus(t, e.do("viewer", "GET", path, nil), http.StatusOK, "viewer reads")
	wantStatus(t, e.do("owner", "DELETE", path+"/members/"+id(e.users["viewer"].ID), nil), http.StatusNoContent, "remove viewer")
	wantProblem(t, e.do("viewer", "GET", path, nil), http.StatusNotFound, "removed viewer reads")

	// Admins cannot lock themselves out.
	wantProblem(t, e.do("admin", "PATCH", "/api/v1/users/"+id(e.users["admin"].ID), map[string]string{"role": "member"}), http.StatusUnprocessableEntity, "self-demotion")
	wantProblem(t, e.do("admin", "PATCH", "/api/v1/users/"+id(e.users["admin"].ID), map[string]bool{"disabled": true}), http.StatusUnprocessableEntity, "self-disable")
	// Anyone may rename themself.
	wantStatus(t, e.do("viewer", "PATCH", "/api/v1/users/"+id(e.users["viewer"].ID), map[string]string{"name": "Vi Ewer"}), http.StatusOK, "rename self")
	wantProblem(t, e.do("viewer", "PATCH", "/api/v1/users/"+id(e.users["viewer"].ID), map[string]string{"role": "admin"}), http.StatusForbidden, "self-promotion")
}
