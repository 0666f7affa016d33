package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"time"
)

// Migrate applies the *.sql files of fsys (at its root) that db has not seen
// yet, in name order, each in its own transaction, recording each file name
// in schema_migrations. It is safe to run from several processes at once.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		if err := migrateOne(ctx, db, d, path.Base(name), string(body)); err != nil {
			return err
		}
	}
	return nil
}

// migrateOne applies one file unless it was applied already.
func migrateOne(ctx context.Context, db *sql.DB, d Dialect, version, body string) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate %s: begin: %w", version, err)
	}
	defer tx.Rollback()
	if err := d.MigrationLock(ctx, tx); err != nil {
		return fmt.Errorf("migrate %s: lock: %w", version, err)
	}
	const create = `CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)`
	if _, err := tx.ExecContext(ctx, create); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	var n int
	err = tx.QueryRowContext(ctx, d.Rebind(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), version).Scan(&n)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", version, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("migrate %s: %w", version, err)
	}
	ins := d.Rebind(`INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)`)
	if _, err := tx.ExecContext(ctx, ins, version, time.Now().UnixNano()); err != nil {
		return fmt.Errorf("migrate %s: record: %w", version, err)
	}
	// A migration may rewrite what pages show (013 filled member_count):
	// running instances hear of it at its commit (page_cache.go).
	if n, ok := d.(CommitNotifier); ok {
		if err := n.NotifyCommit(ctx, tx, CommitNotice{PagesChanged: true}); err != nil {
			return fmt.Errorf("migrate %s: notify pages: %w", version, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate %s: commit: %w", version, err)
	}
	return nil
}
