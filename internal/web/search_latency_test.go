package web_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"convene"
	"convene/internal/phone"
	"convene/internal/postgres"
	"convene/internal/sqlite"
	"convene/internal/sqlstore"
	"convene/internal/storetest"
	"convene/internal/web"
)

// searchSessionsEnv sets how many sessions TestSearchLatency seeds
// (docs/perf.md, "Search at 1M sessions"); 2,000 without it.
const searchSessionsEnv = "CONVENE_BENCH_SESSIONS"

// seedTitle is the title of the i-th seeded session, in SQL: every tenth
// has the common word "weekly", one in 10,000 the rare word "zephyr".
const seedTitle = `'Topic ' || i || CASE WHEN i % 10 = 0 THEN ' Weekly sync' ELSE ' notes' END || CASE WHEN i % 10000 = 7 THEN ' Zéphyr' ELSE '' END`

// seedSQL inserts n sessions of the tenant's admin in one statement per
// database (one round trip, no Go per row), created one nanosecond apart.
var seedSQL = map[string]string{
	"sqlite":   seedSQLFor("sqlite", seedTitle),
	"postgres": seedSQLFor("postgres", seedTitle),
}

// seedSQLFor is seedSQL with the title of the i-th session given in SQL.
func seedSQLFor(dialect, title string) string {
	if dialect == "sqlite" {
		return `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO sessions (tenant_id, owner_id, title, created_at, updated_at) SELECT ?, ?, ` + title + `, ? + i, ? + i FROM n`
	}
	return `INSERT INTO sessions (tenant_id, owner_id, title, created_at, updated_at)
		SELECT $2, $3, ` + title + `, $4 + i, $5 + i FROM generate_series(1, $1::bigint) AS i`
}

// TestSearchLatency measures the session search of the All Sessions page
// at a size of CONVENE_BENCH_SESSIONS in one tenant: each case 1,000 times
// through the HTTP API and 1,000 times straight on the store (the same
// FindSessions and CountSessions the handler runs, without HTTP), p50 and
// p99. Every answer is checked; times are reported, never asserted.
func TestSearchLatency(t *testing.T) {
	n, repeats := 2000, 20
	if v := os.Getenv(searchSessionsEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			t.Fatalf("%s=%q: %v", searchSessionsEnv, v, err)
		}
		repeats = 1000
	}
	stores := []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", sqlite.OpenTestDB}, {"postgres", postgres.OpenTestDB}}
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			db := st.open(t)
			b := newSearchBench(t, db, st.name, n)
			t.Logf("%s: %d sessions, load average %s", st.name, n, loadAverage())
			t.Logf("%-14s %8s %9s %9s %9s %9s", "case", "total", "http p50", "http p99", "store p50", "store p99")
			for _, c := range b.cases(t) {
				httpTimes := b.repeat(repeats, func() { b.viaHTTP(t, c) })
				storeTimes := b.repeat(repeats, func() { b.viaStore(t, c) })
				t.Logf("%-14s %8d %9s %9s %9s %9s", c.name, c.total, pct(httpTimes, 50), pct(httpTimes, 99), pct(storeTimes, 50), pct(storeTimes, 99))
			}
		})
	}
}

// searchBench is one seeded store behind a running server.
type searchBench struct {
	db     *sqlstore.DB
	srv    *httptest.Server
	client *http.Client
	admin  *convene.User
	token  string
	n      int
}

// searchCase is one search of the benchmark and what it must answer.
type searchCase struct {
	name   string
	filter convene.SessionFilter
	items  int // on the page
	total  int
	capped bool
}

