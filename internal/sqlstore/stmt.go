package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxPreparedStmts bounds the statements a DB keeps prepared. The store's
// queries are a bounded set of texts (values travel as arguments, lists as
// one argument, limits within clamps), well under it; a text beyond the
// bound is run unprepared rather than evicting another.
const maxPreparedStmts = 512

// stmtKey names a prepared statement: the handle it runs on and its text,
// rebound for the dialect.
type stmtKey struct {
	h     *sql.DB
	query string
}

// stmtCache holds the statements a DB prepared, once each. A *sql.Stmt
// prepares itself again on every connection of the pool it runs on and
// keeps those per connection, so a hot query is parsed once a connection,
// not once a call: SQLite (modernc) has no statement cache of its own and
// spent a third of a sessions list request parsing SQL (docs/perf.md).
type stmtCache struct {
	mu    sync.Mutex
	stmts map[stmtKey]*sql.Stmt
}

// get returns the statement of query on h, preparing it the first time;
// nil when the cache is full. The preparation runs outside the lock, so
// that a wait for a connection holds no other look-up.
func (c *stmtCache) get(ctx context.Context, h *sql.DB, query string) (*sql.Stmt, error) {
	k := stmtKey{h, query}
	c.mu.Lock()
	s, full := c.stmts[k], len(c.stmts) >= maxPreparedStmts
	c.mu.Unlock()
	if s != nil || full {
		return s, nil
	}
	s, err := h.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if kept := c.stmts[k]; kept != nil {
		s.Close()
		return kept, nil
	}
	if c.stmts == nil {
		c.stmts = map[stmtKey]*sql.Stmt{}
	}
	c.stmts[k] = s
	return s, nil
}

// close closes every statement kept.
func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for k, s := range c.stmts {
		err = errors.Join(err, s.Close())
		delete(c.stmts, k)
	}
	return err
}

// prepared returns the kept statement of query (already rebound) for a
// query on q with args, or nil when it is to run unprepared: on a
// transaction (whose connection the pool's statement may not know), when
// the dialect's PlanEach prefixed the arguments (the database must plan
// the statement for its values each time, which a prepared statement's
// cached plan would not), or when the preparation fails (the unprepared
// query then reports the error itself).
func (db *DB) prepared(ctx context.Context, q querier, query string, args []any) *sql.Stmt {
	h, ok := q.(*sql.DB)
	if !ok || db.d.PlansEach(args) {
		return nil
	}
	s, err := db.stmts.get(ctx, h, query)
	if err != nil {
		return nil
	}
	return s
}

// query runs query (written with ?) on q, prepared once where it may be.
func (db *DB) query(ctx context.Context, q querier, query string, args ...any) (*sql.Rows, error) {
	query = db.q(query)
	if s := db.prepared(ctx, q, query, args); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return q.QueryContext(ctx, query, args...)
}

// queryRow is query for one row.
func (db *DB) queryRow(ctx context.Context, q querier, query string, args ...any) *sql.Row {
	query = db.q(query)
	if s := db.prepared(ctx, q, query, args); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return q.QueryRowContext(ctx, query, args...)
}
