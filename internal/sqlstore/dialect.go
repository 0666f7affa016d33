package sqlstore

import (
	"context"
	"database/sql"
)

// Dialect is what differs between the databases behind DB. Queries are
// written with ? placeholders and rebound.
type Dialect interface {
	// Rebind turns ? placeholders into the database's own.
	Rebind(query string) string
	// IsUniqueViolation reports, by driver error code, whether err is a
	// unique or primary-key violation.
	IsUniqueViolation(err error) bool
	// InIDs returns a condition "col is one of the ids in the next
	// argument"; IDsArg encodes that argument.
	InIDs(col string) string
	// InPairs returns a condition "the row of memberships (columns
	// <alias>session_id, <alias>user_id) is one of sessions x one of users"
	// and the arguments of its placeholders, planned for a big product: one
	// range of the primary key per session.
	InPairs(alias string, sessions, users []int64) (cond string, args []any)
	// InSessions is InPairs for every user: "the row of memberships is one
	// of sessions", whoever its user.
	InSessions(alias string, sessions []int64) (cond string, args []any)
	// InStrings is InIDs for text values; StringsArg encodes the argument.
	InStrings(col string) string
	IDsArg(ids []int64) any
	StringsArg(vals []string) any
	// IDTable returns a table expression over the ids of the next argument
	// (an IDsArg) whose one column is alias.value.
	IDTable(alias string) string
	// UserSearch returns a condition on the users (alias u) whose name,
	// email or phone contains q, case ignored beyond ASCII, with its
	// arguments; q is not empty.
	UserSearch(q string) (string, []any)
	// TitleSearch says how to find the sessions (alias s) whose title
	// contains q, case ignored beyond ASCII; q is not empty.
	TitleSearch(q string) TitleSearch
	// PlanEach returns the arguments of a search query, prefixed if need
	// be so that the database plans the statement for these very values
	// every time it runs (see the PostgreSQL dialect).
	PlanEach(args []any) []any
	// PlansEach reports whether args are what PlanEach made of some
	// arguments by prefixing them: such a statement is never prepared
	// (internal/sqlstore/stmt.go), whose plan could be cached.
	PlansEach(args []any) bool
	// LockSessions locks the rows of the given sessions until tx ends, in
	// id order, so that overlapping grants serialise. ids are sorted.
	LockSessions(ctx context.Context, tx *sql.Tx, ids []int64) error
	// SkipLocked is appended to a SELECT that claims rows for a worker.
	SkipLocked() string
	// ForShare is appended to a SELECT whose rows must not change until
	// the transaction ends ("" where the writer is serialised anyway).
	ForShare() string
	// MigrationLock serialises migrations across processes within tx.
	MigrationLock(ctx context.Context, tx *sql.Tx) error
	// RelaxDurability lets tx commit without waiting for its write to
	// reach the disk, for state whose last moments a crash may lose
	// harmlessly (rate-limit buckets).
	RelaxDurability(ctx context.Context, tx *sql.Tx) error
}
