package postgres_test

import (
	"context"
	"testing"

	"convene"
	"convene/internal/postgres"
	"convene/internal/sqlstore"
)

// TestSearchesAreNeverPrepared proves by construction that the session
// and directory searches cannot fall to a cached generic plan (which, for
// ILIKE $1, walks every session newest first: issue 8): on one connection,
// after each search has run more often than PostgreSQL needs to switch a
// prepared statement to its generic plan, no statement that connection
// prepared holds an ILIKE, while the other reads of the same requests were
// prepared (so that the check would see a prepared search).
func TestSearchesAreNeverPrepared(t *testing.T) {
	db := postgres.OpenTestDB(t)
	db.ReadDB().SetMaxOpenConns(1)
	db.SetSearchBounds(0, 3)
	ctx := context.Background()
	tenant := &convene.Tenant{Slug: "acme", Name: "Acme", DefaultRegion: "US", InvitationTTL: convene.DefaultInvitationTTL}
	admin := &convene.User{Name: "Ann", Email: "ann@acme.test", Role: convene.RoleAdmin}
	if err := db.CreateTenant(ctx, tenant, admin); err != nil {
		t.Fatalf("CreateTenant: %v", err)
	}
	member := &convene.User{Name: "Mo", Email: "mo@acme.test", Role: convene.RoleMember}
	if err := db.CreateUser(convene.NewSystemContext(ctx, tenant.ID), member); err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	for _, title := range []string{"Weekly sync", "Weekly retro", "Zéphyr notes", "Weekly plan", "Weekly review"} {
		if err := db.CreateSession(convene.NewContextWithUser(ctx, admin), &convene.Session{Title: title}); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
	}
	for range 8 {
		for _, u := range []*convene.User{admin, member} {
			searchAll(t, db, convene.NewContextWithUser(ctx, u))
		}
	}
	var searches, others int
	err := db.ReadDB().QueryRowContext(ctx, `SELECT COUNT(*) FILTER (WHERE statement ILIKE '%ilike%'), COUNT(*) FILTER (WHERE statement NOT ILIKE '%ilike%')
		FROM pg_prepared_statements WHERE statement NOT LIKE '%pg_prepared_statements%'`).Scan(&searches, &others)
	if err != nil {
		t.Fatalf("pg_prepared_statements: %v", err)
	}
	if searches != 0 || others == 0 {
		t.Errorf("the connection prepared %d searches and %d other statements; want no search, some others", searches, others)
	}
}

// searchAll runs each kind of search once: a session search of a common
// and a rare word with its total, the next page, and the directory search.
func searchAll(t *testing.T, db *sqlstore.DB, ctx context.Context) {
	t.Helper()
	for _, q := range []string{"weekly", "zéphyr", "we"} {
		_, next, err := db.FindSessions(ctx, convene.SessionFilter{Query: q, Limit: 2})
		if err != nil {
			t.Fatalf("FindSessions(%q): %v", q, err)
		}
		if _, _, err := db.CountSessions(ctx, convene.SessionFilter{Query: q}); err != nil {
			t.Fatalf("CountSessions(%q): %v", q, err)
		}
		if next != "" {
			if _, _, err := db.FindSessions(ctx, convene.SessionFilter{Query: q, Limit: 2, Cursor: next}); err != nil {
				t.Fatalf("FindSessions(%q, next): %v", q, err)
			}
		}
	}
	if _, _, err := db.FindUsers(ctx, convene.UserFilter{Query: "ann"}); err != nil {
		t.Fatalf("FindUsers: %v", err)
	}
}
