package web_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"convene"
	"convene/internal/web"
)

// TestAuthenticationBeforeBodyChecks: a stranger learns nothing about how
// an operation validates its body; only the size limit and bad bytes (the
// same rule for every operation) come first.
func TestAuthenticationBeforeBodyChecks(t *testing.T) {
	e := newEnv(t, unlimited, func(c *web.Config) { c.MaxBodyBytes = 1024 })
	s := e.session()
	tests := []struct {
		name, persona, method, path string
		body                        any
		want                        int
	}{
		{"malformed JSON, anonymous", "anon", "POST", "/api/v1/sessions", `{"title":`, http.StatusUnauthorized},
		{"duplicate keys, anonymous", "anon", "POST", "/api/v1/sessions", `{"title":"a","title":"b"}`, http.StatusUnauthorized},
		{"null value, anonymous", "anon", "PATCH", "/api/v1/sessions/" + id(s.ID), `{"title":null}`, http.StatusUnauthorized},
		{"a body where none is taken, anonymous", "anon", "DELETE", "/api/v1/sessions/" + id(s.ID), `{}`, http.StatusUnauthorized},
		{"too large, anonymous", "anon", "POST", "/api/v1/sessions", `{"title":"` + strings.Repeat("x", 2000) + `"}`, http.StatusRequestEntityTooLarge},
		{"malformed JSON, signed in", "member", "POST", "/api/v1/sessions", `{"title":`, http.StatusUnprocessableEntity},
		{"a body where none is taken, signed in", "admin", "DELETE", "/api/v1/sessions/" + id(s.ID), `{}`, http.StatusUnprocessableEntity},
		{"malformed JSON to a public operation", "anon", "POST", "/api/v1/auth/login", `{"tenant":`, http.StatusUnprocessableEntity},
		{"NUL in a string, anonymous", "anon", "POST", "/api/v1/sessions", `{"title":"a\u0000"}`, http.StatusUnprocessableEntity},
		{"invalid UTF-8, anonymous", "anon", "PATCH", "/api/v1/sessions/" + id(s.ID), "{\"title\":\"\xff\"}", http.StatusUnprocessableEntity},
		{"NUL in the query, anonymous", "anon", "GET", "/api/v1/sessions?q=%00", nil, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.snapshot(t)
			wantProblem(t, e.do(tt.persona, tt.method, tt.path, tt.body), tt.want, tt.name)
			e.wantNoWrites(t, before, "the refused request")
		})
	}

	// The bad-bytes check reads bodies up to the limit only: a larger one
	// is still answered after the token check, and also when it comes in
	// chunks, without a length to refuse it by.
	big := `{"title":"` + strings.Repeat("x", 2000) + `"}`
	wantProblem(t, e.do("anon", "POST", "/api/v1/sessions", big, "Authorization", "Bearer not-a-token"), http.StatusUnauthorized, "too large, a wrong token")
	chunked, _ := http.NewRequest("POST", e.srv.URL+"/api/v1/sessions", io.MultiReader(strings.NewReader(big)))
	chunked.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
	chunked.Header.Set("Content-Type", "application/json")
	wantProblem(t, e.send(e.srv.Client(), chunked), http.StatusRequestEntityTooLarge, "too large, in chunks")
	form := e.do("anon", "POST", "/reset-password", "login="+strings.Repeat("x", 2000), "Content-Type", "application/x-www-form-urlencoded")
	if form.status != http.StatusRequestEntityTooLarge || !strings.HasPrefix(form.header.Get("Content-Type"), "text/html") {
		t.Errorf("a dashboard form over the limit: %d %s, want 413 and a page", form.status, form.header.Get("Content-Type"))
	}
}

