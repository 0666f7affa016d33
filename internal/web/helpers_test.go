package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/phone"
	"convene/internal/sqlite"
	"convene/internal/sqlstore"
	"convene/internal/storetest"
	"convene/internal/web"

	"convene/internal/api/apicheck"
)

// personas are the callers every route is tried with, in the order of the
// authorization matrix's columns.
var personas = []string{"admin", "sadmin", "owner", "member", "collab", "viewer", "guest", "disabled", "other", "anon"}

// clock is the injectable clock of the server and the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a server on a fresh SQLite store with tenant "acme" (every persona
// but "other") and tenant "globex" (whose admin is "other"). The tenants,
// people and sessions are storetest's Fixture; env adds what is HTTP: the
// server, its clock and logs, and each persona's API token.
type env struct {
	t      testing.TB
	fx     *storetest.Fixture // tenant acme
	gx     *storetest.Fixture // tenant globex
	cfg    web.Config         // the server's, for another instance on the same store
	srv    *httptest.Server
	clock  *clock
	users  map[string]*convene.User
	tokens map[string]string
	seq    atomic.Int64
	logs   *bytes.Buffer
	logw   *syncWriter // writes logs; logText reads them while the server runs
	// tokensUsed: every persona's token has been used once (snapshot).
	tokensUsed bool
}

// unlimited lifts every rate limit, for tests that are not about them.
func unlimited(c *web.Config) {
	c.InviteRate, c.InviteTenantRate, c.ResolveRate, c.ResolveTenantRate = rate.Inf, rate.Inf, rate.Inf, rate.Inf
	c.LoginAccountRate, c.LoginAddrRate = rate.Inf, rate.Inf
}

func newEnv(t testing.TB, opts ...func(*web.Config)) *env {
	t.Helper()
	return newEnvOn(t, sqlite.OpenTestDB(t), opts...)
}

// newEnvOn is newEnv on the fresh store db (of either database).
func newEnvOn(t testing.TB, db *sqlstore.DB, opts ...func(*web.Config)) *env {
	t.Helper()
	e := &env{t: t, clock: &clock{t: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)},
		users: map[string]*convene.User{}, tokens: map[string]string{}, logs: &bytes.Buffer{}}
	e.logw = &syncWriter{w: e.logs}
	if sc, ok := any(db).(interface{ SetClock(func() time.Time) }); ok {
		sc.SetClock(e.clock.Now)
	}
	cfg := web.Config{
		PublicURL: "http://convene.test",
		Phones:    phone.Numbering{},
		Logger:    slog.New(slog.NewJSONHandler(e.logw, nil)),
		Now:       e.clock.Now,
	}
	for _, o := range opts {
		o(&cfg)
	}
	e.cfg = cfg
	e.srv = httptest.NewServer(web.New(db, cfg).Handler())
	t.Cleanup(e.srv.Close)

	e.fx = e.newTenant(db, "acme", "admin")
	e.gx = e.newTenant(db, "globex", "other")
	for _, p := range []struct {
		name string
		role convene.Role
	}{
		{"sadmin", convene.RoleSessionAdmin}, {"owner", convene.RoleMember}, {"member", convene.RoleMember},
		{"collab", convene.RoleMember}, {"viewer", convene.RoleMember}, {"guest", convene.RoleGuest}, {"disabled", convene.RoleMember},
	} {
		e.users[p.name] = e.fx.User(t, "User "+p.name, p.name+"@acme.test", "", p.role)
	}
	for _, p := range personas[:len(personas)-1] {
		e.tokens[p] = e.newToken(e.users[p])
	}
	e.fx.Disable(t, e.users["disabled"])
	return e
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

// logText is what the server logged so far.
func (e *env) logText() string {
	e.logw.mu.Lock()
	defer e.logw.mu.Unlock()
	return e.logs.String()
}

func (w *syncWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(b)
}

// newTenant creates tenant slug in store, guests allowed, with its admin
// (persona@slug.test) as persona.
func (e *env) newTenant(store convene.Store, slug, persona string) *storetest.Fixture {
	e.t.Helper()
	t := &convene.Tenant{Slug: slug, Name: "Tenant " + slug, DefaultRegion: "US", GuestsAllowed: true, InvitationTTL: convene.DefaultInvitationTTL}
	admin := &convene.User{Name: "Admin of " + slug, Email: persona + "@" + slug + ".test", Role: convene.RoleAdmin}
	f := storetest.AddTenantWith(e.t, store, t, admin)
	e.users[persona] = admin
	return f
}

