package web_test

import (
	"net/http"
	"testing"
)

// TestSignOutForm checks the dashboard's "Sign out", a plain form post to
// /logout: it revokes the session on the server and lands on the sign-in
// page; a cross-site post is refused and signs nobody out.
func TestSignOutForm(t *testing.T) {
	e := newEnv(t, unlimited)
	e.setPassword(e.users["admin"], goodPassword)
	cookie := sessionCookie(e.login(e.srv.Client(), "acme", "admin@acme.test", goodPassword))
	if cookie == nil {
		t.Fatal("login set no cookie")
	}
	noRedirects := *e.srv.Client()
	noRedirects.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	post := func(header ...string) *resp {
		req := e.request("POST", "/logout", nil, header...)
		req.AddCookie(cookie)
		return e.send(&noRedirects, req)
	}

	wantStatus(t, post("Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"), http.StatusForbidden, "a cross-site sign-out")
	wantStatus(t, e.withCookie(cookie.Value, "GET", "/api/v1/me", nil), http.StatusOK, "the session after a refused cross-site sign-out")

	r := post("Sec-Fetch-Site", "same-origin")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("sign-out answered %d to %q, want 303 to /login", r.status, r.header.Get("Location"))
	}
	if c := sessionCookie(r); c == nil || c.MaxAge >= 0 {
		t.Errorf("sign-out did not clear the cookie: %v", c)
	}
	wantProblem(t, e.withCookie(cookie.Value, "GET", "/api/v1/me", nil), http.StatusUnauthorized, "the revoked session")
}
