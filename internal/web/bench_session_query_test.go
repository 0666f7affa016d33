package web_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"convene"
	"convene/internal/postgres"
	"convene/internal/sqlite"
	"convene/internal/sqlstore"
	"convene/internal/storetest"
)

// querySelected is how many sessions the session_query benchmark selects.
const querySelected = 1000

// BenchmarkSessionQuery gives one person access to the 1,000 sessions
// titled "... Chosen" among CONVENE_BENCH_SESSIONS (5,000 without it;
// 1,000,000 in docs/perf.md) in one tenant, by session_query and, in the
// same iteration, another person by the same 1,000 session_ids: the cost
// of resolving the search inside the write transaction, side by side.
func BenchmarkSessionQuery(b *testing.B) {
	n := 5000
	if v := os.Getenv(searchSessionsEnv); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < querySelected {
			b.Fatalf("%s=%q: want a number of at least %d", searchSessionsEnv, v, querySelected)
		}
	}
	stores := []struct {
		name string
		open func(testing.TB) *sqlstore.DB
	}{{"sqlite", sqlite.OpenTestDB}, {"postgres", postgres.OpenTestDB}}
	for _, st := range stores {
		b.Run(st.name, func(b *testing.B) { benchSessionQuery(b, st.open(b), st.name, n) })
	}
}

func benchSessionQuery(b *testing.B, db *sqlstore.DB, dialect string, n int) {
	f := storetest.AddTenantWith(b, db,
		&convene.Tenant{Slug: "acme", Name: "Acme", DefaultRegion: "US", InvitationTTL: convene.DefaultInvitationTTL},
		&convene.User{Name: "Ann", Email: "ann@acme.test", Role: convene.RoleAdmin})
	title := fmt.Sprintf(`'Topic ' || i || CASE WHEN i %% %d = 0 THEN ' Chosen' ELSE ' notes' END`, n/querySelected)
	base := time.Now().UnixNano()
	if _, err := db.WriteDB().ExecContext(context.Background(), seedSQLFor(dialect, title), n, f.Tenant.ID, f.Admin.ID, base, base); err != nil {
		b.Fatalf("seed %d sessions: %v", n, err)
	}
	if _, err := db.WriteDB().Exec(`ANALYZE`); err != nil {
		b.Fatalf("ANALYZE: %v", err)
	}
	ids := chosenIDs(b, db)
	b.Logf("%s: %d sessions, %d chosen, load average %s", dialect, n, len(ids), loadAverage())
	var byQuery, byIDs time.Duration
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		grantChosen(b, f, fmt.Sprintf("q%d", i), convene.GrantRequest{SessionQuery: &convene.SessionQuery{Q: "chosen"}})
		byQuery += time.Since(start)
		start = time.Now()
		grantChosen(b, f, fmt.Sprintf("i%d", i), convene.GrantRequest{SessionIDs: ids})
		byIDs += time.Since(start)
	}
	b.ReportMetric(float64(byQuery.Microseconds())/1000/float64(b.N), "query-ms")
	b.ReportMetric(float64(byIDs.Microseconds())/1000/float64(b.N), "ids-ms")
	b.ReportMetric(float64(byQuery)/float64(byIDs), "query/ids")
}

// chosenIDs are the ids of the sessions the search "chosen" matches.
func chosenIDs(b *testing.B, db *sqlstore.DB) []int64 {
	rows, err := db.ReadDB().Query(`SELECT id FROM sessions WHERE title LIKE '% Chosen' ORDER BY id`)
	if err != nil {
		b.Fatalf("chosen ids: %v", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			b.Fatalf("chosen ids: %v", err)
		}
		ids = append(ids, id)
	}
	if len(ids) != querySelected {
		b.Fatalf("%d sessions chosen, want %d", len(ids), querySelected)
	}
	return ids
}

// grantChosen gives a new person (made with the timer stopped) view
// access by req and checks that all 1,000 sessions were added.
func grantChosen(b *testing.B, f *storetest.Fixture, name string, req convene.GrantRequest) {
	b.StopTimer()
	u := f.User(b, name, name+"@acme.test", "", convene.RoleMember)
	b.StartTimer()
	req.Contacts, req.Access = []string{u.Email}, convene.AccessView
	batch, err := f.Store.Grant(storetest.As(f.Admin), req)
	if err != nil || batch.Counts.Added != querySelected {
		b.Fatalf("Grant %s: %+v, %v; want %d added", name, batch, err, querySelected)
	}
}
