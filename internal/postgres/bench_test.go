package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// copyRaw writes the membership rows with COPY (pgx CopyFrom) on the
// store's own pgx connection: the fastest way to load them into PostgreSQL.
func copyRaw(ctx context.Context, db *sql.DB, sessionIDs, userIDs []int64) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("conn: %w", err)
	}
	defer conn.Close()
	now := time.Now().UnixNano()
	rows := make([][]any, 0, len(sessionIDs)*len(userIDs))
	for _, s := range sessionIDs {
		for _, u := range userIDs {
			rows = append(rows, []any{s, u, "collaborate", now, now})
		}
	}
	return conn.Raw(func(driverConn any) error {
		pc := driverConn.(*stdlib.Conn).Conn()
		n, err := pc.CopyFrom(ctx, pgx.Identifier{"memberships"},
			[]string{"session_id", "user_id", "access", "created_at", "updated_at"}, pgx.CopyFromRows(rows))
		if err == nil && int(n) != len(rows) {
			return fmt.Errorf("COPY wrote %d rows, want %d", n, len(rows))
		}
		return err
	})
}
