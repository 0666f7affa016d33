package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"convene"
)

// matchingSessions resolves a session query in tx: the ids of the
// sessions of the actor's tenant whose title matches q.Q (all of them
// when it is empty) and whose members the actor may manage, newest first,
// as tx sees them. More than convene.MaxGrantSessions: ETOOLARGE, read no
// further than one past the bound.
func (db *DB) matchingSessions(ctx context.Context, tx *sql.Tx, actor convene.Actor, q *convene.SessionQuery) ([]int64, error) {
	from := `sessions s LEFT JOIN memberships me ON me.session_id = s.id AND me.user_id = ? WHERE s.tenant_id = ?`
	args := []any{actor.UserID(), actor.TenantID}
	if q.Q != "" {
		ts := db.d.TitleSearch(q.Q)
		cond, arg := ts.Scan, ts.ScanArg
		if ts.CountFrom != "" { // the title index drives, and stops at the bound
			from, cond, arg = ts.CountFrom+` CROSS JOIN `+from, ts.CountCond, ts.IndexArg
		}
		from, args = from+` AND `+cond, db.d.PlanEach(append(args, arg))
	}
	found, err := queryAll(ctx, db, tx, "session", scanSessionAccess, `SELECT s.id, s.tenant_id, s.owner_id, COALESCE(me.access, '') FROM `+from+
		fmt.Sprintf(` LIMIT %d`, convene.MaxGrantSessions+1), args...)
	if err != nil {
		return nil, fmt.Errorf("resolve session query: %w", err)
	}
	if len(found) > convene.MaxGrantSessions {
		return nil, convene.TooManyMatching()
	}
	if len(found) == 0 {
		return nil, convene.FieldErrorf("session_query", "no session matches the search; nothing was applied")
	}
	ids := make([]int64, 0, len(found))
	for _, s := range found {
		if convene.Allowed(actor, convene.PermManageMembers, s, s.MyAccess) {
			ids = append(ids, s.ID)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// lockChosenSessions locks the sessions of a call that takes session_ids
// or session_query, in tx, and returns their ids. Ids are checked
// (ENOTFOUND, EFORBIDDEN) after the lock; a query is resolved first, then
// its sessions locked, and those deleted between the two are left out, so
// that the call applies to the sessions as the database has them once
// they are locked.
func (db *DB) lockChosenSessions(ctx context.Context, tx *sql.Tx, actor convene.Actor, ids []int64, q *convene.SessionQuery) ([]int64, error) {
	if q != nil {
		var err error
		if ids, err = db.matchingSessions(ctx, tx, actor, q); err != nil {
			return nil, err
		}
	}
	sorted := slices.Sorted(slices.Values(ids))
	if err := db.d.LockSessions(ctx, tx, sorted); err != nil {
		return nil, fmt.Errorf("lock sessions: %w", err)
	}
	if q == nil {
		return ids, db.checkSessions(ctx, tx, actor, ids)
	}
	found, err := db.sessionsToManage(ctx, tx, actor, sorted)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(sorted, func(id int64) bool { return found[id] == nil }), nil
}