// TestMethodNotAllowed: a known path with a method it does not take
// answers 405 with the methods it does take; an unknown path stays 404.
func TestMethodNotAllowed(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	tests := []struct {
		persona, method, path, wantAllow string
	}{
		{"admin", "PUT", "/api/v1/sessions", "GET, HEAD, POST"},
		{"anon", "PUT", "/api/v1/sessions", "GET, HEAD, POST"},
		{"admin", "POST", "/api/v1/sessions/" + id(s.ID), "GET, HEAD, PATCH, DELETE"},
		{"anon", "GET", "/api/v1/auth/login", "POST"},
		{"admin", "DELETE", "/api/v1/tenant", "GET, HEAD, PATCH"},
	}
	for _, tt := range tests {
		what := tt.persona + " " + tt.method + " " + tt.path
		got := e.do(tt.persona, tt.method, tt.path, nil)
		wantProblem(t, got, http.StatusMethodNotAllowed, what)
		if allow := got.header.Get("Allow"); allow != tt.wantAllow {
			t.Errorf("%s: Allow %q, want %q", what, allow, tt.wantAllow)
		}
	}
	wantProblem(t, e.do("admin", "GET", "/api/v1/no-such-thing", nil), http.StatusNotFound, "an unknown path")
	wantProblem(t, e.do("admin", "PUT", "/api/v1/no-such-thing", nil), http.StatusNotFound, "an unknown path, another method")
}

// TestPasswordResetRateLimit: requests are limited per account and per
// address, and an existing account is answered exactly like an unknown
// one, limited or not.
func TestPasswordResetRateLimit(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.LoginAccountBurst, c.LoginAddrBurst = 2, 100 })
	reset := func(login string) *resp {
		return e.do("anon", "POST", "/api/v1/auth/password-reset", map[string]string{"tenant": "acme", "login": login})
	}
	for i, wantStatus := range []int{http.StatusAccepted, http.StatusAccepted, http.StatusTooManyRequests} {
		known, unknown := reset(e.users["member"].Email), reset("nobody@acme.test")
		if known.status != wantStatus {
			t.Errorf("request %d: status %d, want %d; body %s", i+1, known.status, wantStatus, known.body)
		}
		if known.status != unknown.status || !bytes.Equal(known.body, unknown.body) ||
			known.header.Get("Retry-After") != unknown.header.Get("Retry-After") {
			t.Errorf("request %d: an existing account answered %s (Retry-After %q), an unknown one %s (Retry-After %q)", i+1,
				known, known.header.Get("Retry-After"), unknown, unknown.header.Get("Retry-After"))
		}
	}
	wantProblem(t, reset(strings.ToUpper(e.users["member"].Email)), http.StatusTooManyRequests, "the same account, spelled otherwise")
	if reset(e.users["member"].Email).header.Get("Retry-After") == "" {
		t.Errorf("a limited answer lacks Retry-After")
	}

	// The form of the reset page shares the limits.
	form := e.do("anon", "POST", "/reset-password", "workspace=acme&login="+e.users["member"].Email,
		"Content-Type", "application/x-www-form-urlencoded")
	if form.status != http.StatusTooManyRequests || !bytes.Contains(form.body, []byte("Too many attempts")) {
		t.Errorf("the reset form answered %d, want 429 with an explanation", form.status)
	}

	perAddr := newEnv(t, func(c *web.Config) { c.LoginAccountBurst, c.LoginAddrBurst = 100, 3 })
	for i, login := range []string{"a@acme.test", "b@acme.test", "c@acme.test", "d@acme.test"} {
		got := perAddr.do("anon", "POST", "/api/v1/auth/password-reset", map[string]string{"tenant": "acme", "login": login})
		if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusAccepted}[i == 3]; got.status != want {
			t.Errorf("address request %d: status %d, want %d", i+1, got.status, want)
		}
	}
}

// TestAcceptInvitationRateLimit: failed acceptances are limited per
// client address, against guessing tokens.
func TestAcceptInvitationRateLimit(t *testing.T) {
	e := newEnv(t, func(c *web.Config) { c.LoginAddrBurst = 2 })
	accept := func(token string) *resp {
		return e.do("anon", "POST", "/api/v1/invitations/accept",
			map[string]string{"token": token, "name": "Guess Who", "password": "a long enough password"})
	}
	wantProblem(t, accept("guess-1"), http.StatusNotFound, "a first wrong token")
	wantProblem(t, accept("guess-2"), http.StatusNotFound, "a second wrong token")
	wantRateLimited(t, accept("guess-3"), "a third wrong token")
}

