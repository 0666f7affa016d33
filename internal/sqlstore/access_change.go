package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"convene"
)

// ChangeAccess sets or removes, in one transaction, the access of every
// registered contact of req in every session of req (contract section
// 15): members only, never the owner, lowering too; a batch, undoable.
// The refusals are Grant's.
func (db *DB) ChangeAccess(ctx context.Context, req convene.AccessChangeRequest) (*convene.Batch, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := convene.Authorize(actor, convene.PermMultiInvite, nil, ""); err != nil {
		return nil, err
	}
	b := &convene.Batch{TenantID: actor.TenantID, ActorID: actor.UserID(), Action: req.Action, SessionIDs: dedupe(req.SessionIDs),
		IdempotencyKey: req.IdempotencyKey, Fingerprint: req.Fingerprint(), CreatedAt: db.clock()}
	return db.runBatch(ctx, actor, b, req.SessionQuery, req.Contacts, func(tx *sql.Tx, _ *convene.Tenant, res []convene.Resolution) error {
		sorted, replayed, err := db.openBatch(ctx, tx, actor, b, req.SessionQuery)
		if err != nil || replayed {
			return err
		}
		users := registeredIDs(res)
		existing, err := db.existingAccess(ctx, tx, sorted, users)
		if err != nil {
			return err
		}
		b.Results, b.Counts = convene.DecideAccessBatch(b.SessionIDs, b.Action, res, existing.at)
		if err := db.insertBatch(ctx, tx, b); err != nil {
			return err
		}
		return db.writeAccessChange(ctx, tx, b, sorted, slices.Sorted(slices.Values(users)))
	})
}

// writeAccessChange applies a decided access change with set-based
// statements over the session x user product: the audit events of the
// pairs it changes (members, not the owner, not already at the action's
// access) first, then the change of exactly those. The sessions are
// locked, so both count what convene.DecideAccessBatch counted.
func (db *DB) writeAccessChange(ctx context.Context, tx *sql.Tx, b *convene.Batch, sessions, users []int64) error {
	if b.Counts.Changed == 0 {
		return nil
	}
	S, U, to := db.d.IDsArg(sessions), db.d.IDsArg(users), string(b.Action.Access())
	changed := func(alias string) string {
		return db.d.InIDs(alias+"session_id") + ` AND ` + db.d.InIDs(alias+"user_id") + ` AND ` + alias + `access <> 'owner' AND ` + alias + `access <> ?`
	}
	e := convene.AuditEvent{TenantID: b.TenantID, At: b.CreatedAt, ActorID: b.ActorID, Action: convene.AuditAccessChanged, After: to, BatchID: b.ID}
	change, args := `UPDATE memberships SET access = ?, updated_at = ?, batch_id = ? WHERE `+changed(""), []any{to, ns(b.CreatedAt), b.ID, S, U, to}
	if b.Action == convene.ActionRemove {
		e.Action = convene.AuditMemberRemoved
		change, args = `DELETE FROM memberships WHERE `+changed(""), []any{S, U, to}
	}
	audited, err := db.insertAuditEach(ctx, tx, e, `m.session_id, m.user_id, m.access`, `FROM memberships m WHERE `+changed("m."), S, U, to)
	if err != nil {
		return fmt.Errorf("change access: %w", err)
	}
	n, err := db.execCount(ctx, tx, change, args...)
	if err != nil {
		return fmt.Errorf("change access: %w", err)
	}
	if n != audited || n != int64(b.Counts.Changed) {
		return fmt.Errorf("change access: %d pairs changed, %d audited, %d decided", n, audited, b.Counts.Changed)
	}
	return db.batchChanged(ctx, tx, b.TenantID, b.ID, b.ChangedSessions())
}
