package sqlite

import (
	"path/filepath"
	"testing"

	"convene/internal/sqlstore"
)

// OpenTestDB opens a fresh, migrated store in a temporary file that is
// removed when t ends.
func OpenTestDB(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := Open(filepath.Join(t.TempDir(), "convene.db"))
	if err != nil {
		t.Fatalf("sqlite.OpenTestDB: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
