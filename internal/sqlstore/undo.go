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
	if b.ActorID != actor.UserID() && !convene.Allowed(actor, convene.PermMultiInvite, nil, "") {
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
// of every session of ids that still exists; deleted ones are skipped.
func (db *DB) checkUndoSessions(ctx context.Context, tx *sql.Tx, actor convene.Actor, ids []int64) error {
	rows, err := tx.QueryContext(ctx, db.q(`
		SELECT s.id, s.tenant_id, s.owner_id, COALESCE(me.access, '') FROM sessions s
		LEFT JOIN memberships me ON me.session_id = s.id AND me.user_id = ?
		WHERE s.tenant_id = ? AND `+db.d.InIDs("s.id")+` ORDER BY s.id`), actor.UserID(), actor.TenantID, db.d.IDsArg(ids))
	if err != nil {
		return fmt.Errorf("check sessions: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s convene.Session
		if err := rows.Scan(&s.ID, &s.TenantID, &s.OwnerID, &s.MyAccess); err != nil {
			return fmt.Errorf("check sessions: %w", err)
		}
		if !convene.Allowed(actor, convene.PermManageMembers, &s, s.MyAccess) {
			return convene.Errorf(convene.EFORBIDDEN, "you may not manage the members of session %d", s.ID)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("check sessions: %w", err)
	}
	return nil
}

// applyUndo marks b undone and reverts its groups of pairs.
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
	u := newUndoResult(b, now, actor.UserID())
	for _, g := range undoGroups(b) {
		kept, err := db.revertGroup(ctx, tx, b, g, ns(now), actor.UserID())
		if err != nil {
			return nil, err
		}
		u.keep(kept)
	}
	return u.done(), nil
}

// undoResult builds an Undo: every pair b changed is reverted unless kept.
type undoResult struct {
	u        *convene.Undo
	row, col map[int64]int // user id -> result, session id -> outcome index
}

func newUndoResult(b *convene.Batch, now time.Time, by int64) *undoResult {
	r := &undoResult{u: &convene.Undo{BatchID: b.ID, UndoneAt: now, UndoneBy: by, SessionIDs: b.SessionIDs},
		row: map[int64]int{}, col: make(map[int64]int, len(b.SessionIDs))}
	for j, id := range b.SessionIDs {
		r.col[id] = j
	}
	for _, br := range b.Results {
		if br.Status != convene.StatusRegistered {
			continue
		}
		res := convene.UndoResult{Input: br.Input, UserID: br.UserID, Outcomes: make([]convene.UndoOutcome, len(br.Outcomes))}
		for j, o := range br.Outcomes {
			switch o {
			case convene.OutcomeAdded:
				res.Outcomes[j] = convene.UndoRemoved
			case convene.OutcomeUpgraded:
				res.Outcomes[j] = convene.UndoDowngraded
			}
		}
		r.row[br.UserID] = len(r.u.Results)
		r.u.Results = append(r.u.Results, res)
	}
	return r
}

func (r *undoResult) keep(pairs [][2]int64) {
	for _, p := range pairs {
		r.u.Results[r.row[p[1]]].Outcomes[r.col[p[0]]] = convene.UndoKept
	}
}

// done sums the counts.
func (r *undoResult) done() *convene.Undo {
	for i := range r.u.Results {
		res := &r.u.Results[i]
		for _, o := range res.Outcomes {
			res.Counts.Add(o)
		}
		r.u.Counts.Removed += res.Counts.Removed
		r.u.Counts.Downgraded += res.Counts.Downgraded
		r.u.Counts.Kept += res.Counts.Kept
	}
	return r.u
}

// undoGroup is a set of pairs reverted by the same statements: users whose
// pairs of one kind (added, or upgraded) lie in the same sessions.
type undoGroup struct {
	outcome  convene.UndoOutcome // removed or downgraded
	sessions []int64
	users    []int64
}

// undoGroups groups the pairs b changed. A typical batch makes one or two
// groups; there are never more than two per person, whatever the number of
// sessions, so the statements stay set-based.
func undoGroups(b *convene.Batch) []*undoGroup {
	kinds := []struct {
		from convene.Outcome
		to   convene.UndoOutcome
	}{{convene.OutcomeAdded, convene.UndoRemoved}, {convene.OutcomeUpgraded, convene.UndoDowngraded}}
	byKey := map[string]*undoGroup{}
	var groups []*undoGroup
	key := make([]byte, len(b.SessionIDs))
	for _, r := range b.Results {
		for _, k := range kinds {
			if !slices.Contains(r.Outcomes, k.from) {
				continue
			}
			for j, o := range r.Outcomes {
				key[j] = '0'
				if o == k.from {
					key[j] = '1'
				}
			}
			g := byKey[string(k.to)+string(key)]
			if g == nil {
				g = &undoGroup{outcome: k.to}
				for j, o := range r.Outcomes {
					if o == k.from {
						g.sessions = append(g.sessions, b.SessionIDs[j])
					}
				}
				byKey[string(k.to)+string(key)] = g
				groups = append(groups, g)
			}
			g.users = append(g.users, r.UserID)
		}
	}
	return groups
}

// revertGroup writes the audit events of the pairs of g still as b left
// them, then removes or downgrades exactly those, and returns the pairs of g
// it kept. The counts of the statements must agree: if a concurrent change
// slipped between them, the whole undo fails and is rolled back.
func (db *DB) revertGroup(ctx context.Context, tx *sql.Tx, b *convene.Batch, g *undoGroup, now, actorID int64) ([][2]int64, error) {
	from, to, action := b.Access, convene.Access(""), convene.AuditMemberRemoved
	if g.outcome == convene.UndoDowngraded {
		from, to, action = convene.AccessCollaborate, convene.AccessView, convene.AuditAccessChanged
	}
	S, U := db.d.IDsArg(g.sessions), db.d.IDsArg(g.users)
	asLeft := func(alias string) string {
		return db.d.InIDs(alias+"session_id") + ` AND ` + db.d.InIDs(alias+"user_id") + ` AND ` + alias + `batch_id = ? AND ` + alias + `access = ?`
	}
	audited, err := db.execCount(ctx, tx, `INSERT INTO audit_events (tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id)
		SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), m.session_id, m.user_id, m.access, CAST(? AS TEXT), CAST(? AS BIGINT)
		FROM memberships m WHERE `+asLeft("m."), b.TenantID, now, nullID(actorID), action, string(to), b.ID, S, U, b.ID, string(from))
	if err != nil {
		return nil, err
	}
	total := int64(len(g.sessions) * len(g.users))
	var kept [][2]int64
	if audited < total {
		if kept, err = db.keptPairs(ctx, tx, S, U, b.ID, from); err != nil {
			return nil, err
		}
	}
	change, args := `DELETE FROM memberships WHERE `+asLeft(""), []any{S, U, b.ID, string(from)}
	if g.outcome == convene.UndoDowngraded {
		change = `UPDATE memberships SET access = ?, batch_id = NULL, updated_at = ? WHERE ` + asLeft("")
		args = append([]any{string(to), now}, args...)
	}
	changed, err := db.execCount(ctx, tx, change, args...)
	if err != nil {
		return nil, err
	}
	if changed != audited || audited+int64(len(kept)) != total {
		return nil, convene.Errorf(convene.ECONFLICT, "the sessions changed while the batch was being undone; nothing was undone, please try again")
	}
	return kept, nil
}

// keptPairs lists the session x user pairs of S x U no longer as batch left
// them (access from): the undo keeps these.
func (db *DB) keptPairs(ctx context.Context, tx *sql.Tx, S, U any, batchID int64, from convene.Access) ([][2]int64, error) {
	rows, err := tx.QueryContext(ctx, db.q(`SELECT s.value, u.value FROM `+db.d.IDTable("s")+` CROSS JOIN `+db.d.IDTable("u")+`
		WHERE NOT EXISTS (SELECT 1 FROM memberships m WHERE m.session_id = s.value AND m.user_id = u.value AND m.batch_id = ? AND m.access = ?)`),
		S, U, batchID, string(from))
	if err != nil {
		return nil, fmt.Errorf("undo: read kept pairs: %w", err)
	}
	defer rows.Close()
	var kept [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, fmt.Errorf("undo: read kept pairs: %w", err)
		}
		kept = append(kept, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("undo: read kept pairs: %w", err)
	}
	return kept, nil
}

// execCount runs one statement in tx and returns the rows it affected.
func (db *DB) execCount(ctx context.Context, tx *sql.Tx, query string, args ...any) (int64, error) {
	res, err := tx.ExecContext(ctx, db.q(query), args...)
	if err != nil {
		return 0, fmt.Errorf("undo: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("undo: %w", err)
	}
	return n, nil
}