// TestBadBytesBeforeLimiters: the requests of issues 8 and 13, which
// answered 500 on PostgreSQL and slipped past the sign-in throttle there
// (its buckets in the database failed open), are refused with 422 before
// any limiter counts them or any query runs, whether the limits are kept
// in memory or in the database.
func TestBadBytesBeforeLimiters(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e *env) {
		e.setPassword(e.users["admin"], goodPassword)
		for _, shared := range []bool{false, true} {
			cfg := e.cfg
			if shared {
				cfg.SharedRateLimits = e.fx.Store.(convene.RateBuckets)
			}
			srv := httptest.NewServer(web.New(e.fx.Store, cfg).Handler())
			defer srv.Close()
			badSignIns(t, e, srv)
		}
		for _, word := range []string{"invalid byte sequence", "rate limit unavailable", "internal error"} {
			if strings.Contains(e.logs.String(), word) {
				t.Errorf("the log says %q:\n%s", word, e.logs)
			}
		}
	})
}

// badSignIns sends the bad requests of the issues to srv, more than the
// per-address burst of failed sign-ins (30): had they been counted, the
// good sign-in after them would be 429.
func badSignIns(t *testing.T, e *env, srv *httptest.Server) {
	do := func(persona, path string, body any) *resp {
		req := e.request(http.MethodPost, path, body)
		if body == nil {
			req.Method = http.MethodGet
		}
		if tok, ok := e.tokens[persona]; ok {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		return e.send(srv.Client(), at(srv, req))
	}
	login := e.users["admin"].Email
	for range 16 {
		for _, field := range []string{"tenant", "login"} {
			signIn := map[string]string{"tenant": "acme", "login": login, "password": "wrong password"}
			reset := map[string]string{"tenant": "acme", "login": login}
			signIn[field] += "\x00"
			reset[field] = "a\x00" + reset[field]
			wantBadField(t, do("anon", "/api/v1/auth/login", signIn), field, "sign-in, NUL in "+field)
			wantBadField(t, do("anon", "/api/v1/auth/password-reset", reset), field, "reset, NUL in "+field)
		}
	}
	good := map[string]string{"tenant": "acme", "login": login, "password": goodPassword}
	wantStatus(t, do("anon", "/api/v1/auth/login", good), http.StatusOK, "the good sign-in after them")
	for _, q := range badInURL {
		for _, path := range []string{"/api/v1/sessions", "/api/v1/users"} {
			wantBadField(t, do("admin", path+"?q="+q, nil), "q", path+"?q="+q)
		}
	}
}

func wantBadField(t *testing.T, r *resp, field, what string) {
	t.Helper()
	p := wantProblem(t, r, http.StatusUnprocessableEntity, what)
	if len(p.Errors) != 1 || p.Errors[0].Field != field {
		t.Errorf("%s: errors %+v, want one naming %q", what, p.Errors, field)
	}
}

// TestGoodBytesPassUnchanged: the bodies the bad-bytes check reads reach
// the handlers byte for byte (an escaped backslash before "u0000" is no
// NUL, U+FFFD is a character like any other), and the bodies it does not
// read (an image, full of NUL bytes) stream on.
func TestGoodBytesPassUnchanged(t *testing.T) {
	eachDatabase(t, func(t *testing.T, e *env) {
		created := e.do("admin", "POST", "/api/v1/sessions", `{"title":"back\\u0000slash \u00e9 \ufffd","description":"two\nlines"}`)
		wantStatus(t, created, http.StatusCreated, "a title with an escaped backslash")
		var s struct{ ID, Title, Description string }
		created.decode(t, &s)
		if want := "back\\u0000slash é \ufffd"; s.Title != want || s.Description != "two\nlines" {
			t.Errorf("stored %q / %q, want %q / %q", s.Title, s.Description, want, "two\nlines")
		}
		pic := pngOf(t, 8, 8)
		if bytes.IndexByte(pic, 0) < 0 {
			t.Fatal("the picture has no NUL byte to prove anything with")
		}
		up := e.do("admin", "PUT", "/avatars/"+id(e.users["admin"].ID), pic, "Content-Type", "image/png")
		wantStatus(t, up, http.StatusNoContent, "an avatar upload")
		form := "workspace=acme&login=" + url.QueryEscape(e.users["member"].Email)
		wantStatus(t, e.do("anon", "POST", "/reset-password", form, "Content-Type", "application/x-www-form-urlencoded"),
			http.StatusOK, "the reset form")
	})
}
