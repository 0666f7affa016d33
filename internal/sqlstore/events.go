package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"convene"
)

// EventNotifier is implemented by a dialect whose database itself tells
// every process of new events (PostgreSQL: NOTIFY, delivered at commit to
// each listening instance). Without one, DB calls its OnEvent hook after
// commit, which serves subscribers in this process only (SQLite).
type EventNotifier interface {
	// NotifyEvents tells, for each session of last, the id of its last
	// event written in tx.
	NotifyEvents(ctx context.Context, tx *sql.Tx, last map[int64]int64) error
}

// OnEvent sets fn to be called after every commit that wrote events: once
// per session, with the id of its last event. fn must not block (the live
// hub's Notify only wakes a goroutine). Set it before serving.
func (db *DB) OnEvent(fn func(sessionID, eventID int64)) { db.onEvent = fn }

// eventTx is a write transaction that appends to the event log; last holds
// the last event id written per session, told after commit.
type eventTx struct {
	*sql.Tx
	last map[int64]int64
}

// inEventTx runs fn in a write transaction and tells of the events it
// wrote at commit (NOTIFY in the transaction, or the OnEvent hook after
// it). Every write transaction is one (inTx is this for *sql.Tx code), so
// that a change deep in the shared helpers, a grant run from five paths,
// logs its events without every signature on the way carrying an eventTx:
// such code finds its transaction's with eventsOf.
func (db *DB) inEventTx(ctx context.Context, fn func(tx *eventTx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	etx := &eventTx{Tx: tx, last: map[int64]int64{}}
	db.openTxs.Store(tx, etx)
	defer db.openTxs.Delete(tx)
	if err := fn(etx); err != nil {
		return err
	}
	notifier, viaDB := db.d.(EventNotifier)
	if viaDB && len(etx.last) > 0 {
		if err := notifier.NotifyEvents(ctx, tx, etx.last); err != nil {
			return fmt.Errorf("notify events: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if !viaDB && db.onEvent != nil {
		for sid, eid := range etx.last {
			db.onEvent(sid, eid)
		}
	}
	return nil
}

// eventsOf returns the eventTx of tx, a write transaction of inTx.
func (db *DB) eventsOf(tx *sql.Tx) (*eventTx, error) {
	if etx, ok := db.openTxs.Load(tx); ok {
		return etx.(*eventTx), nil
	}
	return nil, fmt.Errorf("events: not a write transaction of inTx")
}

// appendEvent writes one event of a session in tx: the next id of the
// session (its head row stays locked until commit, so ids increase in
// commit order), the row, and the pruning of what falls out of the kept
// window (an index range, mostly empty).
func (db *DB) appendEvent(ctx context.Context, tx *eventTx, tenantID, sessionID int64, name string, userID int64, data any) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encode event %s: %w", name, err)
	}
	var id int64
	err = tx.QueryRowContext(ctx, db.q(`INSERT INTO session_event_heads (session_id, last_id) VALUES (?, 1)
		ON CONFLICT (session_id) DO UPDATE SET last_id = session_event_heads.last_id + 1 RETURNING last_id`), sessionID).Scan(&id)
	if err != nil {
		return fmt.Errorf("next event id: %w", err)
	}
	_, err = tx.ExecContext(ctx, db.q(`INSERT INTO session_events (session_id, id, tenant_id, name, data, user_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), sessionID, id, tenantID, name, string(raw), nullID(userID), ns(db.clock()))
	if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	if id > convene.EventLogKeep {
		if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM session_events WHERE session_id = ? AND id <= ?`), sessionID, id-convene.EventLogKeep); err != nil {
			return fmt.Errorf("prune events: %w", err)
		}
	}
	tx.last[sessionID] = id
	return nil
}

// SessionEventsAfter returns up to limit (1-1000) events of a session of
// the actor's tenant with ids above after, in id order. It checks no
// access: see convene.EventLog.
func (db *DB) SessionEventsAfter(ctx context.Context, sessionID, after int64, limit int) ([]*convene.SessionEvent, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	limit = clampLimit(limit, 100, 1000)
	return queryAll(ctx, db, db.read, "event", scanEvent, fmt.Sprintf(`
		SELECT session_id, id, tenant_id, name, data, COALESCE(user_id, 0), created_at FROM session_events
		WHERE session_id = ? AND tenant_id = ? AND id > ? ORDER BY id LIMIT %d`, limit), sessionID, actor.TenantID, after)
}

// LastSessionEvent returns the id of a session's latest event (0 when
// none), for a subscriber that starts from now.
func (db *DB) LastSessionEvent(ctx context.Context, sessionID int64) (int64, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return 0, err
	}
	var id int64
	err = db.read.QueryRowContext(ctx, db.q(`SELECT COALESCE(MAX(id), 0) FROM session_events WHERE session_id = ? AND tenant_id = ?`),
		sessionID, actor.TenantID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("last event: %w", err)
	}
	return id, nil
}

func scanEvent(row rowScanner) (*convene.SessionEvent, error) {
	var e convene.SessionEvent
	var data string
	var created int64
	if err := row.Scan(&e.SessionID, &e.ID, &e.TenantID, &e.Name, &data, &e.UserID, &created); err != nil {
		return nil, err
	}
	e.Data, e.CreatedAt = []byte(data), ts(created)
	return &e, nil
}
