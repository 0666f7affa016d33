package web_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/web"
)

func TestCSRF(t *testing.T) {
	e := newEnv(t, unlimited)
	e.setPassword(e.users["member"], goodPassword)
	cookie := sessionCookie(e.login(e.srv.Client(), "acme", "member@acme.test", goodPassword)).Value
	body := map[string]string{"title": "From somewhere"}

	wantProblem(t, e.withCookie(cookie, "POST", "/api/v1/sessions", body, "Origin", "https://evil.example"), http.StatusForbidden, "cross-site Origin with cookie")
	wantProblem(t, e.withCookie(cookie, "POST", "/api/v1/sessions", body, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden, "Sec-Fetch-Site cross-site with cookie")
	wantProblem(t, e.withCookie(cookie, "POST", "/api/v1/auth/logout", nil, "Sec-Fetch-Site", "cross-site"), http.StatusForbidden, "cross-site logout")
	wantProblem(t, e.send(e.srv.Client(), e.request("POST", "/api/v1/auth/login",
		map[string]string{"tenant": "acme", "login": "member@acme.test", "password": goodPassword}, "Origin", "https://evil.example")),
		http.StatusForbidden, "cross-site login")
	wantStatus(t, e.withCookie(cookie, "GET", "/api/v1/sessions", nil, "Sec-Fetch-Site", "cross-site"), http.StatusOK, "cross-site GET (never changes state)")

	wantStatus(t, e.withCookie(cookie, "POST", "/api/v1/sessions", body, "Sec-Fetch-Site", "same-origin"), http.StatusCreated, "same-origin fetch")
	wantStatus(t, e.withCookie(cookie, "POST", "/api/v1/sessions", body, "Origin", e.srv.URL), http.StatusCreated, "same Origin")
	wantStatus(t, e.withCookie(cookie, "POST", "/api/v1/sessions", body), http.StatusCreated, "no browser headers (API client)")
	wantStatus(t, e.do("member", "POST", "/api/v1/sessions", body, "Origin", "https://evil.example"), http.StatusCreated, "bearer token, cross-site Origin")
}

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t, unlimited)
	for _, path := range []string{"/api/v1/me", "/healthz", "/api/v1/nope", "/api/v1/openapi.json"} {
		r := e.do("member", "GET", path, nil)
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
			"Referrer-Policy":        "no-referrer",
		} {
			if got := r.header.Get(h); got != want {
				t.Errorf("%s: %s %q, want %q", path, h, got, want)
			}
		}
		if got := r.header.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
			t.Errorf("%s: Content-Security-Policy %q, want frame-ancestors 'none'", path, got)
		}
		if r.header.Get("X-Request-Id") == "" {
			t.Errorf("%s: no X-Request-Id", path)
		}
	}
}

func TestErrorsAreProblems(t *testing.T) {
	e := newEnv(t, unlimited, func(c *web.Config) { c.MaxBodyBytes = 1000 })
	wantProblem(t, e.do("admin", "GET", "/api/v1/nope", nil), http.StatusNotFound, "unknown endpoint")
	wantProblem(t, e.do("admin", "GET", "/api/v1/sessions/abc", nil), http.StatusNotFound, "word id")
	wantProblem(t, e.do("admin", "GET", "/api/v1/sessions/99999999999999999999", nil), http.StatusNotFound, "huge id")
	wantProblem(t, e.do("admin", "GET", "/api/v1/sessions/424242", nil), http.StatusNotFound, "missing id")
	wantProblem(t, e.do("anon", "GET", "/api/v1/sessions", nil), http.StatusUnauthorized, "anonymous")
	wantProblem(t, e.do("admin", "POST", "/api/v1/sessions", `{"title":"`+strings.Repeat("x", 2000)+`"}`), http.StatusRequestEntityTooLarge, "body over the limit")
	wantProblem(t, e.do("admin", "GET", "/api/v1/sessions?limit=abc", nil), http.StatusUnprocessableEntity, "limit of the wrong type")

	p := wantProblem(t, e.do("admin", "POST", "/api/v1/sessions", `{"title":5,"colour":"red"}`), http.StatusUnprocessableEntity, "wrong type and unknown field")
	fields := map[string]bool{}
	for _, fe := range p.Errors {
		fields[fe.Field] = true
	}
	if !fields["title"] || !fields["colour"] {
		t.Errorf("errors %+v, want title and colour named", p.Errors)
	}
	p = wantProblem(t, e.do("admin", "POST", "/api/v1/sessions", `{}`), http.StatusUnprocessableEntity, "missing title")
	if len(p.Errors) == 0 || p.Errors[0].Field != "title" {
		t.Errorf("errors %+v, want title named", p.Errors)
	}
	if !strings.HasPrefix(p.Type, "https://convene.dev/problems/") {
		t.Errorf("type %q", p.Type)
	}
}

