package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// rowScanner is one row to scan: a *sql.Row, or the current row of a
// *sql.Rows. An alias, so that the scanXxx functions, written against the
// same interface literal, serve as scan functions as they are.
type rowScanner = interface{ Scan(...any) error }

// queryAll runs query on q and scans every row it returns with scan. what
// is the singular name of a row ("session") for the error messages.
func queryAll[T any](ctx context.Context, db *DB, q querier, what string, scan func(rowScanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := db.query(ctx, q, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query %ss: %w", what, err)
	}
	return scanAll(rows, what, scan)
}

// scanAll scans every row of rows with scan, and closes rows.
func scanAll[T any](rows *sql.Rows, what string, scan func(rowScanner) (T, error)) ([]T, error) {
	var out []T
	err := eachRow(rows, what, func(row rowScanner) error {
		v, err := scan(row)
		if err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// queryEach runs query on q and hands every row it returns to fn, for
// results too large to hold twice (fn stores each row where it belongs).
func queryEach(ctx context.Context, db *DB, q querier, what string, fn func(rowScanner) error, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, db.q(query), args...)
	if err != nil {
		return fmt.Errorf("query %ss: %w", what, err)
	}
	return eachRow(rows, what, fn)
}

// eachRow hands every row of rows to fn, stopping at its first error, and
// closes rows.
func eachRow(rows *sql.Rows, what string, fn func(rowScanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return fmt.Errorf("scan %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("query %ss: %w", what, err)
	}
	return nil
}

// execCount runs one statement in tx and returns the rows it affected.
func (db *DB) execCount(ctx context.Context, tx *sql.Tx, query string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, db.q(query), args...)
	if err != nil {
		return 0, fmt.Errorf("exec: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("exec: %w", err)
	}
	return n, nil
}

// pageOf cuts rows, which were fetched with LIMIT limit+1 to learn whether
// another page follows, to limit. It returns with them the cursor of the
// next page, made by cursor from the last row kept, or "" on the last page.
func pageOf[T any](rows []T, limit int, cursor func(last T) string) ([]T, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, cursor(rows[limit-1])
}
