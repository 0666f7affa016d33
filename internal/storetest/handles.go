package storetest

import (
	"database/sql"
	"testing"
	"time"

	"convene"
)

// The stores offer a few things beyond convene.Store that tests need: a
// clock to move, and their raw databases to count rows in or to load rows
// into as fast as the database allows. The suite asks for them through
// small interfaces so that it never imports a store package.

// setClock makes store read the time from now, and fails t when the store
// has no injectable clock.
func setClock(t testing.TB, store convene.Store, now func() time.Time) {
	t.Helper()
	s, ok := store.(interface{ SetClock(func() time.Time) })
	if !ok {
		t.Fatalf("store %T has no SetClock", store)
	}
	s.SetClock(now)
}

// databases returns the raw databases store reads from and writes to.
func databases(t testing.TB, store convene.Store) (read, write *sql.DB) {
	t.Helper()
	s, ok := store.(interface {
		ReadDB() *sql.DB
		WriteDB() *sql.DB
	})
	if !ok {
		t.Fatalf("store %T has no ReadDB and WriteDB", store)
	}
	return s.ReadDB(), s.WriteDB()
}
