package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/web"
)

// TestSharedRateLimits: with SharedRateLimits, two instances on one
// database count against the same limits, as several `convene serve`
// processes behind a load balancer do; without it, each counts alone.
func TestSharedRateLimits(t *testing.T) {
	limits := func(c *web.Config) {
		unlimited(c)
		c.LoginAccountRate, c.LoginAccountBurst = rate.Every(time.Minute), 3
		c.ResolveRate, c.ResolveBurst = rate.Every(time.Minute), 2
	}
	// twoInstances starts two servers on one store (beside the env's own,
	// which the test leaves alone).
	twoInstances := func(t *testing.T, shared bool) (e *env, a, b *httptest.Server) {
		e = newEnv(t, limits)
		cfg := e.cfg
		if shared {
			cfg.SharedRateLimits = e.fx.Store.(convene.RateBuckets)
		}
		a = httptest.NewServer(web.New(e.fx.Store, cfg).Handler())
		b = httptest.NewServer(web.New(e.fx.Store, cfg).Handler())
		t.Cleanup(a.Close)
		t.Cleanup(b.Close)
		e.setPassword(e.users["admin"], goodPassword)
		return e, a, b
	}
	login := func(e *env, srv *httptest.Server, password string) int {
		req := e.request("POST", "/api/v1/auth/login", map[string]string{"tenant": "acme", "login": "admin@acme.test", "password": password})
		return e.send(srv.Client(), at(srv, req)).status
	}
	resolve := func(e *env, srv *httptest.Server) int {
		req := e.request("POST", "/api/v1/contacts/resolve", map[string]string{"input": "member@acme.test"})
		req.Header.Set("Authorization", "Bearer "+e.tokens["admin"])
		return e.send(srv.Client(), at(srv, req)).status
	}

	t.Run("shared", func(t *testing.T) {
		e, a, b := twoInstances(t, true)
		for i, srv := range []*httptest.Server{a, a, b} {
			if got := login(e, srv, "wrong"); got != http.StatusUnauthorized {
				t.Errorf("failed sign-in %d answered %d, want 401", i+1, got)
			}
		}
		for name, srv := range map[string]*httptest.Server{"A": a, "B": b} {
			if got := login(e, srv, goodPassword); got != http.StatusTooManyRequests {
				t.Errorf("instance %s let the account sign in after 3 failures spread over both: %d, want 429", name, got)
			}
		}
		wantCodes(t, "resolutions A, B, A", []int{resolve(e, a), resolve(e, b), resolve(e, a)}, 200, 200, 429)

		e.clock.Add(time.Minute)
		if got := login(e, b, goodPassword); got != http.StatusOK {
			t.Errorf("a minute later the sign-in answered %d, want 200", got)
		}
	})
	t.Run("per process", func(t *testing.T) {
		e, a, b := twoInstances(t, false)
		for range 3 {
			login(e, a, "wrong")
		}
		if got := login(e, a, goodPassword); got != http.StatusTooManyRequests {
			t.Errorf("instance A after its 3 failures: %d, want 429", got)
		}
		if got := login(e, b, goodPassword); got != http.StatusOK {
			t.Errorf("instance B, which saw no failure: %d, want 200", got)
		}
		wantCodes(t, "resolutions A, A, B", []int{resolve(e, a), resolve(e, a), resolve(e, b)}, 200, 200, 200)
	})
}

// at points req at srv instead of the env's own server.
func at(srv *httptest.Server, req *http.Request) *http.Request {
	host := strings.TrimPrefix(srv.URL, "http://")
	req.URL.Host, req.Host = host, host
	return req
}

func wantCodes(t *testing.T, what string, got []int, want ...int) {
	t.Helper()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s: statuses %v, want %v", what, got, want)
			return
		}
	}
}
