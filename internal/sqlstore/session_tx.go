package sqlstore

import (
	"context"
	"fmt"

	"convene"
)

// inSessionTx runs change in a write transaction (with events) on a
// session in which the actor may do perm: ENOTFOUND when they may not read
// it, EFORBIDDEN when they may read but not do perm. The session is locked
// before the actor's access is read, as every change of its members locks
// it: a write and an access switch of one session run one after the
// other, and the one that commits first wins (a switch to view that lands
// a moment before a write makes the write EFORBIDDEN).
func (db *DB) inSessionTx(ctx context.Context, sessionID int64, perm convene.Permission, change func(*eventTx, convene.Actor, *convene.Session) error) error {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	return db.inEventTx(ctx, func(tx *eventTx) error {
		if err := db.d.LockSessions(ctx, tx.Tx, []int64{sessionID}); err != nil {
			return fmt.Errorf("lock session: %w", err)
		}
		s, err := db.sessionFor(ctx, tx, actor, sessionID, perm)
		if err != nil {
			return err
		}
		return change(tx, actor, s)
	})
}

// contentReader checks, outside any transaction, that the actor may read a
// session's content: ENOTFOUND otherwise.
func (db *DB) contentReader(ctx context.Context, sessionID int64) (convene.Actor, *convene.Session, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return actor, nil, err
	}
	s, err := db.sessionFor(ctx, db.read, actor, sessionID, convene.PermReadContent)
	return actor, s, err
}
