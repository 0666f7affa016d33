package sqlstore

import (
	"context"
	"fmt"
)

// pageByID reads one page of rows of query (which ends in a WHERE clause
// over arg) in the order of the id column idCol, "ASC" or "DESC", keyed by
// the id of the last row: the paging of notes, messages and files. limit
// is 1-100, 0 meaning 50; cursor comes from a previous page.
func pageByID[T any](ctx context.Context, db *DB, what string, scan func(rowScanner) (T, error), query, idCol, order string, arg any,
	limit int, cursor string, idOf func(T) int64) ([]T, string, error) {
	limit = clampLimit(limit, 50, 100)
	args := []any{arg}
	if cursor != "" {
		var after int64
		if err := decodeCursor(cursor, &after); err != nil {
			return nil, "", err
		}
		cmp := ">"
		if order == "DESC" {
			cmp = "<"
		}
		query += ` AND ` + idCol + ` ` + cmp + ` ?`
		args = append(args, after)
	}
	query += fmt.Sprintf(` ORDER BY %s %s LIMIT %d`, idCol, order, limit+1)
	rows, err := queryAll(ctx, db, db.read, what, scan, query, args...)
	if err != nil {
		return nil, "", err
	}
	rows, next := pageOf(rows, limit, func(last T) string { return encodeCursor(idOf(last)) })
	return rows, next, nil
}
