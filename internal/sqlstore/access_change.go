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
		where, args := db.inGrid(existing, "")
		return db.writeAccessChange(ctx, tx, b, where, args)
	})
}

// writeAccessChange applies a decided access change: its audit entry,
// which stands for the pairs it changes (audit_entry.go), then one
// set-based statement over the memberships of the batch (the condition
// pairs, with its arguments) that changes exactly those (not the owner,
// not already at the action's access). The sessions are locked, so the
// statement changes what convene.DecideAccessBatch decided.
func (db *DB) writeAccessChange(ctx context.Context, tx *sql.Tx, b *convene.Batch, pairs string, pairsArgs []any) error {
	if b.Counts.Changed == 0 {
		return nil
	}
	to := string(b.Action.Access())
	e := convene.AuditEvent{TenantID: b.TenantID, At: b.CreatedAt, ActorID: b.ActorID, Action: convene.AuditAccessChanged, After: to, BatchID: b.ID}
	where, whereArgs := pairs+` AND access <> 'owner' AND access <> ?`, append(slices.Clone(pairsArgs), to)
	change, args := `UPDATE memberships SET access = ?, updated_at = ?, batch_id = ? WHERE `+where, append([]any{to, ns(b.CreatedAt), b.ID}, whereArgs...)
	if b.Action == convene.ActionRemove {
		e.Action = convene.AuditMemberRemoved
		change, args = `DELETE FROM memberships WHERE `+where, whereArgs
	}
	changedSessions := b.ChangedSessions()
	if err := db.insertBatchEntry(ctx, tx, e, b, changedSessions); err != nil {
		return fmt.Errorf("change access: %w", err)
	}
	n, err := db.execCount(ctx, tx, change, args...)
	if err != nil {
		return fmt.Errorf("change access: %w", err)
	}
	if n != int64(b.Counts.Changed) {
		return fmt.Errorf("change access: %d pairs changed, %d decided (and audited)", n, b.Counts.Changed)
	}
	return db.batchChanged(ctx, tx, b.TenantID, b.ID, changedSessions)
}
