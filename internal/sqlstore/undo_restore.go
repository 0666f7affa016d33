package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"convene"
)

// restoreGroup undoes the removals of an access change in g: each pair of
// g still without a membership, whose session and user still exist, is a
// member again with the access it had (g.To), audited; a pair that has a
// membership again (someone added it since) or whose session is gone is
// kept, and returned (session, user).
func (db *DB) restoreGroup(ctx context.Context, tx *sql.Tx, b *convene.Batch, g *convene.UndoGroup, now time.Time, actorID int64) ([][2]int64, error) {
	S, U := db.d.IDsArg(g.SessionIDs), db.d.IDsArg(g.UserIDs)
	product := `FROM ` + db.d.IDTable("s") + ` CROSS JOIN ` + db.d.IDTable("u")
	const absent = `EXISTS (SELECT 1 FROM sessions x WHERE x.id = s.value) AND EXISTS (SELECT 1 FROM users y WHERE y.id = u.value)
		AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.session_id = s.value AND m.user_id = u.value)`
	kept, err := queryAll(ctx, db, tx, "kept pair", func(row rowScanner) ([2]int64, error) {
		var p [2]int64
		return p, row.Scan(&p[0], &p[1])
	}, `SELECT s.value, u.value `+product+` WHERE NOT (`+absent+`)`, S, U)
	if err != nil {
		return nil, fmt.Errorf("undo: %w", err)
	}
	audited, err := db.insertAuditEach(ctx, tx, convene.AuditEvent{TenantID: b.TenantID, At: now, ActorID: actorID, Action: g.AuditAction(),
		After: string(g.To), BatchID: b.ID}, `s.value, u.value, ''`, product+` WHERE `+absent, S, U)
	if err != nil {
		return nil, fmt.Errorf("undo: %w", err)
	}
	changed, err := db.execCount(ctx, tx, `INSERT INTO memberships (session_id, user_id, access, granted_by, batch_id, created_at, updated_at)
		SELECT s.value, u.value, CAST(? AS TEXT), CAST(? AS BIGINT), NULL, CAST(? AS BIGINT), CAST(? AS BIGINT) `+product+` WHERE `+absent,
		string(g.To), nullID(actorID), ns(now), ns(now), S, U)
	if err != nil {
		return nil, fmt.Errorf("undo: %w", err)
	}
	return kept, checkUndone(changed, audited, len(kept), int64(len(g.SessionIDs)*len(g.UserIDs)))
}
