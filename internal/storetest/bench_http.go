package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/auth"
	"convene/internal/phone"
	"convene/internal/web"
)

// TestGrantHTTP runs the multi-invite of the benchmarks through the HTTP
// API (POST /api/v1/invitations/bulk) to completion: 10 x 10 always, and
// the documented 1,000 contacts x 1,000 sessions unless -short. It is also
// what keeps BenchmarkGrantHTTP from rotting.
func TestGrantHTTP(t *testing.T, open Opener) {
	for _, size := range BenchSizes {
		if testing.Short() && size.Contacts*size.Sessions > 10_000 {
			continue
		}
		t.Run(fmt.Sprintf("%dx%d", size.Contacts, size.Sessions), func(t *testing.T) {
			f := newFixture(t, open)
			users := f.users(t, "u", size.Contacts)
			grantHTTP(t, f, ids(f.sessions(t, f.admin, size.Sessions)), users)
		})
	}
}

// BenchmarkGrantHTTP measures the multi-invite of BenchmarkGrant sent
// through the HTTP API of a real server (httptest, the whole middleware
// chain, JSON both ways) as the Tenant Admin with an API token, per size.
func BenchmarkGrantHTTP(b *testing.B, open Opener) {
	runSizes(b, open, func(b *testing.B, f *fixture, sessionIDs []int64, users []*convene.User) {
		grantHTTP(b, f, sessionIDs, users)
	})
}

// apiServer is a web server on a fixture's store, with an API token of
// the fixture's Tenant Admin.
type apiServer struct {
	srv   *httptest.Server
	token string
}

// api returns the fixture's web server, started on first use with every
// rate limit lifted (the benchmarks send many multi-invites at once).
func (f *fixture) api(t testing.TB) *apiServer {
	t.Helper()
	if f.web != nil {
		return f.web
	}
	inf := rate.Inf
	h := web.New(f.store, web.Config{
		PublicURL: "http://convene.test", Phones: phone.Numbering{}, Logger: slog.New(slog.DiscardHandler),
		InviteRate: inf, InviteTenantRate: inf, ResolveRate: inf, ResolveTenantRate: inf, LoginAccountRate: inf, LoginAddrRate: inf,
	}).Handler()
	secret, hash := auth.NewSecret()
	if err := f.store.CreateToken(f.sys(), &convene.Token{TenantID: f.tenant.ID, UserID: f.admin.ID, Name: "bench", Hash: hash}); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	f.web = &apiServer{srv: httptest.NewServer(h), token: secret}
	t.Cleanup(f.web.srv.Close)
	return f.web
}

// grantHTTP grants collaborate to users on sessionIDs through
// POST /api/v1/invitations/bulk and checks that every pair was added.
func grantHTTP(t testing.TB, f *fixture, sessionIDs []int64, users []*convene.User) {
	t.Helper()
	api := f.api(t)
	sids := make([]string, len(sessionIDs))
	for i, id := range sessionIDs {
		sids[i] = strconv.FormatInt(id, 10)
	}
	body, err := json.Marshal(map[string]any{"contacts": emails(users), "session_ids": sids, "access": "collaborate"})
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, api.srv.URL+"/api/v1/invitations/bulk", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+api.token)
	res, err := api.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("POST /api/v1/invitations/bulk: %v", err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	var batch struct{ Counts convene.Counts }
	if res.StatusCode != http.StatusOK || json.Unmarshal(answer, &batch) != nil {
		t.Fatalf("POST /api/v1/invitations/bulk: %d %.500s", res.StatusCode, answer)
	}
	if got, want := batch.Counts.Added, len(sessionIDs)*len(users); got != want {
		t.Fatalf("the multi-invite added %d pairs, want %d", got, want)
	}
}
