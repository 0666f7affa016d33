package sqlite_test

import (
	"context"
	"testing"
	"time"

	"convene"
	"convene/internal/sqlstore"
	"convene/internal/storetest"
)

func BenchmarkGrant(b *testing.B) { storetest.BenchmarkGrant(b, openStore) }

func BenchmarkBaseline(b *testing.B) { storetest.BenchmarkBaseline(b, openStore, insertRaw) }

// insertRaw writes the membership rows with one prepared single-row INSERT
// in one transaction: the fastest plain way to load them into SQLite.
func insertRaw(b *testing.B, store convene.Store, sessionIDs, userIDs []int64) {
	ctx := context.Background()
	tx, err := store.(*sqlstore.DB).WriteDB().BeginTx(ctx, nil)
	if err != nil {
		b.Fatalf("begin: %v", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO memberships (session_id, user_id, access, granted_by, batch_id, created_at, updated_at)
		VALUES (?, ?, 'collaborate', NULL, NULL, ?, ?)`)
	if err != nil {
		b.Fatalf("prepare: %v", err)
	}
	defer stmt.Close()
	now := time.Now().UnixNano()
	for _, s := range sessionIDs {
		for _, u := range userIDs {
			if _, err := stmt.ExecContext(ctx, s, u, now, now); err != nil {
				b.Fatalf("insert: %v", err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatalf("commit: %v", err)
	}
}