func TestRateLimits(t *testing.T) {
	e := newEnv(t, unlimited, func(c *web.Config) {
		c.ResolveRate, c.ResolveBurst = rate.Every(time.Minute), 2
		c.ResolveTenantRate, c.ResolveTenantBurst = rate.Every(time.Minute), 3
		c.InviteRate, c.InviteBurst = rate.Every(time.Minute), 1
		c.InviteTenantRate, c.InviteTenantBurst = rate.Inf, 1
	})
	resolve := func(who string) *resp {
		return e.do(who, "POST", "/api/v1/contacts/resolve", map[string]string{"input": "a@acme.test"})
	}
	wantStatus(t, resolve("member"), http.StatusOK, "resolve 1")
	wantStatus(t, resolve("member"), http.StatusOK, "resolve 2")
	wantRateLimited(t, resolve("member"), "resolve 3, same user")
	wantStatus(t, resolve("viewer"), http.StatusOK, "another user")
	wantProblem(t, resolve("collab"), http.StatusTooManyRequests, "a third user, over the tenant's limit")
	wantStatus(t, resolve("other"), http.StatusOK, "another tenant")
	e.clock.Add(time.Minute)
	wantStatus(t, resolve("collab"), http.StatusOK, "after a minute")

	s := e.session()
	invite := func() *resp {
		return e.do("sadmin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": []string{"member@acme.test"}})
	}
	preview := func() *resp {
		return e.do("sadmin", "POST", "/api/v1/invitations/bulk/preview", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": []string{"member@acme.test"}})
	}
	// Previews spend contact look-ups (2 a minute for one user here), and
	// leave the one invitation token to the multi-invite they lead to.
	e.clock.Add(3 * time.Minute) // the tenant's look-ups, spent above, back
	wantStatus(t, preview(), http.StatusOK, "preview 1")
	wantStatus(t, preview(), http.StatusOK, "preview 2")
	wantRateLimited(t, preview(), "preview 3, over the look-ups")
	wantStatus(t, invite(), http.StatusOK, "invite 1")
	wantProblem(t, invite(), http.StatusTooManyRequests, "invite 2")
}

type batchJSON struct {
	BatchID     string         `json:"batch_id"`
	Access      string         `json:"access"`
	Counts      convene.Counts `json:"counts"`
	PairsInline bool           `json:"pairs_inline"`
	Results     []struct {
		Input    string         `json:"input"`
		Status   string         `json:"status"`
		UserID   string         `json:"user_id"`
		Counts   convene.Counts `json:"counts"`
		Sessions []struct {
			SessionID string `json:"session_id"`
			Outcome   string `json:"outcome"`
		} `json:"sessions"`
	} `json:"results"`
}

