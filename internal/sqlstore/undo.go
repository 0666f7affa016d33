package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"convene"
)

// UndoBatch reverts, in one write transaction, what a multi-invite changed
// and what still carries it: memberships it added (batch_id = the batch,
// access as it granted) are removed, memberships it upgraded (batch_id = the
// batch, still collaborate) go back to view. Everything else is kept. The
// batch's actor, Session and Tenant Admins (ENOTFOUND for anyone else), who
// must manage every session of the batch that still exists (EFORBIDDEN).
// ECONFLICT when the batch was already undone, or when its memberships
// changed while the undo ran (nothing is undone then; try again).
func (db *DB) UndoBatch(ctx context.Context, batchID int64) (*convene.Undo, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	var u *convene.Undo
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		b, err := db.batchToUndo(ctx, tx, actor, batchID)
		if err != nil {
			return err
		}
		u, err = db.applyUndo(ctx, tx, actor, b)
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

func errAlreadyUndone() error {
	return convene.Errorf(convene.ECONFLICT, "this batch was already undone")
}

// batchToUndo reads the batch in tx, locks its sessions (so that no grant
// runs on them meanwhile) and checks that actor may undo it.
func (db *DB) batchToUndo(ctx context.Context, tx *sql.Tx, actor convene.Actor, id int64) (*convene.Batch, error) {
	b, err := scanBatch(tx.QueryRowContext(ctx, db.q(batchSelect+`WHERE tenant_id = ? AND id = ?`), actor.TenantID, id))
	if err != nil {
		return nil, notFound(err, "batch %d not found", id)
	}
	if !convene.CanSeeBatch(actor, b) {
		return nil, convene.Errorf(convene.ENOTFOUND, "batch %d not found", id)
	}
	if !b.UndoneAt.IsZero() {
		return nil, errAlreadyUndone()
	}
	sorted := slices.Sorted(slices.Values(b.SessionIDs))
	if err := db.d.LockSessions(ctx, tx, sorted); err != nil {
		return nil, fmt.Errorf("lock sessions: %w", err)
	}
	return b, db.checkUndoSessions(ctx, tx, actor, sorted)
}

// checkUndoSessions answers EFORBIDDEN unless actor may manage the members
// of every session of ids that still exists; deleted ones are skipped
// (convene.AuthorizeExistingMembers).
func (db *DB) checkUndoSessions(ctx context.Context, tx *sql.Tx, actor convene.Actor, ids []int64) error {
	found, err := db.sessionsToManage(ctx, tx, actor, ids)
	if err != nil {
		return err
	}
	return convene.AuthorizeExistingMembers(actor, ids, found)
}

// applyUndo marks b undone, reverts its groups of pairs, and tells the
// sessions (a member.changed naming b).
func (db *DB) applyUndo(ctx context.Context, tx *sql.Tx, actor convene.Actor, b *convene.Batch) (*convene.Undo, error) {
	now := db.clock()
	res, err := tx.ExecContext(ctx, db.q(`UPDATE batches SET undone_at = ?, undone_by = ? WHERE tenant_id = ? AND id = ? AND undone_at = 0`),
		ns(now), nullID(actor.UserID()), b.TenantID, b.ID)
	if err != nil {
		return nil, fmt.Errorf("mark batch undone: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return nil, fmt.Errorf("mark batch undone: %w", err)
	} else if n == 0 {
		return nil, errAlreadyUndone()
	}
	plan := convene.PlanUndo(b, now, actor.UserID())
	for _, g := range plan.Groups {
		revert := db.revertGroup
		if g.From == "" { // an access change's removal: the membership comes back
			revert = db.restoreGroup
		}
		kept, err := revert(ctx, tx, b, g, now, actor.UserID())
		if err != nil {
			return nil, err
		}
		for _, p := range kept {
			plan.Keep(p[0], p[1])
		}
	}
	if err := db.batchChanged(ctx, tx, b.TenantID, b.ID, plan.SessionIDs()); err != nil {
		return nil, fmt.Errorf("undo: %w", err)
	}
	return plan.Undo(), nil
}

// revertGroup writes the audit events of the pairs of g still as b left
// them, then removes or downgrades exactly those, and returns the pairs of g
// it kept (session, user). The counts of the statements must agree: if a
// concurrent change slipped between them, the whole undo fails and is
// rolled back.
func (db *DB) revertGroup(ctx context.Context, tx *sql.Tx, b *convene.Batch, g *convene.UndoGroup, now time.Time, actorID int64) ([][2]int64, error) {
	// asLeft is the condition of the pairs of g as b left them, and its
	// arguments.
	asLeft := func(alias string) (string, []any) {
		pairs, args := db.d.InPairs(alias, g.SessionIDs, g.UserIDs)
		return pairs + ` AND ` + alias + `batch_id = ? AND ` + alias + `access = ?`, append(args, b.ID, string(g.From))
	}
	auditWhere, auditArgs := asLeft("m.")
	audited, err := db.insertAuditEach(ctx, tx, convene.AuditEvent{TenantID: b.TenantID, At: now, ActorID: actorID, Action: g.AuditAction(),
		After: string(g.To), BatchID: b.ID}, `m.session_id, m.user_id, m.access`, `FROM memberships m WHERE `+auditWhere, auditArgs...)
	if err != nil {
		return nil, fmt.Errorf("undo: %w", err)
	}
	total := int64(len(g.SessionIDs) * len(g.UserIDs))
	var kept [][2]int64
	if audited < total {
		if kept, err = db.keptPairs(ctx, tx, db.d.IDsArg(g.SessionIDs), db.d.IDsArg(g.UserIDs), b.ID, g.From); err != nil {
			return nil, err
		}
	}
	where, args := asLeft("")
	change := `DELETE FROM memberships WHERE ` + where
	if g.To != "" {
		change = `UPDATE memberships SET access = ?, batch_id = NULL, updated_at = ? WHERE ` + where
		args = append([]any{string(g.To), ns(now)}, args...)
	}
	changed, err := db.execCount(ctx, tx, change, args...)
	if err != nil {
		return nil, fmt.Errorf("undo: %w", err)
	}
	return kept, checkUndone(changed, audited, len(kept), total)
}

// checkUndone is the guard of every reverted group: as many pairs changed
// as audited, and with the kept ones, every pair of the group. Otherwise a
// concurrent change slipped between the statements, and the whole undo is
// rolled back.
func checkUndone(changed, audited int64, kept int, total int64) error {
	if changed != audited || audited+int64(kept) != total {
		return convene.Errorf(convene.ECONFLICT, "the sessions changed while the batch was being undone; nothing was undone, please try again")
	}
	return nil
}

// keptPairs lists the session x user pairs of S x U no longer as batch left
// them (access from): the undo keeps these.
func (db *DB) keptPairs(ctx context.Context, tx *sql.Tx, S, U any, batchID int64, from convene.Access) ([][2]int64, error) {
	kept, err := queryAll(ctx, db, tx, "kept pair", func(row rowScanner) ([2]int64, error) {
		var p [2]int64
		err := row.Scan(&p[0], &p[1])
		return p, err
	}, `SELECT s.value, u.value FROM `+db.d.IDTable("s")+` CROSS JOIN `+db.d.IDTable("u")+`
		WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.session_id = s.value AND m.user_id = u.value AND m.batch_id = ? AND m.access = ?)`,
		S, U, batchID, string(from))
	if err != nil {
		return nil, fmt.Errorf("undo: %w", err)
	}
	return kept, nil
}
