package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"convene/internal/sqlstore"
	"convene/internal/storetest"
)

// TestLinkSecretsMigration: a database that holds link secrets in clear,
// as the versions before migration 007 left them, holds none after it,
// and the links that can still be used are re-sent.
func TestLinkSecretsMigration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(path, true))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := sqlstore.Migrate(ctx, db, dialect{}, migrationsBefore(t, "007_")); err != nil {
		t.Fatalf("the older schema: %v", err)
	}
	seeded := storetest.SeedClearLinks(t, db, dialect{}.Rebind)
	store, err := Open(path)
	if err != nil {
		t.Fatalf("open, migrating: %v", err)
	}
	defer store.Close()
	storetest.CheckClearLinksGone(t, store, db, seeded)
}
