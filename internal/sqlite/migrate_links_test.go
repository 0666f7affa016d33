package sqlite

import (
	"path/filepath"
	"testing"

	"convene/internal/storetest"
)

// TestLinkSecretsMigration: a database that holds link secrets in clear,
// as the versions before migration 007 left them, holds none after it,
// and the links that can still be used are re-sent.
func TestLinkSecretsMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db := openSchemaBefore(t, path, "007_")
	seeded := storetest.SeedClearLinks(t, db, dialect{}.Rebind)
	store, err := Open(path)
	if err != nil {
		t.Fatalf("open, migrating: %v", err)
	}
	defer store.Close()
	storetest.CheckClearLinksGone(t, store, db, seeded)
}
