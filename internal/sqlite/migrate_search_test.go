package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
)

// TestTitleSearchBackfill: migration 008 indexes the titles a database had
// before it, folded as searches fold them, and the index then follows new
// titles; it runs with no 007 present (the runner applies files by name).
func TestTitleSearchBackfill(t *testing.T) {
	ctx := context.Background()
	db := openSchemaBefore(t, filepath.Join(t.TempDir(), "old.db"), "007_")
	mustExec := func(query string) {
		t.Helper()
		if _, err := db.ExecContext(ctx, query); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	mustExec(`INSERT INTO tenants (slug, name, default_region, invitation_ttl_seconds, created_at) VALUES ('acme', 'Acme', 'US', 604800, 1)`)
	mustExec(`INSERT INTO users (tenant_id, name, email, role, created_at, updated_at) VALUES (1, 'Ann', 'ann@acme.test', 'admin', 1, 1)`)
	mustExec(`INSERT INTO sessions (id, tenant_id, owner_id, title, created_at, updated_at) VALUES (4, 1, 1, 'Ärger im BÜRO', 1, 1), (5, 1, 1, 'Weekly', 2, 2)`)

	if err := Migrate(ctx, db); err != nil {
		t.Fatalf("migrating to the current schema: %v", err)
	}
	mustExec(`INSERT INTO sessions (id, tenant_id, owner_id, title, created_at, updated_at) VALUES (6, 1, 1, 'Bürokratie', 3, 3)`)
	for q, want := range map[string][]int64{"büro": {4, 6}, "ärger": {4}, "weekly": {5}, "nothing": nil} {
		if got := titleMatches(t, db, q); !slices.Equal(got, want) {
			t.Errorf("index search %q = %v, want %v", q, got, want)
		}
	}
}

// titleMatches runs the dialect's index condition for q.
func titleMatches(t *testing.T, db *sql.DB, q string) []int64 {
	t.Helper()
	ts := dialect{}.TitleSearch(q)
	rows, err := db.Query(`SELECT s.id FROM sessions s WHERE `+ts.Index+` ORDER BY s.id`, ts.IndexArg)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}
