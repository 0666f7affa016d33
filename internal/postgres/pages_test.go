package postgres_test

import (
	"context"
	"testing"
	"time"

	"convene"
	"convene/internal/poll"
	"convene/internal/postgres"
	"convene/internal/sqlstore"
	"convene/internal/storetest"
)

// pageWait bounds the waits for a notification or a reconnection.
const pageWait = 10 * time.Second

var firstPage = convene.SessionFilter{Limit: 25}

// openInstance opens a store on url, as one `convene serve` would, whose
// pages only notifications end (no expiry within the test).
func openInstance(t *testing.T, url string) *sqlstore.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetPageCache(time.Hour, nil)
	return db
}

// cachedTitle reads the first page of db as f's admin until db keeps it
// cached, and returns its first title.
func cachedTitle(t *testing.T, db *sqlstore.DB, f *storetest.Fixture) string {
	t.Helper()
	var title string
	poll.Until(t, pageWait, "the page to be cached", func() bool {
		title = firstTitle(t, db, f)
		return db.PageCached(storetest.As(f.Admin), firstPage)
	})
	return title
}

func firstTitle(t *testing.T, db *sqlstore.DB, f *storetest.Fixture) string {
	t.Helper()
	p, err := db.FindSessionsPage(storetest.As(f.Admin), firstPage)
	if err != nil || len(p.Sessions) == 0 {
		t.Fatalf("FindSessionsPage: %+v, %v", p, err)
	}
	return p.Sessions[0].Title
}

// TestPagesAcrossInstances: a change made through one instance is seen by
// the next read of another, whose page was cached, once its notification
// arrives.
func TestPagesAcrossInstances(t *testing.T) {
	url := postgres.TestDatabaseURL(t)
	writer, reader := openInstance(t, url), openInstance(t, url)
	f := storetest.AddTenant(t, writer, "acme")
	s := f.Session(t, f.Admin, "Planning")
	if got := cachedTitle(t, reader, f); got != "Planning" {
		t.Fatalf("the other instance shows %q, want Planning", got)
	}
	title := "Renamed elsewhere"
	if _, err := writer.UpdateSession(storetest.As(f.Admin), s.ID, convene.SessionUpdate{Title: &title}); err != nil {
		t.Fatal(err)
	}
	poll.Until(t, pageWait, "the other instance to show the new title", func() bool { return firstTitle(t, reader, f) == title })
}

// TestPagesBypassedWithoutListener: while the store does not hear of the
// other instances' writes, every page comes from the database; and losing
// the listener's connection forgets what was cached.
func TestPagesBypassedWithoutListener(t *testing.T) {
	url := postgres.TestDatabaseURL(t)
	db := openInstance(t, url)
	f := storetest.AddTenant(t, db, "acme")
	s := f.Session(t, f.Admin, "Planning")
	rename := func(title string) { // as a process that tells nobody would
		t.Helper()
		if _, err := db.WriteDB().Exec(`UPDATE sessions SET title = $1 WHERE id = $2`, title, s.ID); err != nil {
			t.Fatal(err)
		}
	}

	cachedTitle(t, db, f)
	if _, err := db.WriteDB().Exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN ' || $1`, postgres.PageChannel); err != nil {
		t.Fatal(err)
	}
	rename("Renamed unheard")
	poll.Until(t, pageWait, "the page read again once the listener was lost", func() bool { return firstTitle(t, db, f) == "Renamed unheard" })

	db.PagesFed(false)
	firstTitle(t, db, f)
	if db.PageCached(storetest.As(f.Admin), firstPage) {
		t.Error("a page was cached while the store heard of no other instance")
	}
	rename("Renamed again")
	if got := firstTitle(t, db, f); got != "Renamed again" {
		t.Errorf("without a listener the page shows %q, want the database's %q", got, "Renamed again")
	}
}
