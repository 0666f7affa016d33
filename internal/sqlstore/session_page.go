package sqlstore

import (
	"context"
	"fmt"

	"convene"
)

// FindSessionsPage returns a page of FindSessions and the total of
// CountSessions. Without a search both come from one statement, the count
// a column of every row (an uncorrelated subquery, run once): the session
// list's first page is one round trip to the database, not two (issue 8).
// A search keeps its own paths (search bounds) for both; a first page
// without a next one is every match, and needs no count.
//
// Pages are cached until a write could have changed them (page_cache.go):
// the caller gets a copy of its own, which it may change.
func (db *DB) FindSessionsPage(ctx context.Context, f convene.SessionFilter) (*convene.SessionPage, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	key := pageKeyOf(actor, f)
	cached, version := db.pages.lookup(key) // the version BEFORE the read
	if cached != nil {
		return cached, nil
	}
	p, err := db.readSessionsPage(ctx, actor, f)
	if err != nil {
		return nil, err
	}
	db.pages.store(key, version, p)
	return p, nil
}

// readSessionsPage is FindSessionsPage from the database.
func (db *DB) readSessionsPage(ctx context.Context, actor convene.Actor, f convene.SessionFilter) (*convene.SessionPage, error) {
	if f.Query == "" {
		return db.sessionsWithTotal(ctx, actor, f)
	}
	sessions, next, err := db.FindSessions(ctx, f)
	if err != nil {
		return nil, err
	}
	return db.withTotal(ctx, f, &convene.SessionPage{Sessions: sessions, NextCursor: next})
}

// withTotal fills in p's total: counted unless p is a first page with no
// next one.
func (db *DB) withTotal(ctx context.Context, f convene.SessionFilter, p *convene.SessionPage) (*convene.SessionPage, error) {
	p.Total = len(p.Sessions)
	if f.Cursor == "" && p.NextCursor == "" {
		return p, nil
	}
	var err error
	p.Total, p.TotalCapped, err = db.CountSessions(ctx, f)
	if err != nil {
		return nil, err
	}
	return p, nil
}

// sessionsWithTotal reads the page of f (no search) with the total of
// the sessions the actor may see as its first column. A page past the end
// has no row to carry it: it is counted apart.
func (db *DB) sessionsWithTotal(ctx context.Context, actor convene.Actor, f convene.SessionFilter) (*convene.SessionPage, error) {
	limit := clampLimit(f.Limit, 25, 100)
	after, err := sessionsAfter(f.Cursor)
	if err != nil {
		return nil, err
	}
	counted, args := countedSessions(actor)
	total := fmt.Sprintf(`SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM %s LIMIT %d) x), `, counted, db.search.totalCap+1)
	from, pageArgs := visibleSessions(actor, total+sessionColumns+sessionFrom)
	query := from + after.cond + fmt.Sprintf(` ORDER BY s.created_at DESC, s.id DESC LIMIT %d`, limit+1)
	var n int
	scan := func(row rowScanner) (*convene.Session, error) { return scanSession(prefixScanner{row, []any{&n}}) }
	sessions, err := queryAll(ctx, db, db.read, "session", scan, query, append(append(args, pageArgs...), after.args...)...)
	if err != nil {
		return nil, err
	}
	p := &convene.SessionPage{}
	p.Sessions, p.NextCursor = sessionsPageOf(sessions, limit)
	if len(sessions) == 0 {
		return db.withTotal(ctx, f, p)
	}
	p.Total, p.TotalCapped = min(n, db.search.totalCap), n > db.search.totalCap
	return p, nil
}
