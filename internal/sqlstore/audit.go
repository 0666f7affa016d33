package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
)

// insertAudit writes one audit event in tx, stamping it now.
func (db *DB) insertAudit(ctx context.Context, tx *sql.Tx, e *convene.AuditEvent) error {
	if e.At.IsZero() {
		e.At = db.clock()
	}
	err := tx.QueryRowContext(ctx, db.q(`
		INSERT INTO audit_events (tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		e.TenantID, ns(e.At), nullID(e.ActorID), e.Action, nullID(e.SessionID), nullID(e.UserID), e.Before, e.After, nullID(e.BatchID),
	).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("insert audit event: %w", err)
	}
	return nil
}

// insertAuditEach writes in tx, in one statement, one audit event like e
// per row of rows: a FROM ... WHERE ... clause, with its arguments args,
// whose rows give the session, the user and the value before of each event
// in the expressions of pair ("m.session_id, m.user_id, m.access"). The
// other fields come from e, stamped now when e.At is zero. It returns the
// number of events written, for a set-based change to compare with its own.
func (db *DB) insertAuditEach(ctx context.Context, tx *sql.Tx, e convene.AuditEvent, pair, rows string, args ...any) (int64, error) {
	if e.At.IsZero() {
		e.At = db.clock()
	}
	n, err := db.execCount(ctx, tx, `INSERT INTO audit_events (tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id)
		SELECT CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), `+pair+`, CAST(? AS TEXT), CAST(? AS BIGINT) `+rows,
		append([]any{e.TenantID, ns(e.At), nullID(e.ActorID), e.Action, e.After, nullID(e.BatchID)}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("insert audit events: %w", err)
	}
	return n, nil
}

// FindAuditEvents lists the tenant's audit events, newest first: Tenant
// Admins only (EFORBIDDEN). EINVALID for a bad cursor.
func (db *DB) FindAuditEvents(ctx context.Context, f convene.AuditFilter) ([]*convene.AuditEvent, string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, "", err
	}
	if err := convene.Authorize(actor, convene.PermReadAudit, nil, ""); err != nil {
		return nil, "", err
	}
	limit := clampLimit(f.Limit, 100, 500)
	query := `SELECT id, tenant_id, at, COALESCE(actor_id, 0), action, COALESCE(session_id, 0), COALESCE(user_id, 0), before, after, COALESCE(batch_id, 0)
		FROM audit_events WHERE tenant_id = ?`
	args := []any{actor.TenantID}
	for _, c := range []struct {
		col string
		val int64
	}{{"session_id", f.SessionID}, {"user_id", f.UserID}, {"batch_id", f.BatchID}} {
		if c.val != 0 {
			query += ` AND ` + c.col + ` = ?`
			args = append(args, c.val)
		}
	}
	if f.Cursor != "" {
		var before int64
		if err := decodeCursor(f.Cursor, &before); err != nil {
			return nil, "", err
		}
		query += ` AND id < ?`
		args = append(args, before)
	}
	query += fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit+1)
	events, err := queryAll(ctx, db, db.read, "audit event", scanAuditEvent, query, args...)
	if err != nil {
		return nil, "", err
	}
	events, next := pageOf(events, limit, func(last *convene.AuditEvent) string { return encodeCursor(last.ID) })
	return events, next, nil
}

func scanAuditEvent(row rowScanner) (*convene.AuditEvent, error) {
	var e convene.AuditEvent
	var at int64
	if err := row.Scan(&e.ID, &e.TenantID, &at, &e.ActorID, &e.Action, &e.SessionID, &e.UserID, &e.Before, &e.After, &e.BatchID); err != nil {
		return nil, err
	}
	e.At = ts(at)
	return &e, nil
}
