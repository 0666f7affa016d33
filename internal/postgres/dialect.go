package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// migrationLockKey is the advisory lock that serialises migrations.
const migrationLockKey = 7_411_001

// dialect is PostgreSQL's sqlstore.Dialect: lists travel as arrays, and a
// grant locks its sessions' rows.
type dialect struct{}

// Rebind turns ? into $1, $2, ... outside quoted strings and identifiers.
func (dialect) Rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n, quote := 0, byte(0)
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (dialect) IsUniqueViolation(err error) bool {
	var e *pgconn.PgError
	return errors.As(err, &e) && e.Code == "23505"
}

func (dialect) InIDs(col string) string     { return col + ` = ANY(CAST(? AS BIGINT[]))` }
func (dialect) InStrings(col string) string { return col + ` = ANY(CAST(? AS TEXT[]))` }
func (dialect) IDTable(alias string) string {
	return `unnest(CAST(? AS BIGINT[])) AS ` + alias + `(value)`
}
func (dialect) ILike(col string) string { return col + ` ILIKE ? ESCAPE '\'` }
func (dialect) SkipLocked() string      { return ` FOR UPDATE SKIP LOCKED` }
func (dialect) ForShare() string        { return ` FOR SHARE` }

func (dialect) IDsArg(ids []int64) any {
	if ids == nil {
		return []int64{}
	}
	return ids
}

func (dialect) StringsArg(vals []string) any {
	if vals == nil {
		return []string{}
	}
	return vals
}

// LockSessions takes the row locks of the sessions in id order, so that
// overlapping grants wait for each other instead of deadlocking.
func (dialect) LockSessions(ctx context.Context, tx *sql.Tx, ids []int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM sessions WHERE id = ANY($1) ORDER BY id FOR UPDATE`, ids)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

func (dialect) MigrationLock(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLockKey)
	return err
}

// RelaxDurability turns off synchronous_commit for tx alone: its commit
// returns before the WAL is flushed (a crash may lose it; nothing else is
// at risk).
func (dialect) RelaxDurability(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `SET LOCAL synchronous_commit = off`)
	return err
}
