package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"

	"convene/internal/sqlstore"
	"convene/internal/storetest"
)

// migrationsBefore returns the embedded migrations whose names sort before
// name: the schema a database had before that migration shipped.
func migrationsBefore(t *testing.T, name string) fs.FS {
	t.Helper()
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	return storetest.MigrationsBefore(t, sub, name)
}

// openSchemaBefore opens a new database file at path with the schema a
// database had before migration name shipped, on one connection, closed
// when t ends.
func openSchemaBefore(t *testing.T, path, name string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if err := sqlstore.Migrate(context.Background(), db, dialect{}, migrationsBefore(t, name)); err != nil {
		t.Fatalf("the older schema: %v", err)
	}
	return db
}

// TestAuditRebuildKeepsTheTrail: the migration that rebuilds audit_events
// (to drop its tenant foreign key) keeps every row and id, its indexes, and
// numbering after the highest id, on a database that already had a trail.
func TestAuditRebuildKeepsTheTrail(t *testing.T) {
	ctx := context.Background()
	db := openSchemaBefore(t, filepath.Join(t.TempDir(), "old.db"), "005_")
	mustExec := func(query string, args ...any) {
		t.Helper()
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	mustExec(`INSERT INTO tenants (slug, name, default_region, invitation_ttl_seconds, created_at) VALUES ('acme', 'Acme', 'US', 604800, 1)`)
	for _, row := range [][]any{{int64(7), "member.added", int64(3), "", "collaborate"}, {int64(9), "member.access_changed", int64(4), "view", "collaborate"}} {
		mustExec(`INSERT INTO audit_events (id, tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id)
			VALUES (?, 1, 100, 1, ?, ?, 2, ?, ?, NULL)`, row...)
	}

	if err := Migrate(ctx, db); err != nil {
		t.Fatalf("migrating to the current schema: %v", err)
	}
	if err := Migrate(ctx, db); err != nil {
		t.Fatalf("migrating a second time: %v", err)
	}

	got := auditRows(t, db)
	want := []string{"7 member.added 3  collaborate", "9 member.access_changed 4 view collaborate"}
	if !slices.Equal(got, want) {
		t.Errorf("audit rows after the rebuild %q, want %q", got, want)
	}
	mustExec(`INSERT INTO audit_events (tenant_id, at, action) VALUES (1, 200, 'session.created')`)
	var next int64
	if err := db.QueryRowContext(ctx, `SELECT MAX(id) FROM audit_events`).Scan(&next); err != nil || next != 10 {
		t.Errorf("the next audit id is %d (%v), want 10: numbering goes on after the kept rows", next, err)
	}
	var indexes []string
	rows, err := db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_events' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		indexes = append(indexes, n)
	}
	if want := []string{"audit_events_batch", "audit_events_session", "audit_events_tenant", "audit_events_user"}; !slices.Equal(indexes, want) {
		t.Errorf("indexes on audit_events %v, want %v", indexes, want)
	}
}

func auditRows(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query(`SELECT id, action, session_id, before, after FROM audit_events ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, session int64
		var action, before, after string
		if err := rows.Scan(&id, &action, &session, &before, &after); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d %s %d %s %s", id, action, session, before, after))
	}
	return out
}