// fresh registers a new user of acme with a unique email.
func (e *env) fresh(role convene.Role) *convene.User {
	name := fmt.Sprintf("fresh%d", e.seq.Add(1))
	return e.fx.User(e.t, "User "+name, name+"@acme.test", "", role)
}

// newToken creates an API token for u, of acme or globex, and returns its
// secret.
func (e *env) newToken(u *convene.User) string {
	e.t.Helper()
	f := e.fx
	if u.TenantID == e.gx.Tenant.ID {
		f = e.gx
	}
	return f.Token(e.t, u)
}

// setPassword gives u, of acme, the password.
func (e *env) setPassword(u *convene.User, password string) {
	e.t.Helper()
	e.fx.SetPassword(e.t, u, password)
}

// session creates a session owned by "owner" with collab and guest
// collaborating and viewer viewing.
func (e *env) session() *convene.Session {
	e.t.Helper()
	s := e.fx.Session(e.t, e.users["owner"], fmt.Sprintf("Session %d", e.seq.Add(1)))
	e.grant(s.ID, convene.AccessCollaborate, e.users["collab"], e.users["guest"])
	e.grant(s.ID, convene.AccessView, e.users["viewer"])
	return s
}

// grant has acme's admin grant access to users on a session.
func (e *env) grant(sessionID int64, access convene.Access, users ...*convene.User) *convene.Batch {
	e.t.Helper()
	req := convene.GrantRequest{SessionIDs: []int64{sessionID}, Access: access}
	for _, u := range users {
		req.Contacts = append(req.Contacts, u.Email)
	}
	return e.fx.Grant(e.t, e.users["admin"], req)
}

// resp is an answer, read whole.
type resp struct {
	status int
	header http.Header
	body   []byte
}

func (r *resp) decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (r *resp) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// do sends a request as persona ("anon" for nobody) with a bearer token.
// body is nil, a string or []byte sent as is, or a value sent as JSON.
func (e *env) do(persona, method, path string, body any, header ...string) *resp {
	e.t.Helper()
	req := e.request(method, path, body, header...)
	if tok, ok := e.tokens[persona]; ok {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	return e.send(e.srv.Client(), req)
}

// headed is a request body with headers of its own (If-Match, a multipart
// Content-Type), for the cells of the authorization matrix.
type headed struct {
	body   any
	header []string
}

func (e *env) request(method, path string, body any, header ...string) *http.Request {
	e.t.Helper()
	if h, ok := body.(headed); ok {
		body, header = h.body, append(h.header, header...)
	}
	var r io.Reader
	ct := "application/json"
	switch b := body.(type) {
	case nil:
	case csvText:
		r, ct = strings.NewReader(string(b)), "text/csv"
	case string:
		r = strings.NewReader(b)
	case []byte:
		r = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, r)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", ct)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return req
}

func (e *env) send(c *http.Client, req *http.Request) *resp {
	e.t.Helper()
	res, err := apicheck.Client(e.t, c).Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		return &resp{status: res.StatusCode, header: res.Header} // a stream does not end: see stream_test.go
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &resp{status: res.StatusCode, header: res.Header, body: b}
}

func id(n int64) string { return fmt.Sprint(n) }

// wantStatus fails t unless r has status want.
func wantStatus(t testing.TB, r *resp, want int, what string) {
	t.Helper()
	if r.status != want {
		t.Errorf("%s: status %d, want %d; body %s", what, r.status, want, r.body)
	}
}

// problem is the body of an error answer.
type problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
	Entries []struct {
		Index  int    `json:"index"`
		Input  string `json:"input"`
		Reason string `json:"reason"`
	} `json:"entries"`
}

// wantProblem checks that r is a problem document of status want.
// wantRateLimited checks that r is a 429 problem that says when to retry.
func wantRateLimited(t testing.TB, r *resp, what string) {
	t.Helper()
	wantProblem(t, r, http.StatusTooManyRequests, what)
	if r.header.Get("Retry-After") == "" {
		t.Errorf("%s: 429 without Retry-After", what)
	}
}

func wantProblem(t testing.TB, r *resp, want int, what string) problem {
	t.Helper()
	wantStatus(t, r, want, what)
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("%s: Content-Type %q, want application/problem+json", what, ct)
	}
	var p problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Errorf("%s: not JSON: %s", what, r.body)
	}
	if p.Status != r.status || p.Title == "" || p.Type == "" || p.Detail == "" {
		t.Errorf("%s: incomplete problem %s", what, r.body)
	}
	return p
}