func TestBulkInvite(t *testing.T) {
	e := newEnv(t, unlimited)
	s1, s2 := e.session(), e.session()
	body := map[string]any{"session_ids": []string{id(s1.ID), id(s2.ID)},
		"contacts": "member@acme.test, Viewer@acme.test; owner@acme.test\n+1 202 555 0100, disabled@acme.test", "access": "collaborate"}
	before := e.snapshot(t)
	r := e.do("sadmin", "POST", "/api/v1/invitations/bulk", body, "Idempotency-Key", "k1")
	wantStatus(t, r, http.StatusOK, "bulk")
	var b batchJSON
	r.decode(t, &b)
	if want := (convene.Counts{Added: 2, Upgraded: 2, Unchanged: 2, Skipped: 2}); b.Counts != want {
		t.Errorf("counts %+v, want %+v; %s", b.Counts, want, r.body)
	}
	if len(b.Results) != 5 || b.Results[0].Status != "registered" || len(b.Results[0].Sessions) != 2 ||
		b.Results[3].Status != "unregistered" || len(b.Results[3].Sessions) != 0 || b.Results[4].Status != "disabled" {
		t.Errorf("results %s", r.body)
	}
	if !b.PairsInline {
		t.Errorf("pairs_inline false for a small batch")
	}
	afterFirst := e.snapshot(t)
	if before.Changes(afterFirst) == "" {
		t.Fatal("the multi-invite changed nothing")
	}

	// Replay: the same answer, nothing applied twice.
	again := e.do("sadmin", "POST", "/api/v1/invitations/bulk", body, "Idempotency-Key", "k1")
	wantStatus(t, again, http.StatusOK, "replay")
	var b2 batchJSON
	again.decode(t, &b2)
	if b2.BatchID != b.BatchID || b2.Counts != b.Counts {
		t.Errorf("replay answered %s, want %s", again.body, r.body)
	}
	e.wantNoWrites(t, afterFirst, "the replay")
	body["access"] = "view"
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/invitations/bulk", body, "Idempotency-Key", "k1"), http.StatusConflict, "same key, other body")

	got := e.do("sadmin", "GET", "/api/v1/invitations/batches/"+b.BatchID, nil)
	var b3 batchJSON
	got.decode(t, &b3)
	if b3.BatchID != b.BatchID || b3.Counts != b.Counts || len(b3.Results) != len(b.Results) {
		t.Errorf("batch read back %s, want %s", got.body, r.body)
	}
	pairs := e.do("sadmin", "GET", "/api/v1/invitations/batches/"+b.BatchID+"/pairs?limit=2", nil)
	var page struct {
		Items      []map[string]string
		NextCursor *string `json:"next_cursor"`
	}
	pairs.decode(t, &page)
	if len(page.Items) != 2 || page.NextCursor == nil {
		t.Errorf("pairs page %s", pairs.body)
	}

	// All or nothing: an invalid entry or an invisible session applies nothing.
	before = e.snapshot(t)
	p := wantProblem(t, e.do("sadmin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s1.ID)}, "contacts": "collab@acme.test, bob@"}), http.StatusUnprocessableEntity, "invalid entry")
	if len(p.Entries) != 1 || p.Entries[0].Input != "bob@" {
		t.Errorf("entries %+v, want bob@ named", p.Entries)
	}
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s1.ID), "424242"}, "contacts": "member2@acme.test"}), http.StatusNotFound, "unknown session")
	wantProblem(t, e.do("other", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s1.ID)}, "contacts": "member@acme.test"}), http.StatusNotFound, "another tenant's session")
	many := make([]string, 1001)
	for i := range many {
		many[i] = "p" + id(int64(i)) + "@acme.test"
	}
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s1.ID)}, "contacts": many}), http.StatusRequestEntityTooLarge, "1001 contacts")
	wantProblem(t, e.do("sadmin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s1.ID)}, "contacts": strings.Join(many, ",")}), http.StatusRequestEntityTooLarge, "1001 contacts as text")
	e.wantNoWrites(t, before, "a refused multi-invite")
}

func TestBulkInviteLargeBatchPages(t *testing.T) {
	if testing.Short() {
		t.Skip("large batch")
	}
	e := newEnv(t, unlimited)
	var sessionIDs []string
	for range 101 {
		sessionIDs = append(sessionIDs, id(e.session().ID))
	}
	var contacts []string
	for range 100 {
		contacts = append(contacts, e.fresh(convene.RoleMember).Email)
	}
	r := e.do("admin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": sessionIDs, "contacts": contacts, "access": "view"})
	wantStatus(t, r, http.StatusOK, "large bulk")
	var b batchJSON
	r.decode(t, &b)
	if b.PairsInline || b.Counts.Added != 10100 || b.Results[0].Sessions != nil {
		t.Fatalf("pairs_inline %v, counts %+v, first sessions %v", b.PairsInline, b.Counts, b.Results[0].Sessions)
	}
	seen := 0
	cursor := ""
	for range 10 {
		pr := e.do("admin", "GET", "/api/v1/invitations/batches/"+b.BatchID+"/pairs?limit=5000&cursor="+cursor, nil)
		var page struct {
			Items      []map[string]string
			NextCursor *string `json:"next_cursor"`
		}
		pr.decode(t, &page)
		seen += len(page.Items)
		if page.NextCursor == nil {
			break
		}
		cursor = *page.NextCursor
	}
	if seen != 10100 {
		t.Errorf("paged %d pairs, want 10100", seen)
	}
}

