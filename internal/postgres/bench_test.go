package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"convene"
	"convene/internal/sqlstore"
	"convene/internal/storetest"
)

func BenchmarkGrant(b *testing.B) { storetest.BenchmarkGrant(b, openStore) }

func BenchmarkBaseline(b *testing.B) { storetest.BenchmarkBaseline(b, openStore, copyRaw) }

// copyRaw writes the membership rows with COPY (pgx CopyFrom) on the
// store's own pgx connection: the fastest way to load them into PostgreSQL.
func copyRaw(b *testing.B, store convene.Store, sessionIDs, userIDs []int64) {
	ctx := context.Background()
	conn, err := store.(*sqlstore.DB).WriteDB().Conn(ctx)
	if err != nil {
		b.Fatalf("conn: %v", err)
	}
	defer conn.Close()
	now := time.Now().UnixNano()
	rows := make([][]any, 0, len(sessionIDs)*len(userIDs))
	for _, s := range sessionIDs {
		for _, u := range userIDs {
			rows = append(rows, []any{s, u, "collaborate", now, now})
		}
	}
	err = conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		n, err := pc.CopyFrom(ctx, pgx.Identifier{"memberships"},
			[]string{"session_id", "user_id", "access", "created_at", "updated_at"}, pgx.CopyFromRows(rows))
		if err == nil && int(n) != len(rows) {
			b.Errorf("COPY wrote %d rows, want %d", n, len(rows))
		}
		return err
	})
	if err != nil {
		b.Fatalf("copy: %v", err)
	}
}
