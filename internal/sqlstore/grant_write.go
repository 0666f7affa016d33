package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"convene"
)

// writeGrant applies a decided batch with set-based statements over the
// session x user cross product: audit events first (they read the state
// before the change), then the upgrades, the inserts, one live event per
// session changed, and the jobs. The
// sessions are locked, so the statements change exactly the pairs that
// convene.DecideBatch counted; ON CONFLICT DO NOTHING guards the primary
// key anyway.
func (db *DB) writeGrant(ctx context.Context, tx *sql.Tx, b *convene.Batch, sessions, users []int64) error {
	if b.Counts.Added+b.Counts.Upgraded == 0 {
		return nil
	}
	if b.Counts.Upgraded > 0 {
		if err := db.upgradePairs(ctx, tx, b, sessions, users); err != nil {
			return fmt.Errorf("grant: %w", err)
		}
	}
	if b.Counts.Added > 0 {
		// When every pair is new (the usual big batch), skip a million lookups.
		allNew := b.Counts.Added == len(sessions)*len(users)
		if err := db.addPairs(ctx, tx, b, db.d.IDsArg(sessions), db.d.IDsArg(users), allNew); err != nil {
			return fmt.Errorf("grant: %w", err)
		}
	}
	if err := db.batchChanged(ctx, tx, b.TenantID, b.ID, b.ChangedSessions()); err != nil {
		return fmt.Errorf("grant: %w", err)
	}
	return db.enqueueNotifications(ctx, tx, b)
}

// grantAudit is the audit event of each pair of b changed with action.
func grantAudit(b *convene.Batch, action string) convene.AuditEvent {
	return convene.AuditEvent{TenantID: b.TenantID, At: b.CreatedAt, ActorID: b.ActorID, Action: action, After: string(b.Access), BatchID: b.ID}
}

// upgradePairs raises the view members among sessions x users to b's
// access, audited.
func (db *DB) upgradePairs(ctx context.Context, tx *sql.Tx, b *convene.Batch, sessions, users []int64) error {
	pairs, args := db.d.InPairs("m.", sessions, users)
	_, err := db.insertAuditEach(ctx, tx, grantAudit(b, convene.AuditMemberUpgraded), `m.session_id, m.user_id, m.access`,
		`FROM memberships m WHERE `+pairs+` AND m.access = 'view'`, args...)
	if err != nil {
		return err
	}
	pairs, args = db.d.InPairs("", sessions, users)
	_, err = db.execCount(ctx, tx, `UPDATE memberships SET access = ?, updated_at = ?, batch_id = ?
		WHERE `+pairs+` AND access = 'view'`,
		append([]any{string(b.Access), ns(b.CreatedAt), b.ID}, args...)...)
	return err
}

// addPairs makes the pairs of S x U that have no membership members with
// b's access, audited; allNew says that none of them has one.
func (db *DB) addPairs(ctx context.Context, tx *sql.Tx, b *convene.Batch, S, U any, allNew bool) error {
	added := `NOT EXISTS (SELECT 1 FROM memberships m WHERE m.session_id = s.value AND m.user_id = u.value)`
	if allNew {
		added = `1 = 1`
	}
	product := `FROM ` + db.d.IDTable("s") + ` CROSS JOIN ` + db.d.IDTable("u")
	if _, err := db.insertAuditEach(ctx, tx, grantAudit(b, convene.AuditMemberAdded), `s.value, u.value, ''`,
		product+` WHERE `+added, S, U); err != nil {
		return err
	}
	now := ns(b.CreatedAt)
	_, err := db.execCount(ctx, tx, `INSERT INTO memberships (session_id, user_id, access, granted_by, batch_id, created_at, updated_at)
		SELECT s.value, u.value, CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)
		`+product+` WHERE 1 = 1
		ON CONFLICT (session_id, user_id) DO NOTHING`,
		string(b.Access), nullID(b.ActorID), b.ID, now, now, S, U)
	return err
}

// enqueueNotifications queues one message per person who gained access.
// Each job carries its person's outcomes (a letter per session, about a
// kilobyte), so that rendering a message reads that person's pairs only,
// not the whole batch: a batch's messages cost O(pairs) in all.
func (db *DB) enqueueNotifications(ctx context.Context, tx *sql.Tx, b *convene.Batch) error {
	var payloads [][]byte
	for _, r := range b.Results {
		if r.Counts.Added+r.Counts.Upgraded == 0 {
			continue
		}
		payload := `{"batch_id":` + strconv.FormatInt(b.ID, 10) + `,"user_id":` + strconv.FormatInt(r.UserID, 10) +
			`,"outcomes":"` + convene.OutcomeLetters(r.Outcomes) + `"}`
		payloads = append(payloads, []byte(payload))
	}
	return db.insertJobs(ctx, tx, b.TenantID, convene.JobNotifyBatch, b.CreatedAt, payloads...)
}
