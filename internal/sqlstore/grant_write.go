package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"convene"
)

// accessGrid holds the current access of every user x session pair of a
// grant: row per user, column per session.
type accessGrid struct {
	col   map[int64]int
	row   map[int64]int
	cells []convene.Access
}

func (g *accessGrid) at(userID, sessionID int64) convene.Access {
	return g.cells[g.row[userID]*len(g.col)+g.col[sessionID]]
}

// existingAccess reads the memberships of users in sessions, in one query.
func (db *DB) existingAccess(ctx context.Context, tx *sql.Tx, sessions, users []int64) (*accessGrid, error) {
	g := &accessGrid{col: make(map[int64]int, len(sessions)), row: make(map[int64]int, len(users)), cells: make([]convene.Access, len(sessions)*len(users))}
	for i, id := range sessions {
		g.col[id] = i
	}
	for i, id := range users {
		g.row[id] = i
	}
	if len(users) == 0 {
		return g, nil
	}
	rows, err := tx.QueryContext(ctx, db.q(`SELECT session_id, user_id, access FROM memberships WHERE `+
		db.d.InIDs("session_id")+` AND `+db.d.InIDs("user_id")), db.d.IDsArg(sessions), db.d.IDsArg(users))
	if err != nil {
		return nil, fmt.Errorf("read memberships: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s, u int64
		var a string
		if err := rows.Scan(&s, &u, &a); err != nil {
			return nil, fmt.Errorf("read memberships: %w", err)
		}
		g.cells[g.row[u]*len(sessions)+g.col[s]] = convene.Access(a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read memberships: %w", err)
	}
	return g, nil
}

// decide computes every result of b with convene.DecideGrant and sums the
// counts into b.Counts.
func decide(b *convene.Batch, res []convene.Resolution, g *accessGrid) []convene.BatchResult {
	out := make([]convene.BatchResult, len(res))
	b.Counts = convene.Counts{}
	for i, r := range res {
		br := convene.BatchResult{Input: r.Input, Status: r.Status, Reason: r.Reason}
		if r.User != nil {
			br.UserID = r.User.ID
		}
		if r.Status != convene.StatusRegistered {
			br.Counts.Skipped = 1
		} else {
			br.Outcomes = make([]convene.Outcome, len(b.SessionIDs))
			for j, sid := range b.SessionIDs {
				o, _ := convene.DecideGrant(g.at(br.UserID, sid), b.Access)
				br.Outcomes[j] = o
				br.Counts.Add(o)
			}
		}
		b.Counts.Added += br.Counts.Added
		b.Counts.Upgraded += br.Counts.Upgraded
		b.Counts.Unchanged += br.Counts.Unchanged
		b.Counts.Skipped += br.Counts.Skipped
		out[i] = br
	}
	return out
}

// writeGrant applies a decided batch with set-based statements over the
// session x user cross product: audit events first (they read the state
// before the change), then the upgrades, the inserts, and the jobs. The
// sessions are locked, so the statements change exactly the pairs decide
// counted; ON CONFLICT DO NOTHING guards the primary key anyway.
func (db *DB) writeGrant(ctx context.Context, tx *sql.Tx, b *convene.Batch, sessions, users []int64) error {
	if b.Counts.Added+b.Counts.Upgraded == 0 {
		return nil
	}
	S, U := db.d.IDsArg(sessions), db.d.IDsArg(users)
	now := ns(b.CreatedAt)
	common := func(more ...any) []any { return append([]any{b.TenantID, now, nullID(b.ActorID)}, more...) }
	// When every pair is new (the usual big batch), skip a million lookups.
	addedOnly := `NOT EXISTS (SELECT 1 FROM memberships m WHERE m.session_id = s.value AND m.user_id = u.value)`
	if b.Counts.Added == len(sessions)*len(users) {
		addedOnly = `1 = 1`
	}
	type stmt struct {
		query string
		args  []any
	}
	var stmts []stmt
	upgrade := []stmt{{`INSERT INTO audit_events (tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id)
		SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), m.session_id, m.user_id, m.access, CAST(? AS TEXT), CAST(? AS BIGINT)
		FROM memberships m WHERE ` + db.d.InIDs("m.session_id") + ` AND ` + db.d.InIDs("m.user_id") + ` AND m.access = 'view'`,
		common(convene.AuditMemberUpgraded, string(b.Access), b.ID, S, U)},
		{`UPDATE memberships SET access = ?, updated_at = ?, batch_id = ?
		WHERE ` + db.d.InIDs("session_id") + ` AND ` + db.d.InIDs("user_id") + ` AND access = 'view'`,
			[]any{string(b.Access), now, b.ID, S, U}}}
	add := []stmt{{`INSERT INTO audit_events (tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id)
		SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), s.value, u.value, '', CAST(? AS TEXT), CAST(? AS BIGINT)
		FROM ` + db.d.IDTable("s") + ` CROSS JOIN ` + db.d.IDTable("u") + `
		WHERE ` + addedOnly,
		common(convene.AuditMemberAdded, string(b.Access), b.ID, S, U)},
		{`INSERT INTO memberships (session_id, user_id, access, granted_by, batch_id, created_at, updated_at)
		SELECT s.value, u.value, CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT)
		FROM ` + db.d.IDTable("s") + ` CROSS JOIN ` + db.d.IDTable("u") + ` WHERE 1 = 1
		ON CONFLICT (session_id, user_id) DO NOTHING`,
			[]any{string(b.Access), nullID(b.ActorID), b.ID, now, now, S, U}}}
	if b.Counts.Upgraded > 0 {
		stmts = append(stmts, upgrade...)
	}
	if b.Counts.Added > 0 {
		stmts = append(stmts, add...)
	}
	for _, st := range stmts {
		if _, err := tx.ExecContext(ctx, db.q(st.query), st.args...); err != nil {
			return fmt.Errorf("grant: %w", err)
		}
	}
	return db.enqueueNotifications(ctx, tx, b)
}

// enqueueNotifications queues one message per person who gained access.
// Each job carries its person's outcomes (a letter per session, about a
// kilobyte), so that rendering a message reads that person's pairs only,
// not the whole batch: a batch's messages cost O(pairs) in all.
func (db *DB) enqueueNotifications(ctx context.Context, tx *sql.Tx, b *convene.Batch) error {
	stmt, err := tx.PrepareContext(ctx, db.q(`INSERT INTO jobs (tenant_id, kind, payload, status, run_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`))
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	defer stmt.Close()
	now := ns(b.CreatedAt)
	for _, r := range b.Results {
		if r.Counts.Added+r.Counts.Upgraded == 0 {
			continue
		}
		payload := `{"batch_id":` + strconv.FormatInt(b.ID, 10) + `,"user_id":` + strconv.FormatInt(r.UserID, 10) +
			`,"outcomes":"` + convene.OutcomeLetters(r.Outcomes) + `"}`
		if _, err := stmt.ExecContext(ctx, b.TenantID, convene.JobNotifyBatch, []byte(payload), string(convene.JobQueued), now, now, now); err != nil {
			return fmt.Errorf("enqueue: %w", err)
		}
	}
	return nil
}
