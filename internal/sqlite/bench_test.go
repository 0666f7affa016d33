package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// insertRaw writes the membership rows with one prepared single-row INSERT
// in one transaction: the fastest plain way to load them into SQLite.
func insertRaw(ctx context.Context, db *sql.DB, sessionIDs, userIDs []int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO memberships (session_id, user_id, access, granted_by, batch_id, created_at, updated_at)
		VALUES (?, ?, 'collaborate', NULL, NULL, ?, ?)`)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	defer stmt.Close()
	now := time.Now().UnixNano()
	for _, s := range sessionIDs {
		for _, u := range userIDs {
			if _, err := stmt.ExecContext(ctx, s, u, now, now); err != nil {
				return fmt.Errorf("insert: %w", err)
			}
		}
	}
	return tx.Commit()
}
