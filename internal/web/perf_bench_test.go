package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"convene"
	"convene/internal/auth"
	"convene/internal/phone"
	"convene/internal/postgres"
	"convene/internal/sqlite"
	"convene/internal/storetest"
	"convene/internal/web"
)

// The benchmarks of this file are issue 8's figures for pasted contacts and
// the sessions list; docs/perf.md has the command and the results.

// perfStores are the databases the benchmarks run on.
var perfStores = []struct {
	name string
	open func(testing.TB) convene.Store
}{
	{"sqlite", func(t testing.TB) convene.Store { return sqlite.OpenTestDB(t) }},
	{"postgres", func(t testing.TB) convene.Store { return postgres.OpenTestDB(t) }},
}

// perfEnv is a server on a store with one tenant, its admin (and their API
// token), people to paste and sessions to list. Rate limits are lifted:
// they are not what is measured.
type perfEnv struct {
	*storetest.Fixture
	token  string
	srv    *httptest.Server
	client *http.Client
	emails []string
}

func newPerfEnv(tb testing.TB, store convene.Store, people, sessions int) *perfEnv {
	tb.Helper()
	e := &perfEnv{Fixture: storetest.AddTenantWith(tb, store,
		&convene.Tenant{Slug: "acme", Name: "Acme", DefaultRegion: "US", InvitationTTL: convene.DefaultInvitationTTL},
		&convene.User{Name: "Ada Admin", Email: "ada@acme.test", Role: convene.RoleAdmin})}
	for i := range people {
		u := e.User(tb, fmt.Sprintf("Person %d", i), fmt.Sprintf("person%d@acme.test", i), "", convene.RoleMember)
		e.emails = append(e.emails, u.Email)
	}
	for i := range sessions {
		e.Session(tb, e.Admin, fmt.Sprintf("Planning round %d", i))
	}
	e.token = e.Token(tb, e.Admin)
	cfg := web.Config{PublicURL: "http://convene.test", Phones: phone.Numbering{}, Logger: slog.New(slog.DiscardHandler)}
	unlimited(&cfg)
	e.srv = httptest.NewServer(web.New(store, cfg).Handler())
	tb.Cleanup(e.srv.Close)
	e.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	tb.Cleanup(e.client.CloseIdleConnections)
	return e
}

// call sends one request as the admin and returns the answer's body,
// failing tb unless the status is want.
func (e *perfEnv) call(tb testing.TB, base, method, path string, body []byte, want int) (http.Header, []byte) {
	req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := e.client.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	got, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != want {
		tb.Fatalf("%s %s: %d %s (%v), want %d", method, path, res.StatusCode, got, err, want)
	}
	return res.Header, got
}

// resolveOverHTTP pastes the people's emails, one a line, and checks that
// every entry came back registered.
func (e *perfEnv) resolveOverHTTP(tb testing.TB) {
	body, _ := json.Marshal(map[string]string{"input": strings.Join(e.emails, "\n")})
	_, got := e.call(tb, e.srv.URL, http.MethodPost, "/api/v1/contacts/resolve", body, http.StatusOK)
	if n := bytes.Count(got, []byte(`"status":"registered"`)); n != len(e.emails) {
		tb.Fatalf("resolve: %d of %d entries registered", n, len(e.emails))
	}
}

// resolveInStore is what resolveOverHTTP asks of the domain and the store.
func (e *perfEnv) resolveInStore(tb testing.TB) {
	res, err := convene.ResolveContacts(storetest.As(e.Admin), e.Store, convene.NewContactParser(e.Tenant, phone.Numbering{}), e.emails)
	if err != nil || len(res) != len(e.emails) || res[len(res)-1].Status != convene.StatusRegistered {
		tb.Fatalf("ResolveContacts: %d results, %v", len(res), err)
	}
}

// BenchmarkResolveContacts measures 1,000 pasted contacts resolved, over
// HTTP and by the domain and store call underneath, on each database.
func BenchmarkResolveContacts(b *testing.B) {
	for _, db := range perfStores {
		b.Run(db.name, func(b *testing.B) {
			e := newPerfEnv(b, db.open(b), convene.MaxGrantContacts, 0)
			b.Run("http", func(b *testing.B) {
				for range b.N {
					e.resolveOverHTTP(b)
				}
			})
			b.Run("store", func(b *testing.B) {
				for range b.N {
					e.resolveInStore(b)
				}
			})
		})
	}
}

// sessionsPage is the request whose rate BenchmarkSessionsList measures.
const sessionsPage = "/api/v1/sessions?limit=25"

// bareServer serves the bytes and headers of one answer of the API to
// sessionsPage with a plain net/http handler: the ceiling to compare with.
func (e *perfEnv) bareServer(tb testing.TB) *httptest.Server {
	header, body := e.call(tb, e.srv.URL, http.MethodGet, sessionsPage, nil, http.StatusOK)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range header {
			if k != "Date" && k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// hammer runs op from 16 goroutines at once and reports operations
// (requests) per second.
func (e *perfEnv) hammer(b *testing.B, op func()) {
	b.SetParallelism(16 / max(1, runtime.GOMAXPROCS(0)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			op()
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// listInStore is the store's share of one sessionsPage request: the
// token's look-up (cached by the store for its short validity, as between
// requests) and the page with its total.
func (e *perfEnv) listInStore(tb testing.TB) {
	u, err := e.Store.AuthenticateToken(context.Background(), auth.HashSecret(e.token))
	if err != nil {
		tb.Fatalf("AuthenticateToken: %v", err)
	}
	if p, err := e.Store.FindSessionsPage(storetest.As(u), convene.SessionFilter{Limit: 25}); err != nil || len(p.Sessions) != 25 || p.Total == 0 {
		tb.Fatalf("FindSessionsPage: %+v, %v", p, err)
	}
}

// BenchmarkSessionsList measures GET /api/v1/sessions?limit=25 by the
// Tenant Admin (100 sessions in the tenant) against a bare net/http handler
// serving the same bytes, side by side, on each database; and, to tell
// where the time goes, the store calls the request makes, from as many
// goroutines.
func BenchmarkSessionsList(b *testing.B) {
	for _, db := range perfStores {
		b.Run(db.name, func(b *testing.B) {
			e := newPerfEnv(b, db.open(b), 0, 100)
			bare := e.bareServer(b)
			b.Run("api", func(b *testing.B) {
				e.hammer(b, func() { e.call(b, e.srv.URL, http.MethodGet, sessionsPage, nil, http.StatusOK) })
			})
			b.Run("bare", func(b *testing.B) {
				e.hammer(b, func() { e.call(b, bare.URL, http.MethodGet, sessionsPage, nil, http.StatusOK) })
			})
			b.Run("store", func(b *testing.B) { e.hammer(b, func() { e.listInStore(b) }) })
		})
	}
}

// TestPerfBenchmarksRun runs what the benchmarks of this file run, small,
// so that they cannot rot between the runs that measure.
func TestPerfBenchmarksRun(t *testing.T) {
	e := newPerfEnv(t, sqlite.OpenTestDB(t), 3, 30)
	e.resolveOverHTTP(t)
	e.resolveInStore(t)
	e.listInStore(t)
	_, api := e.call(t, e.srv.URL, http.MethodGet, sessionsPage, nil, http.StatusOK)
	_, bare := e.call(t, e.bareServer(t).URL, http.MethodGet, sessionsPage, nil, http.StatusOK)
	if !bytes.Equal(api, bare) || bytes.Count(api, []byte(`"title":`)) != 25 {
		t.Errorf("the bare handler serves %s\nthe API %s\nwant the same page of 25 sessions", bare, api)
	}
}
