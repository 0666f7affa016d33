package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"convene/internal/sqlstore"
)

// dialect is SQLite's sqlstore.Dialect. Lists travel as one JSON argument
// read by json_each (but InPairs' lists, written as literals); the single
// writer connection serialises writes, so no row locks are needed.
type dialect struct{}

func (dialect) Rebind(query string) string { return query }

func (dialect) IsUniqueViolation(err error) bool {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return false
	}
	return e.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || e.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func (dialect) InIDs(col string) string     { return col + ` IN (SELECT value FROM json_each(?))` }
func (dialect) InStrings(col string) string { return col + ` IN (SELECT value FROM json_each(?))` }
func (dialect) IDTable(alias string) string { return `json_each(?) AS ` + alias }

// InPairs writes both lists into the condition as literals, not as
// json_each subqueries: SQLite makes an UPDATE or a DELETE whose WHERE
// holds a subquery in two passes, first collecting the key of every row
// to change and then searching each one again (a million searches for
// 1,000 x 1,000); with lists of literals it changes each row as it walks
// it, about three times faster (a million pairs: 2.9 s against 1.0 s, a
// range's UPDATE 0.8 s). The ids are integers formatted here, so no text
// from outside enters the statement; the lists are bounded by a batch's
// limits (1,000 each). The user is tested with a unary plus, which keeps
// SQLite from searching the primary key (session_id, user_id) once per
// pair of the product: it walks instead the key's range of each session
// and tests the user in the list.
func (d dialect) InPairs(alias string, sessions, users []int64) (string, []any) {
	cond, _ := d.InSessions(alias, sessions)
	return cond + ` AND +` + alias + `user_id IN ` + intList(users), nil
}

// InSessions is the session's half of InPairs: one list of literals.
func (dialect) InSessions(alias string, sessions []int64) (string, []any) {
	return alias + `session_id IN ` + intList(sessions), nil
}

// intList is ids as an SQL list of literals, "(1,2,3)"; "()" when empty,
// which SQLite takes as a list that holds nothing.
func intList(ids []int64) string {
	b := make([]byte, 0, 2+8*len(ids))
	b = append(b, '(')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ')'))
}

// UserSearch asks the FTS5 trigram table user_texts (migration 009) for
// a text of three characters or more, and otherwise tests instr on the
// three texts folded in user_folds, row by row but with no Go call per row:
// a text that short is in most names, so a page fills fast.
func (dialect) UserSearch(q string) (string, []any) {
	folded := foldText(q)
	if utf8.RuneCountInString(folded) >= 3 {
		return `u.id IN (SELECT rowid FROM user_texts WHERE user_texts MATCH ?)`, []any{ftsPhrase(folded)}
	}
	return `EXISTS (SELECT 1 FROM user_folds f WHERE f.id = u.id AND (instr(f.name, ?) > 0 OR instr(f.email, ?) > 0 OR instr(f.phone, ?) > 0))`,
		[]any{folded, folded, folded}
}

// TitleSearch tests titles folded by foldFunc, kept in session_folds and
// indexed by the FTS5 trigram table session_titles (migration 008), in
// step with sessions by triggers: a walk tests instr on the folded title
// of each row (no Go call per row); the index serves texts of at least
// three characters, the shortest a trigram index knows.
func (dialect) TitleSearch(q string) sqlstore.TitleSearch {
	folded := foldText(q)
	ts := sqlstore.TitleSearch{
		Scan:    `instr((SELECT f.folded FROM session_folds f WHERE f.id = s.id), ?) > 0`,
		ScanArg: folded,
	}
	if utf8.RuneCountInString(folded) >= 3 {
		ts.Matches = `SELECT rowid FROM session_titles WHERE session_titles MATCH ?`
		ts.Index = `s.id IN (` + ts.Matches + `)`
		ts.IndexArg = ftsPhrase(folded)
		ts.CountFrom, ts.CountCond = `session_titles ti`, `ti.rowid = s.id AND ti.session_titles MATCH ?`
	}
	return ts
}

// ftsPhrase quotes s as one FTS5 phrase: for the trigram tokenizer, the
// rows that contain s, with no character of s taken as query syntax.
func ftsPhrase(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// PlanEach leaves args as they are: SQLite's plan of a search does not
// depend on its values (an instr or a MATCH), so one plan serves all.
func (dialect) PlanEach(args []any) []any { return args }

// PlansEach is false: PlanEach prefixes nothing, so a search statement
// may be prepared once like any other.
func (dialect) PlansEach([]any) bool { return false }

func (dialect) SkipLocked() string { return `` }
func (dialect) ForShare() string   { return `` }

func (dialect) IDsArg(ids []int64) any {
	if len(ids) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

func (dialect) StringsArg(vals []string) any {
	if len(vals) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(vals)
	return string(b)
}

func (dialect) LockSessions(context.Context, *sql.Tx, []int64) error { return nil }

func (dialect) MigrationLock(context.Context, *sql.Tx) error { return nil }

// RelaxDurability does nothing: in WAL mode with synchronous=NORMAL a
// commit does not wait for the disk already.
func (dialect) RelaxDurability(context.Context, *sql.Tx) error { return nil }
