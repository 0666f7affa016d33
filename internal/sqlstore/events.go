package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"convene"
)

// CommitNotifier is implemented by a dialect whose database is shared by
// several processes and itself tells each of them what a transaction
// wrote (PostgreSQL: NOTIFY, delivered at commit to every listening
// instance, and never for a transaction that rolls back). Without one, DB
// calls its hooks (OnEvent, OnUserEnded, OnUserDemoted) after commit,
// which serve this process only (SQLite).
type CommitNotifier interface {
	// NotifyCommit queues in tx, in one statement (one round trip for
	// everything a transaction tells), the notices of n.
	NotifyCommit(ctx context.Context, tx *sql.Tx, n CommitNotice) error
}

// CommitNotice is what a write transaction tells the other processes.
type CommitNotice struct {
	// LastEvents holds, for each session tx wrote events of, the id of
	// its last one.
	LastEvents map[int64]int64
	// Ended are users disabled (their event streams end, in every
	// session); Demoted users who lost the sessions their role let them
	// see (each stream of theirs checks that they are still a member).
	Ended, Demoted []int64
	// PagesChanged says that tx changed the data of TenantID (0: of no one
	// tenant), so that sessions pages cached from before are stale.
	PagesChanged bool
	TenantID     int64
}

// Empty reports whether n tells nothing.
func (n CommitNotice) Empty() bool {
	return len(n.LastEvents)+len(n.Ended)+len(n.Demoted) == 0 && !n.PagesChanged
}

// OnEvent sets fn to be called after every commit that wrote events: once
// per session, with the id of its last event. fn must not block (the live
// hub's Notify only wakes a goroutine). Set it before serving.
func (db *DB) OnEvent(fn func(sessionID, eventID int64)) { db.onEvent = fn }

// OnUserEnded sets fn to be called after the commit that disabled a user,
// so that all their event streams end, in sessions they are a member of
// or not (a Tenant Admin watches any); as OnEvent, fn must not block.
func (db *DB) OnUserEnded(fn func(userID int64)) { db.onUserEnded = fn }

// OnUserDemoted sets fn to be called after the commit that took from a
// user the sessions their role let them see (LosesSessionsByRole), so
// that each of their event streams checks they are still a member; as
// OnEvent, fn must not block.
func (db *DB) OnUserDemoted(fn func(userID int64)) { db.onUserDemoted = fn }

// eventTx is a write transaction that appends to the event log; last holds
// the last event id written per session, told after commit.
type eventTx struct {
	*sql.Tx
	last    map[int64]int64
	ended   []int64 // users disabled: every stream of theirs ends
	demoted []int64 // users who lost their role's sight of every session
}

// inEventTx runs fn in a write transaction and tells of the events it
// wrote at commit (NOTIFY in the transaction, or the OnEvent hook after
// it). Every write transaction is one (inTx is this for *sql.Tx code), so
// that a change deep in the shared helpers, a grant run from five paths,
// logs its events without every signature on the way carrying an eventTx:
// such code finds its transaction's with eventsOf.
func (db *DB) inEventTx(ctx context.Context, fn func(tx *eventTx) error) error {
	return db.writeTx(ctx, true, fn)
}

// writeTx is inEventTx; changesPages false says that fn cannot change a
// sessions page (see inTxKeepingPages).
func (db *DB) writeTx(ctx context.Context, changesPages bool, fn func(tx *eventTx) error) error {
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
	tenantID := changedTenant(ctx)
	if err := db.notifyInTx(ctx, etx, changesPages, tenantID); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	db.tellCommitted(etx, changesPages, tenantID)
	return nil
}

// notifyInTx tells other processes, where the database has them
// (PostgreSQL's NOTIFY, delivered at commit and only then), of what etx
// wrote: its events, the users it disabled or demoted and, when
// changesPages, that tenantID's sessions pages changed.
func (db *DB) notifyInTx(ctx context.Context, etx *eventTx, changesPages bool, tenantID int64) error {
	notifier, viaDB := db.d.(CommitNotifier)
	n := CommitNotice{LastEvents: etx.last, Ended: etx.ended, Demoted: etx.demoted, PagesChanged: changesPages, TenantID: tenantID}
	if !viaDB || n.Empty() {
		return nil
	}
	if err := notifier.NotifyCommit(ctx, etx.Tx, n); err != nil {
		return fmt.Errorf("notify the other instances: %w", err)
	}
	return nil
}

// tellCommitted tells this process, after etx committed, what it changed:
// the sessions pages of tenantID (so a page read from now on sees it) and,
// where no database notification does (SQLite), its events and the users
// it disabled.
func (db *DB) tellCommitted(etx *eventTx, changesPages bool, tenantID int64) {
	if changesPages {
		db.pages.changed(tenantID)
	}
	if _, viaDB := db.d.(CommitNotifier); viaDB {
		return
	}
	if db.onEvent != nil {
		for sid, eid := range etx.last {
			db.onEvent(sid, eid)
		}
	}
	tellUsers(db.onUserEnded, etx.ended)
	tellUsers(db.onUserDemoted, etx.demoted)
}

// tellUsers calls fn, when set, for each of users.
func tellUsers(fn func(userID int64), users []int64) {
	if fn == nil {
		return
	}
	for _, uid := range users {
		fn(uid)
	}
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
