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
