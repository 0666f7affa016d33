package web_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"convene"
	"convene/internal/postgres"
	"convene/internal/sqlite"
	"convene/internal/sqlstore"
	"convene/internal/storetest"
)

// instancePairs open two stores on one database, as two server instances
// have: each with its own token cache.
var instancePairs = []struct {
	name string
	open func(testing.TB) (*sqlstore.DB, *sqlstore.DB)
}{
	{"sqlite", func(t testing.TB) (*sqlstore.DB, *sqlstore.DB) {
		path := filepath.Join(t.TempDir(), "convene.db")
		return openSQLite(t, path), openSQLite(t, path)
	}},
	{"postgres", func(t testing.TB) (*sqlstore.DB, *sqlstore.DB) {
		url := postgres.TestDatabaseURL(t)
		return openPostgres(t, url), openPostgres(t, url)
	}},
}

func openSQLite(t testing.TB, path string) *sqlstore.DB {
	db, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("sqlite.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(t testing.TB, url string) *sqlstore.DB {
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatalf("postgres.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// cacheClock is the clock that ages one store's cached tokens.
type cacheClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *cacheClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *cacheClock) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// TestTokenCacheWindow: a token revoked, or its user disabled, on one
// instance stops working on another once the other's cache is older than
// its validity (DefaultTokenCacheFor, docs/operations.md), and at once on
// the instance that made the change.
func TestTokenCacheWindow(t *testing.T) {
	for _, pair := range instancePairs {
		t.Run(pair.name, func(t *testing.T) {
			a, b := pair.open(t)
			clock := &cacheClock{now: time.Unix(1_000_000, 0)}
			a.SetTokenCache(sqlstore.DefaultTokenCacheFor, clock.Now)
			f := storetest.AddTenant(t, a, "acme")
			bob := f.Member(t, "bob")
			tok := &convene.Token{Name: "ci", Hash: "cafe"}
			if err := a.CreateToken(storetest.As(bob), tok); err != nil {
				t.Fatalf("CreateToken: %v", err)
			}
			authenticates := func(db *sqlstore.DB, hash string) bool {
				t.Helper()
				_, err := db.AuthenticateToken(context.Background(), hash)
				if err != nil && convene.ErrorCode(err) != convene.ENOTFOUND {
					t.Fatalf("AuthenticateToken: %v", err)
				}
				return err == nil
			}
			if !authenticates(a, "cafe") {
				t.Fatal("a fresh token does not authenticate")
			}
			if err := b.RevokeToken(storetest.As(bob), tok.ID); err != nil {
				t.Fatalf("RevokeToken on the other instance: %v", err)
			}
			clock.advance(sqlstore.DefaultTokenCacheFor)
			if authenticates(a, "cafe") {
				t.Error("a token revoked on another instance still works once the window passed")
			}

			second := &convene.Token{Name: "cli", Hash: "beef"}
			if err := a.CreateToken(storetest.As(bob), second); err != nil {
				t.Fatalf("CreateToken: %v", err)
			}
			if !authenticates(a, "beef") {
				t.Fatal("a fresh token does not authenticate")
			}
			yes := true
			if _, err := b.UpdateUser(f.Sys(), bob.ID, convene.UserUpdate{Disabled: &yes}); err != nil {
				t.Fatalf("disable on the other instance: %v", err)
			}
			clock.advance(sqlstore.DefaultTokenCacheFor)
			if authenticates(a, "beef") {
				t.Error("the token of a user disabled on another instance still works once the window passed")
			}

			carl := f.Member(t, "carl")
			third := &convene.Token{Name: "cli", Hash: "f00d"}
			if err := a.CreateToken(storetest.As(carl), third); err != nil {
				t.Fatalf("CreateToken: %v", err)
			}
			if !authenticates(a, "f00d") {
				t.Fatal("a fresh token does not authenticate")
			}
			if err := a.RevokeToken(storetest.As(carl), third.ID); err != nil {
				t.Fatalf("RevokeToken: %v", err)
			}
			if authenticates(a, "f00d") {
				t.Error("a token revoked on this instance still works within the window")
			}
		})
	}
}
