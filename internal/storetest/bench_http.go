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
	"time"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/phone"
	"convene/internal/web"
)

// TestGrantHTTP runs the multi-invite of the benchmarks through the HTTP
// API (POST /api/v1/invitations/bulk) to completion: 10 x 10 always, and
// the documented 1,000 contacts x 1,000 sessions unless -short. It is also
// what keeps BenchmarkGrantHTTP from rotting.
func TestGrantHTTP(t *testing.T, open Opener) {
	for _, size := range benchSizes() {
		t.Run(fmt.Sprintf("%dx%d", size.Contacts, size.Sessions), func(t *testing.T) {
			f := newFixture(t, open)
			users := f.Users(t, "u", size.Contacts)
			grantHTTP(t, f, ids(f.Sessions(t, f.Admin, size.Sessions)), users)
		})
	}
}

// BenchmarkGrantHTTP measures the multi-invite of BenchmarkGrant sent
// through the HTTP API of a real server (httptest, the whole middleware
// chain, JSON both ways) as the Tenant Admin with an API token, against
// insert writing the same rows raw, per size. The two alternate within
// each iteration, on fresh users and sessions each, so that the ratio
// (http/raw) compares them under the same load even on a busy machine.
// ns/op is the two together; http-s/op and raw-s/op each alone; the peak
// RSS is that of the process during the HTTP call.
func BenchmarkGrantHTTP(b *testing.B, open Opener, insert InsertFunc) {
	for _, size := range benchSizes() {
		b.Run(fmt.Sprintf("%dx%d", size.Contacts, size.Sessions), func(b *testing.B) {
			f := newFixture(b, open)
			_, write := databases(b, f.Store)
			var httpTook, rawTook time.Duration
			peak := 0.0
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				users := f.Users(b, fmt.Sprintf("h%du", i), size.Contacts)
				sessions := ids(f.Sessions(b, f.Admin, size.Sessions))
				measured := resetPeakRSS()
				b.StartTimer()
				start := time.Now()
				grantHTTP(b, f, sessions, users)
				httpTook += time.Since(start)
				b.StopTimer()
				if measured {
					peak = max(peak, peakRSS())
				}
				users = f.Users(b, fmt.Sprintf("r%du", i), size.Contacts)
				sessions = ids(f.Sessions(b, f.Admin, size.Sessions))
				b.StartTimer()
				start = time.Now()
				if err := insert(context.Background(), write, sessions, userIDs(users)); err != nil {
					b.Fatalf("raw insert: %v", err)
				}
				rawTook += time.Since(start)
			}
			b.StopTimer()
			n := float64(b.N)
			b.ReportMetric(httpTook.Seconds()/n, "http-s/op")
			b.ReportMetric(rawTook.Seconds()/n, "raw-s/op")
			b.ReportMetric(httpTook.Seconds()/rawTook.Seconds(), "http/raw")
			if peak > 0 {
				b.ReportMetric(peak, "peak-RSS-MiB")
			}
		})
	}
}

// apiServer is a web server on a fixture's store, with an API token of
// the fixture's Tenant Admin.
type apiServer struct {
	srv   *httptest.Server
	token string
}

// api returns the fixture's web server, started on first use with every
// rate limit lifted (the benchmarks send many multi-invites at once).
func (f *Fixture) api(t testing.TB) *apiServer {
	t.Helper()
	if f.web != nil {
		return f.web
	}
	inf := rate.Inf
	h := web.New(f.Store, web.Config{
		PublicURL: "http://convene.test", Phones: phone.Numbering{}, Logger: slog.New(slog.DiscardHandler),
		InviteRate: inf, InviteTenantRate: inf, ResolveRate: inf, ResolveTenantRate: inf, LoginAccountRate: inf, LoginAddrRate: inf,
	}).Handler()
	f.web = &apiServer{srv: httptest.NewServer(h), token: f.Token(t, f.Admin)}
	t.Cleanup(f.web.srv.Close)
	return f.web
}

// grantHTTP grants collaborate to users on sessionIDs through
// POST /api/v1/invitations/bulk and checks that every pair was added.
func grantHTTP(t testing.TB, f *Fixture, sessionIDs []int64, users []*convene.User) {
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