func newSearchBench(t *testing.T, db *sqlstore.DB, dialect string, n int) *searchBench {
	ctx := context.Background()
	f := storetest.AddTenantWith(t, db,
		&convene.Tenant{Slug: "acme", Name: "Acme", DefaultRegion: "US", InvitationTTL: convene.DefaultInvitationTTL},
		&convene.User{Name: "Ann", Email: "ann@acme.test", Role: convene.RoleAdmin})
	tenant, admin := f.Tenant, f.Admin
	start := time.Now()
	base := time.Now().UnixNano()
	if _, err := db.WriteDB().ExecContext(ctx, seedSQL[dialect], n, tenant.ID, admin.ID, base, base); err != nil {
		t.Fatalf("seed %d sessions: %v", n, err)
	}
	analyze(t, db.WriteDB())
	t.Logf("%s: seeded %d sessions in %s", dialect, n, time.Since(start).Round(time.Millisecond))
	secret := f.Token(t, admin)
	cfg := web.Config{PublicURL: "http://convene.test", Phones: phone.Numbering{}, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	unlimited(&cfg)
	srv := httptest.NewServer(web.New(db, cfg).Handler())
	t.Cleanup(srv.Close)
	return &searchBench{db: db, srv: srv, client: srv.Client(), admin: admin, token: secret, n: n}
}

// analyze gathers the planner's statistics of the seeded rows, as a
// database that grew to this size would have them.
func analyze(t *testing.T, db *sql.DB) {
	if _, err := db.Exec(`ANALYZE`); err != nil {
		t.Fatalf("ANALYZE: %v", err)
	}
}

// cases are the five searches: the first page, the 40th by cursor, a rare,
// a common and a no-match word.
func (b *searchBench) cases(t *testing.T) []searchCase {
	capped := b.n > 1000
	rare := (b.n + 9993) / 10000
	common := b.n / 10
	return []searchCase{
		{name: "first page", items: 25, total: min(b.n, 1000), capped: capped},
		{name: "40th page", filter: convene.SessionFilter{Cursor: b.cursorOfPage(t, 40)}, items: 25, total: min(b.n, 1000), capped: capped},
		{name: "rare word", filter: convene.SessionFilter{Query: "ZÉPHYR"}, items: min(rare, 25), total: rare},
		{name: "common word", filter: convene.SessionFilter{Query: "weekly"}, items: 25, total: min(common, 1000), capped: common > 1000},
		{name: "no-match word", filter: convene.SessionFilter{Query: "qqxyzzy"}},
	}
}

// cursorOfPage pages through the list to the cursor of page p.
func (b *searchBench) cursorOfPage(t *testing.T, p int) string {
	cursor := ""
	for range p - 1 {
		_, next, err := b.db.FindSessions(convene.NewContextWithUser(context.Background(), b.admin), convene.SessionFilter{Cursor: cursor})
		if err != nil || next == "" {
			t.Fatalf("paging to page %d: next %q, %v", p, next, err)
		}
		cursor = next
	}
	return cursor
}

func (b *searchBench) viaHTTP(t *testing.T, c searchCase) {
	req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/v1/sessions?q=%s&cursor=%s", b.srv.URL, urlQuery(c.filter.Query), urlQuery(c.filter.Cursor)), nil)
	req.Header.Set("Authorization", "Bearer "+b.token)
	res, err := b.client.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	defer res.Body.Close()
	var page struct {
		Items       []json.RawMessage `json:"items"`
		Total       int               `json:"total"`
		TotalCapped bool              `json:"total_capped"`
	}
	if err := json.NewDecoder(res.Body).Decode(&page); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %v", c.name, res.StatusCode, err)
	}
	if len(page.Items) != c.items || page.Total != c.total || page.TotalCapped != c.capped {
		t.Fatalf("%s over HTTP: %d items, total %d capped %v; want %d, %d, %v", c.name, len(page.Items), page.Total, page.TotalCapped, c.items, c.total, c.capped)
	}
}

func (b *searchBench) viaStore(t *testing.T, c searchCase) {
	ctx := convene.NewContextWithUser(context.Background(), b.admin)
	list, _, err := b.db.FindSessions(ctx, c.filter)
	if err != nil {
		t.Fatalf("%s: %v", c.name, err)
	}
	total, capped, err := b.db.CountSessions(ctx, c.filter)
	if err != nil || len(list) != c.items || total != c.total || capped != c.capped {
		t.Fatalf("%s on the store: %d items, total %d capped %v (%v); want %d, %d, %v", c.name, len(list), total, capped, err, c.items, c.total, c.capped)
	}
}

// repeat times op n times in a row.
func (b *searchBench) repeat(n int, op func()) []time.Duration {
	times := make([]time.Duration, n)
	for i := range times {
		start := time.Now()
		op()
		times[i] = time.Since(start)
	}
	slices.Sort(times)
	return times
}

// pct is the p-th percentile of sorted times, in milliseconds.
func pct(sorted []time.Duration, p int) string {
	i := min(len(sorted)-1, len(sorted)*p/100)
	return fmt.Sprintf("%.2fms", float64(sorted[i].Microseconds())/1000)
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// loadAverage is the machine's 1, 5 and 15 minute load (Linux), to say how
// busy it was.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return string(b[:min(len(b), 14)])
}
