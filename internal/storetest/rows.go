package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"convene"
)

// Rows is every row of every table of a store's database, by table, each
// row its columns' values as text, sorted: what a write can change, to
// tell whether a call that should have written nothing did. The tables
// come from the database's own catalogue, so a table a migration adds is
// covered without a change here.
type Rows map[string][]string

// engines names, by the package of its database/sql driver, each engine
// the suite knows and the query listing the tables of its schema.
var engines = map[string]struct{ name, tables string }{
	"modernc.org/sqlite": {"sqlite",
		`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`},
	"github.com/jackc/pgx/v5/stdlib": {"postgres",
		`SELECT table_name FROM information_schema.tables
		 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`},
}

// engine returns "sqlite" or "postgres" for db, and its table query; it
// fails t for a driver the suite does not know.
func engine(t testing.TB, db *sql.DB) (name, tables string) {
	t.Helper()
	driver := reflect.TypeOf(db.Driver())
	for driver.Kind() == reflect.Pointer {
		driver = driver.Elem()
	}
	e, ok := engines[driver.PkgPath()]
	if !ok {
		t.Fatalf("database driver %s is not one the suite knows (%v)", driver, mapKeys(engines))
	}
	return e.name, e.tables
}

// AllRows reads every row of every table of store's database; it fails t
// on any error, so that a snapshot never silently leaves a table out.
func AllRows(t testing.TB, store convene.Store) Rows {
	t.Helper()
	db, _ := databases(t, store)
	_, list := engine(t, db)
	ctx := context.Background()
	var tables []string
	if err := queryEach(ctx, db, list, func(values []any) { tables = append(tables, fmt.Sprint(values[0])) }); err != nil {
		t.Fatalf("listing the tables: %v", err)
	}
	if len(tables) == 0 {
		t.Fatalf("listing the tables: none found")
	}
	all := Rows{}
	for _, table := range tables {
		rows := []string{}
		if err := queryEach(ctx, db, `SELECT * FROM `+table, func(values []any) { rows = append(rows, rowText(values)) }); err != nil {
			t.Fatalf("reading table %s: %v", table, err)
		}
		slices.Sort(rows)
		all[table] = rows
	}
	return all
}

// queryEach runs query and calls row with the values of each row.
func queryEach(ctx context.Context, db *sql.DB, query string, row func(values []any)) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	values := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range values {
		ptrs[i] = &values[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row(values)
	}
	return rows.Err()
}

// rowText writes values as one line, bytes in hex.
func rowText(values []any) string {
	parts := make([]string, len(values))
	for i, v := range values {
		if b, ok := v.([]byte); ok {
			parts[i] = fmt.Sprintf("%x", b)
		} else {
			parts[i] = fmt.Sprintf("%v", v)
		}
	}
	return strings.Join(parts, " | ")
}

// Changes describes how after differs from r, a few rows per table;
// "" when they hold the same rows.
func (r Rows) Changes(after Rows) string {
	var b strings.Builder
	for _, table := range sortedKeys(tableNames(r, after)) {
		gone, added := difference(r[table], after[table]), difference(after[table], r[table])
		if len(gone)+len(added) == 0 {
			continue
		}
		fmt.Fprintf(&b, "table %s: %d rows, %d before; added %q, removed %q\n",
			table, len(after[table]), len(r[table]), firstFew(added), firstFew(gone))
	}
	return b.String()
}

// tableNames is the set of the tables of both.
func tableNames(a, b Rows) map[string]bool {
	names := map[string]bool{}
	for _, rows := range []Rows{a, b} {
		for name := range rows {
			names[name] = true
		}
	}
	return names
}

// difference returns the rows of a (sorted) that b (sorted) lacks, each
// row counted as often as it occurs.
func difference(a, b []string) []string {
	var out []string
	i := 0
	for _, row := range a {
		for i < len(b) && b[i] < row {
			i++
		}
		if i < len(b) && b[i] == row {
			i++
			continue
		}
		out = append(out, row)
	}
	return out
}

// firstFew keeps a failure message readable when a whole table changed.
func firstFew(rows []string) []string {
	return rows[:min(len(rows), 3)]
}