func TestOpenAPI(t *testing.T) {
	e := newEnv(t, unlimited)
	routes := apiRoutes(t, e)
	for _, want := range []string{
		"POST /api/v1/auth/login", "GET /api/v1/sessions", "POST /api/v1/invitations/bulk", "GET /api/v1/audit", "GET /healthz",
	} {
		found := false
		for _, r := range routes {
			found = found || r.String() == want
		}
		if !found {
			t.Errorf("OpenAPI document lacks %s", want)
		}
	}
	// Every route in the document answers something other than the
	// catch-all 404 of unknown endpoints (the matrix test checks statuses).
	for _, r := range routes {
		path := strings.NewReplacer("{id}", "1", "{user_id}", "1", "{batch_id}", "1").Replace(r.path)
		got := e.do("admin", r.method, path, nil)
		if bytes.Contains(got.body, []byte("no such endpoint")) {
			t.Errorf("%s is documented but not served", r)
		}
	}
}

func TestObservability(t *testing.T) {
	e := newEnv(t, unlimited)
	s := e.session()
	e.do("admin", "GET", "/api/v1/sessions/"+id(s.ID), nil)
	e.do("admin", "POST", "/api/v1/invitations/bulk", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "member@acme.test"})
	wantStatus(t, e.do("anon", "GET", "/healthz", nil), http.StatusOK, "healthz")

	m := e.do("anon", "GET", "/metrics", nil)
	for _, want := range []string{
		`convene_http_requests_total{method="GET",route="GET /api/v1/sessions/{id}",status="200"} 1`,
		`convene_http_request_duration_seconds_bucket{method="GET",route="GET /api/v1/sessions/{id}"`,
		`convene_bulk_grant_pairs_total{outcome="added"} 1`,
	} {
		if !bytes.Contains(m.body, []byte(want)) {
			t.Errorf("metrics lack %s", want)
		}
	}

	// One JSON log line per request, with its id.
	lines := 0
	ids := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(e.logs.Bytes()))
	for sc.Scan() {
		var rec map[string]any
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("log line %q: %v", sc.Text(), err)
		}
		if rec["msg"] == "request" {
			lines++
			rid, _ := rec["request_id"].(string)
			if rid == "" || ids[rid] {
				t.Errorf("request id %q missing or repeated", rid)
			}
			ids[rid] = true
		}
	}
	if lines != 4 {
		t.Errorf("%d request log lines, want 4", lines)
	}
}
