package main_test

import (
	"net/http"
	"testing"
)

// TestRateLimitFlags checks that serve's rate-limit flags reach the server:
// with a burst of one resolution and a rate that regains nothing during the
// test, the second resolution is refused with 429 and a Retry-After.
func TestRateLimitFlags(t *testing.T) {
	srv := startServer(t, newAcmeDB(t), "--resolve-rate", "0.001", "--resolve-burst", "1")
	c := signIn(t, srv.url)

	c.must("POST", "/api/v1/contacts/resolve", obj{"input": "admin@acme.test"}, 200)
	status, out, hdr := c.call("POST", "/api/v1/contacts/resolve", obj{"input": "admin@acme.test"})
	c.problem(status, http.StatusTooManyRequests, out, hdr, "a second resolution past --resolve-burst 1")
	if hdr.Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	srv.stop()
}

// TestRateLimitsAcrossInstances: two `convene serve` processes on one
// database count against the same limits, as instances behind a load
// balancer must: on PostgreSQL by default, on SQLite when asked with
// --rate-limit-store database. A resolution on one instance uses up the
// burst of one, and the other instance refuses the next.
func TestRateLimitsAcrossInstances(t *testing.T) {
	cases := []struct {
		name  string
		db    func(t *testing.T) string
		extra []string
	}{
		{"PostgreSQL", func(t *testing.T) string { return withAcme(t, postgresDB(t)) }, nil},
		{"SQLite", newAcmeDB, []string{"--rate-limit-store", "database"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := tc.db(t)
			args := append([]string{"--resolve-rate", "0.001", "--resolve-burst", "1"}, tc.extra...)
			a, b := startServer(t, db, args...), startServer(t, db, args...)
			ca, cb := signIn(t, a.url), signIn(t, b.url)

			ca.must("POST", "/api/v1/contacts/resolve", obj{"input": "admin@acme.test"}, 200)
			status, out, hdr := cb.call("POST", "/api/v1/contacts/resolve", obj{"input": "admin@acme.test"})
			cb.problem(status, http.StatusTooManyRequests, out, hdr, "a resolution on the second instance past the shared burst")
			a.stop()
			b.stop()
		})
	}
}
