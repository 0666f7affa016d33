package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"convene"
)

// page is a condition on the sessions (alias s) with its arguments: where
// a page starts, or where a walk ends.
type page struct {
	cond string
	args []any
}

// memberJoin joins the membership (alias me) of the user in the next
// argument to the sessions (alias s).
const memberJoin = ` JOIN memberships me ON me.session_id = s.id AND me.user_id = ?`

// visibleSessions returns the FROM and WHERE of the sessions of the
// actor's tenant the actor may see (alias s, the actor's membership me),
// with their arguments, for the columns in sel.
func visibleSessions(actor convene.Actor, sel string) (string, []any) {
	join := memberJoin
	if seesAllSessions(actor) {
		join = ` LEFT` + join
	}
	return sel + join + ` WHERE s.tenant_id = ?`, []any{actor.UserID(), actor.TenantID}
}

func seesAllSessions(actor convene.Actor) bool {
	return convene.Allowed(actor, convene.PermSeeAllSession, nil, "")
}

// searchSessions returns the first n sessions after `after` the actor may
// see whose title contains q (any title when q is empty), newest first.
//
// Where the dialect has a title index of its own (SQLite), a search first
// asks it how many titles match, up to a bound (search bounds): few
// matches are sorted from the index, whoever asks. A common word is
// walked: through the newest sessions (search bounds), testing each title,
// where it fills its page, and only when it does not, from the index; a
// member's search walks their memberships alone, which the Scan condition
// serves.
func (db *DB) searchSessions(ctx context.Context, actor convene.Actor, q string, after page, n int) ([]*convene.Session, error) {
	from, args := visibleSessions(actor, sessionSelect)
	from, args = from+after.cond, append(args, after.args...)
	order := fmt.Sprintf(` ORDER BY s.created_at DESC, s.id DESC LIMIT %d`, n)
	if q == "" {
		return db.querySessions(ctx, from+order, args...)
	}
	ts := db.d.TitleSearch(q)
	scan := func(walk page) ([]*convene.Session, error) {
		all := append(append(append([]any{}, args...), ts.ScanArg), walk.args...)
		return db.querySessions(ctx, from+` AND `+ts.Scan+walk.cond+order, db.d.PlanEach(all)...)
	}
	index := func() ([]*convene.Session, error) {
		all := append(append([]any{}, args...), ts.IndexArg)
		return db.querySessions(ctx, from+` AND `+ts.Index+order, db.d.PlanEach(all)...)
	}
	if ts.Index == "" {
		return scan(page{})
	}
	if few, err := db.fewMatches(ctx, ts); err != nil || few {
		return whenFew(err, index)
	}
	if !seesAllSessions(actor) {
		return scan(page{})
	}
	walk, err := db.walkEnd(ctx, actor, after)
	if err != nil || walk == nil {
		return noWalkEnd(err, scan)
	}
	found, err := scan(*walk)
	if err != nil || len(found) == n {
		return found, err
	}
	return index()
}

// fewMatches reports whether the title index matches fewer titles than
// the search bounds call few, in all tenants: the count stops at the bound.
func (db *DB) fewMatches(ctx context.Context, ts TitleSearch) (bool, error) {
	var matches int
	query := `SELECT COUNT(*) FROM (` + ts.Matches + fmt.Sprintf(` LIMIT %d) x`, db.search.few)
	if err := db.queryRow(ctx, db.read, query, db.d.PlanEach([]any{ts.IndexArg})...).Scan(&matches); err != nil {
		return false, fmt.Errorf("search sessions: %w", err)
	}
	return matches < db.search.few, nil
}

// whenFew finishes a search whose matches are few: from the index.
func whenFew(err error, index func() ([]*convene.Session, error)) ([]*convene.Session, error) {
	if err != nil {
		return nil, err
	}
	return index()
}

// noWalkEnd finishes a search whose walk has no end: fewer
// sessions than a walk follow the cursor, so the walk tests them all.
func noWalkEnd(err error, scan func(page) ([]*convene.Session, error)) ([]*convene.Session, error) {
	if err != nil {
		return nil, err
	}
	return scan(page{})
}

// walkEnd returns the condition "at or before the walk-th session
// after `after`" of the tenant, newest first; nil when there are fewer.
func (db *DB) walkEnd(ctx context.Context, actor convene.Actor, after page) (*page, error) {
	var at, id int64
	err := db.queryRow(ctx, db.read, `SELECT s.created_at, s.id FROM sessions s WHERE s.tenant_id = ?`+after.cond+
		fmt.Sprintf(` ORDER BY s.created_at DESC, s.id DESC LIMIT 1 OFFSET %d`, db.search.walk-1),
		append([]any{actor.TenantID}, after.args...)...).Scan(&at, &id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("search sessions: %w", err)
	}
	return &page{cond: ` AND (s.created_at > ? OR (s.created_at = ? AND s.id >= ?))`, args: []any{at, at, id}}, nil
}

// CountSessions counts the sessions matching f.Query that the actor may
// see, up to the cap of its search bounds: capped reports that more match than total says.
func (db *DB) CountSessions(ctx context.Context, f convene.SessionFilter) (total int, capped bool, err error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return 0, false, err
	}
	from, args := countedSessions(actor)
	if f.Query != "" {
		ts := db.d.TitleSearch(f.Query)
		cond, arg := ts.Scan, ts.ScanArg
		if ts.CountFrom != "" {
			from, cond, arg = ts.CountFrom+` CROSS JOIN `+from, ts.CountCond, ts.IndexArg
		}
		from, args = from+` AND `+cond, db.d.PlanEach(append(args, arg))
	}
	query := `SELECT COUNT(*) FROM (SELECT 1 FROM ` + from + fmt.Sprintf(` LIMIT %d) x`, db.search.totalCap+1)
	if err := db.queryRow(ctx, db.read, query, args...).Scan(&total); err != nil {
		return 0, false, fmt.Errorf("count sessions: %w", err)
	}
	if total > db.search.totalCap {
		return db.search.totalCap, true, nil
	}
	return total, false, nil
}

// countedSessions is the FROM (without the word) and WHERE of the
// sessions visibleSessions selects, for a count: one who sees all the
// tenant's sessions needs no membership joined (it would neither add nor
// remove a row), so that their count reads the tenant's index alone.
func countedSessions(actor convene.Actor) (string, []any) {
	if seesAllSessions(actor) {
		return `sessions s WHERE s.tenant_id = ?`, []any{actor.TenantID}
	}
	return `sessions s` + memberJoin + ` WHERE s.tenant_id = ?`, []any{actor.UserID(), actor.TenantID}
}
