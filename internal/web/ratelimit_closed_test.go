package web_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"convene/internal/postgres"
	"convene/internal/sqlite"
	"convene/internal/sqlstore"
	"convene/internal/web"
)

// bothStores opens a fresh store of each database (PostgreSQL when
// CONVENE_TEST_POSTGRES is set; skipped otherwise, failed in CI).
var bothStores = map[string]func(testing.TB) *sqlstore.DB{"sqlite": sqlite.OpenTestDB, "postgres": postgres.OpenTestDB}

// TestEightWrongPasswords: with the limits shared in the database, eight
// wrong passwords for one account get their 429 (with Retry-After) from
// the sixth on, and the right password is refused too, on both databases.
func TestEightWrongPasswords(t *testing.T) {
	for name, open := range bothStores {
		t.Run(name, func(t *testing.T) {
			store := open(t)
			e := newEnvOn(t, store, func(c *web.Config) { c.SharedRateLimits = store })
			e.setPassword(e.users["admin"], goodPassword)
			login := func(password string) *resp {
				return e.do("anon", "POST", "/api/v1/auth/login", map[string]string{"tenant": "acme", "login": "admin@acme.test", "password": password})
			}
			for i := 1; i <= 8; i++ {
				r := login("wrong")
				if i <= 5 {
					wantProblem(t, r, http.StatusUnauthorized, "wrong password within the burst")
				} else {
					wantRateLimited(t, r, "wrong password past the burst")
				}
			}
			wantRateLimited(t, login(goodPassword), "the right password after eight wrong ones")
		})
	}
}

// TestRateLimitStoreDown: when the database holding the limits cannot
// answer (its connections closed), every limited request is refused with
// 503 and Retry-After, none let through, and the outage is logged once a
// minute with its cause, not once per request.
func TestRateLimitStoreDown(t *testing.T) {
	for name, open := range bothStores {
		t.Run(name, func(t *testing.T) {
			buckets := open(t)
			e := newEnvOn(t, open(t), func(c *web.Config) { c.SharedRateLimits = buckets })
			e.setPassword(e.users["admin"], goodPassword)
			buckets.Close()
			requests := map[string]func() *resp{
				"sign-in": func() *resp {
					return e.do("anon", "POST", "/api/v1/auth/login", map[string]string{"tenant": "acme", "login": "admin@acme.test", "password": goodPassword})
				},
				"password reset": func() *resp {
					return e.do("anon", "POST", "/api/v1/auth/password-reset", map[string]string{"tenant": "acme", "login": "admin@acme.test"})
				},
				"contact look-up": func() *resp {
					return e.do("admin", "POST", "/api/v1/contacts/resolve", map[string]string{"input": "member@acme.test"})
				},
				"invitation accept": func() *resp {
					return e.do("anon", "POST", "/api/v1/invitations/accept", map[string]string{"token": "x", "name": "Gus", "password": "a long password"})
				},
			}
			for what, send := range requests {
				for range 3 {
					r := send()
					wantProblem(t, r, http.StatusServiceUnavailable, what)
					if r.header.Get("Retry-After") == "" {
						t.Errorf("%s: 503 without Retry-After", what)
					}
				}
			}
			if n := outageLines(e); n != 1 {
				t.Errorf("%d log lines for 12 refusals in a burst, want 1:\n%s", n, e.logs)
			}
			if !strings.Contains(e.logs.String(), "closed") {
				t.Errorf("the outage line does not give its cause:\n%s", e.logs)
			}
			e.clock.Add(time.Minute)
			wantProblem(t, requests["sign-in"](), http.StatusServiceUnavailable, "a minute later")
			if n := outageLines(e); n != 2 {
				t.Errorf("%d outage lines a minute later, want 2", n)
			}
		})
	}
}

// outageLines counts the log lines about the limits' store failing.
func outageLines(e *env) int {
	return bytes.Count(e.logs.Bytes(), []byte("rate limit store unavailable"))
}

// TestLimitedOperationsDeclare503: every operation behind a limit says in
// the served description that it may answer 503, as it may answer 429.
func TestLimitedOperationsDeclare503(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	e.do("anon", "GET", "/api/v1/openapi.json", nil).decode(t, &doc)
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			_, limited := op.Responses["429"]
			if _, ok := op.Responses["503"]; limited && !ok {
				t.Errorf("%s %s may answer 429 but does not declare 503", method, path)
			}
			if limited {
				n++
			}
		}
	}
	if n < 7 {
		t.Errorf("%d operations declare 429, want the 7 limited ones at least", n)
	}
}
