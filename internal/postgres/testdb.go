package postgres

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"convene/internal/poll"
	"convene/internal/sqlstore"
)

// TestURLEnv names the environment variable with the URL of a PostgreSQL
// server on which tests may create databases.
const TestURLEnv = "CONVENE_TEST_POSTGRES"

// testServer is the per-process state of OpenTestDB: one admin connection
// and one migrated template per server URL.
type testServer struct {
	once     sync.Once
	admin    *sql.DB
	template string
	err      error
}

var (
	testServersMu sync.Mutex
	testServers   = map[string]*testServer{}
)

// OpenTestDB returns a store on a fresh database cloned from a migrated
// template, dropped when t ends. It skips t when CONVENE_TEST_POSTGRES is
// unset, and fails it instead when CI is set.
func OpenTestDB(t testing.TB) *sqlstore.DB {
	t.Helper()
	db, err := Open(context.Background(), TestDatabaseURL(t))
	if err != nil {
		t.Fatalf("postgres.OpenTestDB: %v", err)
	}
	t.Cleanup(func() { db.Close() }) // runs before the drop, registered earlier
	return db
}

// TestDatabaseURL creates a fresh database cloned from the migrated
// template, dropped when t ends, and returns its URL, for tests that need
// more than one store (or a LISTEN connection) on one database. It skips
// or fails t as OpenTestDB does.
func TestDatabaseURL(t testing.TB) string {
	t.Helper()
	base := testBaseURL(t)
	srv := serverFor(base)
	srv.once.Do(func() { srv.admin, srv.template, srv.err = prepareTemplate(base) })
	if srv.err != nil {
		t.Fatalf("postgres.OpenTestDB: %v", srv.err)
	}
	name := "convene_t_" + randomHex(8)
	createFromTemplate(t, srv.admin, name, srv.template)
	t.Cleanup(func() {
		if _, err := srv.admin.ExecContext(context.Background(), `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	return withDatabase(base, name)
}

// testBaseURL is CONVENE_TEST_POSTGRES; without it t is skipped, or failed
// when CI is set.
func testBaseURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(TestURLEnv)
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not set: PostgreSQL tests cannot run in CI", TestURLEnv)
		}
		t.Skipf("%s is not set", TestURLEnv)
	}
	return base
}

func serverFor(base string) *testServer {
	testServersMu.Lock()
	defer testServersMu.Unlock()
	if testServers[base] == nil {
		testServers[base] = &testServer{}
	}
	return testServers[base]
}

// prepareTemplate makes sure the template of the current migrations exists.
// Its name carries a hash of the migrations, so a changed migration gets a
// new template; an advisory lock keeps concurrent test processes apart.
func prepareTemplate(base string) (*sql.DB, string, error) {
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return nil, "", err
	}
	tmpl, err := templateName()
	if err != nil {
		return nil, "", err
	}
	conn, err := admin.Conn(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("connect to %s: %w", TestURLEnv, err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, migrationLockKey+1); err != nil {
		return nil, "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock($1)`, migrationLockKey+1)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, tmpl).Scan(&exists); err != nil {
		return nil, "", err
	}
	if !exists {
		if err := buildTemplate(ctx, conn, base, tmpl); err != nil {
			return nil, "", err
		}
	}
	return admin, tmpl, nil
}

// buildTemplate migrates a scratch database and renames it to tmpl, so
// that a crash never leaves a half-migrated template behind.
func buildTemplate(ctx context.Context, conn *sql.Conn, base, tmpl string) error {
	scratch := tmpl + "_build"
	for _, q := range []string{`DROP DATABASE IF EXISTS ` + scratch + ` WITH (FORCE)`, `CREATE DATABASE ` + scratch} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("build template: %w", err)
		}
	}
	db, err := sql.Open("pgx", withDatabase(base, scratch))
	if err != nil {
		return err
	}
	err = Migrate(ctx, db)
	db.Close()
	if err != nil {
		return fmt.Errorf("build template: %w", err)
	}
	_, err = conn.ExecContext(ctx, `ALTER DATABASE `+scratch+` RENAME TO `+tmpl)
	return err
}

// createFromTemplate clones tmpl, waiting while another session briefly
// holds the template (SQLSTATE 55006); it fails t on any other error.
func createFromTemplate(t testing.TB, admin *sql.DB, name, tmpl string) {
	t.Helper()
	poll.UntilNil(t, 30*time.Second, "template "+tmpl+" to be free to clone", func() error {
		_, err := admin.ExecContext(context.Background(), `CREATE DATABASE `+name+` TEMPLATE `+tmpl)
		var pgErr *pgconn.PgError
		if err != nil && (!errors.As(err, &pgErr) || pgErr.Code != "55006") {
			t.Fatalf("postgres.OpenTestDB: create test database: %v", err)
		}
		return err
	})
}

// templateName is convene_tmpl_ and a hash of the migrations.
func templateName() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations, "migrations", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations, path)
		h.Write([]byte(path))
		h.Write(b)
		return err
	})
	return "convene_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12], err
}

// withDatabase returns base with its database name replaced.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
