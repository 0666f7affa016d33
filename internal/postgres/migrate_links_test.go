package postgres

import (
	"context"
	"database/sql"
	"io/fs"
	"testing"

	"convene/internal/sqlstore"
	"convene/internal/storetest"
)

// TestLinkSecretsMigration: a database that holds link secrets in clear,
// as the versions before migration 007 left them, holds none after it,
// and the links that can still be used are re-sent.
func TestLinkSecretsMigration(t *testing.T) {
	ctx := context.Background()
	url := emptyTestDB(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlstore.Migrate(ctx, db, dialect{}, storetest.MigrationsBefore(t, sub, "007_")); err != nil {
		t.Fatalf("the older schema: %v", err)
	}
	seeded := storetest.SeedClearLinks(t, db, dialect{}.Rebind)
	store, err := Open(ctx, url)
	if err != nil {
		t.Fatalf("open, migrating: %v", err)
	}
	defer store.Close()
	storetest.CheckClearLinksGone(t, store, db, seeded)
}

// emptyTestDB creates an empty database on the CONVENE_TEST_POSTGRES
// server, dropped when t ends, and returns its URL.
func emptyTestDB(t *testing.T) string {
	t.Helper()
	base := testBaseURL(t)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := "convene_m_" + randomHex(8)
	if _, err := admin.Exec(`CREATE DATABASE ` + name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`)
		admin.Close()
	})
	return withDatabase(base, name)
}
