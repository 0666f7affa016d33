package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"convene"
)

// insertAudit writes one audit event in tx, stamping it now.
func (db *DB) insertAudit(ctx context.Context, tx *sql.Tx, e *convene.AuditEvent) error {
	if e.At.IsZero() {
		e.At = db.clock()
	}
	var row int64
	err := tx.QueryRowContext(ctx, db.q(`
		INSERT INTO audit_events (tenant_id, at, actor_id, action, session_id, user_id, before, after, batch_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		e.TenantID, ns(e.At), nullID(e.ActorID), e.Action, nullID(e.SessionID), nullID(e.UserID), e.Before, e.After, nullID(e.BatchID),
	).Scan(&row)
	if err != nil {
		return fmt.Errorf("insert audit event: %w", err)
	}
	e.ID = auditItemID(row, 0)
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
// Admins only (EFORBIDDEN). EINVALID for a bad cursor. A batch entry's
// pairs are listed as events of their own (see audit_entry.go).
func (db *DB) FindAuditEvents(ctx context.Context, f convene.AuditFilter) ([]*convene.AuditEvent, string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, "", err
	}
	if err := convene.Authorize(actor, convene.PermReadAudit, nil, ""); err != nil {
		return nil, "", err
	}
	limit := clampLimit(f.Limit, 100, 500)
	from, err := decodeAuditCursor(f.Cursor)
	if err != nil {
		return nil, "", err
	}
	// One item more than the page says whether another page follows, and
	// where it begins.
	items, err := db.auditItems(ctx, actor.TenantID, f, from, limit+1)
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(items) > limit {
		next = encodeCursor(items[limit].at.row, items[limit].at.place)
		items = items[:limit]
	}
	events := make([]*convene.AuditEvent, len(items))
	for i, it := range items {
		events[i] = it.event
	}
	return events, next, nil
}

// auditItems returns up to want items that f selects, newest first, from
// position from on (the zero position: from the newest). It reads the rows
// a chunk at a time, as an entry may hold many items or none that f
// selects.
func (db *DB) auditItems(ctx context.Context, tenantID int64, f convene.AuditFilter, from auditPosition, want int) ([]auditItem, error) {
	var items []auditItem
	for len(items) < want {
		rows, err := db.auditRows(ctx, tenantID, f, from.row, want)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			place := lastPlace
			if row.ID == from.row {
				place = from.place
			}
			if row.pairs == 0 {
				e := row.AuditEvent
				e.ID = auditItemID(row.ID, 0)
				items = append(items, auditItem{&e, auditPosition{row.ID, 0}})
			} else if items, err = db.expandEntry(ctx, &row.AuditEvent, f, place, want, items); err != nil {
				return nil, err
			}
			if len(items) == want {
				return items, nil
			}
		}
		if len(rows) < want || rows[len(rows)-1].ID == 1 {
			return items, nil
		}
		from = startOfRow(rows[len(rows)-1].ID - 1)
	}
	return items, nil
}

// auditRow is a row of audit_events: one event, or a batch entry standing
// for pairs events.
type auditRow struct {
	convene.AuditEvent
	pairs int64
}

const auditColumns = `SELECT id, tenant_id, at, COALESCE(actor_id, 0), action, COALESCE(session_id, 0), COALESCE(user_id, 0), before, after,
	COALESCE(batch_id, 0), pairs FROM audit_events`

// auditRows reads up to n rows of the tenant at or below row id through
// (every row when through is 0) that may hold an item f selects, newest
// first. Filtered by session or person, the rows of single events are
// found by their columns and the batch entries by their indexes, and the
// two merged.
func (db *DB) auditRows(ctx context.Context, tenantID int64, f convene.AuditFilter, through int64, n int) ([]auditRow, error) {
	where, args := `tenant_id = ?`, []any{tenantID}
	if through != 0 {
		where, args = where+` AND id <= ?`, append(args, through)
	}
	if f.BatchID != 0 {
		where, args = where+` AND batch_id = ?`, append(args, f.BatchID)
	}
	branch := func(where string) string {
		return fmt.Sprintf(`SELECT * FROM (%s WHERE %s ORDER BY id DESC LIMIT %d) AS r`, auditColumns, where, n)
	}
	if f.SessionID == 0 && f.UserID == 0 {
		return queryAll(ctx, db, db.read, "audit event", scanAuditRow, branch(where), args...)
	}
	events, eventArgs := where, slices.Clone(args)
	entries, entryArgs := where+` AND pairs > 0`, slices.Clone(args)
	for _, c := range []struct {
		column, index string
		id            int64
	}{{"session_id", "audit_entry_sessions", f.SessionID}, {"user_id", "audit_entry_users", f.UserID}} {
		if c.id != 0 {
			events, eventArgs = events+` AND `+c.column+` = ?`, append(eventArgs, c.id)
			entries, entryArgs = entries+` AND id IN (SELECT entry_id FROM `+c.index+` WHERE `+c.column+` = ?)`, append(entryArgs, c.id)
		}
	}
	query := branch(events) + ` UNION ALL ` + branch(entries) + fmt.Sprintf(` ORDER BY 1 DESC LIMIT %d`, n)
	return queryAll(ctx, db, db.read, "audit event", scanAuditRow, query, append(eventArgs, entryArgs...)...)
}

// decodeAuditCursor reads a cursor of the listing. A cursor given out
// before batch entries were (one row id, the last of its page) still
// reads: it continued below that row.
func decodeAuditCursor(cursor string) (auditPosition, error) {
	var p auditPosition
	if cursor == "" {
		return p, nil
	}
	if err := decodeCursor(cursor, &p.row, &p.place); err == nil && p.row > 0 && p.place >= 0 && p.place <= lastPlace {
		return p, nil
	}
	var below int64
	if err := decodeCursor(cursor, &below); err != nil {
		return p, err
	}
	if below <= 1 {
		return auditPosition{row: -1}, nil // below the first row: nothing
	}
	return startOfRow(below - 1), nil
}

func scanAuditRow(row rowScanner) (auditRow, error) {
	var r auditRow
	var at int64
	err := row.Scan(&r.ID, &r.TenantID, &at, &r.ActorID, &r.Action, &r.SessionID, &r.UserID, &r.Before, &r.After, &r.BatchID, &r.pairs)
	r.At = ts(at)
	return r, err
}
