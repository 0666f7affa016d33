package postgres

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"convene/internal/sqlstore"
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

// InSessions is the sessions' ANY.
func (d dialect) InSessions(alias string, sessions []int64) (string, []any) {
	return d.InIDs(alias + "session_id"), []any{d.IDsArg(sessions)}
}

// InPairs is both lists' ANY: PostgreSQL plans the product itself.
func (d dialect) InPairs(alias string, sessions, users []int64) (string, []any) {
	return d.InIDs(alias+"session_id") + ` AND ` + d.InIDs(alias+"user_id"), []any{d.IDsArg(sessions), d.IDsArg(users)}
}

func (dialect) IDTable(alias string) string {
	return `unnest(CAST(? AS BIGINT[])) AS ` + alias + `(value)`
}

// UserSearch is ILIKE on each text, served by the trigram indexes of
// migration 008 (the store sends it planned for its values, PlanEach).
func (dialect) UserSearch(q string) (string, []any) {
	p := sqlstore.LikePattern(q)
	return `(u.name ILIKE ? ESCAPE '\' OR u.email ILIKE ? ESCAPE '\' OR u.phone ILIKE ? ESCAPE '\')`, []any{p, p, p}
}

// TitleSearch is ILIKE, served by the trigram index sessions_title_trgm
// or by a walk newest first, whichever the planner deems cheaper for q.
func (dialect) TitleSearch(q string) sqlstore.TitleSearch {
	return sqlstore.TitleSearch{Scan: `s.title ILIKE ? ESCAPE '\'`, ScanArg: sqlstore.LikePattern(q)}
}

// PlanEach sends the query in the simple protocol: pgx writes the values
// into the SQL text, so PostgreSQL plans it with them, every time, and no
// prepared statement exists whose cached generic plan could replace that.
// A generic plan cannot see the word: for ILIKE $1 it walks every session
// newest first, seconds at 1M sessions for a rare word (docs/perf.md).
func (dialect) PlanEach(args []any) []any {
	return append([]any{pgx.QueryExecModeSimpleProtocol}, args...)
}

// PlansEach reports whether args begin with the execution mode PlanEach
// put there.
func (dialect) PlansEach(args []any) bool {
	if len(args) == 0 {
		return false
	}
	_, ok := args[0].(pgx.QueryExecMode)
	return ok
}

func (dialect) SkipLocked() string { return ` FOR UPDATE SKIP LOCKED` }
func (dialect) ForShare() string   { return ` FOR SHARE` }

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
