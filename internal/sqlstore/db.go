// Package sqlstore implements convene.Store over database/sql, in the SQL
// that SQLite and PostgreSQL both speak. What differs between them
// (placeholders, error codes, id lists, row locks) is behind Dialect;
// internal/sqlite and internal/postgres open the databases and supply one.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"

	"convene"
	"convene/internal/phone"
)

var _ convene.Store = (*DB)(nil)

// DB is a convene.Store over two handles: read serves queries, write serves
// transactions that change anything. They may be the same *sql.DB (as on
// PostgreSQL); on SQLite write holds the one writer connection.
type DB struct {
	read, write   *sql.DB
	d             Dialect
	now           func() time.Time
	phones        convene.PhoneNumbering
	search        searchBounds
	stmts         stmtCache
	tokens        tokenCache
	pages         pageCache
	onEvent       func(sessionID, eventID int64)
	onUserEnded   func(userID int64)
	onUserDemoted func(userID int64)
	openTxs       sync.Map // *sql.Tx -> *eventTx of each write transaction under way (eventsOf)
	atClose       []func()
}

// New returns a store over read and write speaking dialect d.
func New(read, write *sql.DB, d Dialect) *DB {
	return &DB{read: read, write: write, d: d, now: time.Now, phones: phone.Numbering{}, search: defaultSearchBounds,
		tokens: tokenCache{ttl: DefaultTokenCacheFor}, pages: newPageCache(d)}
}

// SetClock replaces the clock, for tests. Times are stored in UTC.
func (db *DB) SetClock(now func() time.Time) { db.now = now }

// SetPhoneNumbering replaces how phone numbers are normalised.
func (db *DB) SetPhoneNumbering(p convene.PhoneNumbering) { db.phones = p }

// ReadDB returns the handle used for queries, for tests and tools.
func (db *DB) ReadDB() *sql.DB { return db.read }

// WriteDB returns the handle used for writes, for tests and tools.
func (db *DB) WriteDB() *sql.DB { return db.write }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// AtClose has Close call fn first (in the order given), to stop what
// works for the store, such as its dialect's listener. Set it before
// serving.
func (db *DB) AtClose(fn func()) { db.atClose = append(db.atClose, fn) }

// Close releases both handles.
func (db *DB) Close() error {
	for _, fn := range db.atClose {
		fn()
	}
	err := errors.Join(db.stmts.close(), db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// clock returns the current time in UTC.
func (db *DB) clock() time.Time { return db.now().UTC() }

// q rebinds a query written with ? placeholders for the dialect.
func (db *DB) q(query string) string { return db.d.Rebind(query) }

// inTx runs fn in a write transaction, committing when fn returns nil.
// Every write transaction may append to the event log (see inEventTx).
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.inEventTx(ctx, func(tx *eventTx) error { return fn(tx.Tx) })
}

// inTxKeepingPages is inTx for the writes that cannot change a sessions
// page and run often, so that they do not empty the page cache nor tell
// every instance: a rate-limit take (on every request where limits count
// in the database) and the delivery worker's claims (a poll). Any other
// write goes through inTx or inEventTx, which do (page_cache.go).
func (db *DB) inTxKeepingPages(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.writeTx(ctx, false, func(tx *eventTx) error { return fn(tx.Tx) })
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// notFound maps sql.ErrNoRows to ENOTFOUND with msg, and wraps other errors.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, sql.ErrNoRows) {
		return convene.Errorf(convene.ENOTFOUND, format, args...)
	}
	return fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), err)
}

// ns encodes a time as integer unix nanoseconds; the zero time is 0.
func ns(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// ts decodes what ns encoded, in UTC.
func ts(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// nullStr stores "" as NULL.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// nullID stores 0 as NULL.
func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
