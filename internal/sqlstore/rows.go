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
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("scan %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("query %ss: %w", what, err)
	}
	return out, nil
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
