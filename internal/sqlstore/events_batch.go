package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"convene"
)

// batchChanged writes the member.changed event of batch batchID in each of
// sessions: one event per session naming the batch, never one per pair
// (convene.BatchMembers), so that a batch of 1,000 x 1,000 costs its
// grant a thousand small rows; each subscriber learns its own access when
// it reads the event (live.Subscription).
func (db *DB) batchChanged(ctx context.Context, tx *sql.Tx, tenantID, batchID int64, sessions []int64) error {
	return db.appendEachEvent(ctx, tx, tenantID, sessions, convene.EventMemberChanged, 0, convene.BatchMembers{BatchID: batchID})
}

// userDisabled tells u, in every session they are a member of, that they
// have no access any more, and every instance after commit that all u's
// open streams end (those of sessions u watches without being a member
// too: a Tenant Admin's).
func (db *DB) userDisabled(ctx context.Context, tx *sql.Tx, u *convene.User) error {
	etx, err := db.eventsOf(tx)
	if err != nil {
		return err
	}
	etx.ended = append(etx.ended, u.ID)
	sessions, err := queryAll(ctx, db, tx, "membership", func(row rowScanner) (id int64, err error) {
		return id, row.Scan(&id)
	}, `SELECT session_id FROM memberships WHERE user_id = ?`, u.ID)
	if err != nil {
		return err
	}
	return db.appendEachEvent(ctx, tx, u.TenantID, sessions, convene.EventAccess, u.ID, accessData{Access: accessNone})
}

// userDemoted tells every instance after commit that u lost the sessions
// their role let them see: each open stream of theirs checks that u is
// still a member of its session, and ends (access none) where not.
func (db *DB) userDemoted(tx *sql.Tx, u *convene.User) error {
	etx, err := db.eventsOf(tx)
	if err != nil {
		return err
	}
	etx.demoted = append(etx.demoted, u.ID)
	return nil
}

// appendEachEvent is appendEvent of one same event in each of sessions that
// still exists in the tenant, in two statements whatever their number
// (plus a pruning delete for each session past the kept window): the
// next ids of all their heads at once, then the rows.
func (db *DB) appendEachEvent(ctx context.Context, tx *sql.Tx, tenantID int64, sessions []int64, name string, userID int64, data any) error {
	if len(sessions) == 0 {
		return nil
	}
	etx, err := db.eventsOf(tx)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("encode event %s: %w", name, err)
	}
	heads := make(map[int64]int64, len(sessions))
	err = queryEach(ctx, db, tx, "event head", func(row rowScanner) error {
		var sid, id int64
		err := row.Scan(&sid, &id)
		heads[sid] = id
		return err
	}, `INSERT INTO session_event_heads (session_id, last_id)
		SELECT s.id, 1 FROM sessions s WHERE s.tenant_id = ? AND `+db.d.InIDs("s.id")+`
		ON CONFLICT (session_id) DO UPDATE SET last_id = session_event_heads.last_id + 1 RETURNING session_id, last_id`,
		tenantID, db.d.IDsArg(sessions))
	if err != nil || len(heads) == 0 {
		return err
	}
	ids := slices.Collect(maps.Keys(heads))
	_, err = tx.ExecContext(ctx, db.q(`INSERT INTO session_events (session_id, id, tenant_id, name, data, user_id, created_at)
		SELECT h.session_id, h.last_id, CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS BIGINT)
		FROM session_event_heads h WHERE `+db.d.InIDs("h.session_id")),
		tenantID, name, string(raw), nullID(userID), ns(db.clock()), db.d.IDsArg(ids))
	if err != nil {
		return fmt.Errorf("insert events: %w", err)
	}
	for sid, id := range heads {
		if id > convene.EventLogKeep {
			if _, err := tx.ExecContext(ctx, db.q(`DELETE FROM session_events WHERE session_id = ? AND id <= ?`), sid, id-convene.EventLogKeep); err != nil {
				return fmt.Errorf("prune events: %w", err)
			}
		}
		etx.last[sid] = id
	}
	return nil
}

// MembersAccess returns the access each of userIDs has as a member of a
// session of the actor's tenant, convene.AccessNone for the others. It
// checks no access: see convene.EventLog.
func (db *DB) MembersAccess(ctx context.Context, sessionID int64, userIDs []int64) (map[int64]convene.Access, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]convene.Access, len(userIDs))
	for _, id := range userIDs {
		out[id] = convene.AccessNone
	}
	err = queryEach(ctx, db, db.read, "membership", func(row rowScanner) error {
		var id int64
		var access string
		err := row.Scan(&id, &access)
		out[id] = convene.Access(access)
		return err
	}, `SELECT m.user_id, m.access FROM memberships m JOIN sessions s ON s.id = m.session_id
		WHERE m.session_id = ? AND s.tenant_id = ? AND `+db.d.InIDs("m.user_id"), sessionID, actor.TenantID, db.d.IDsArg(userIDs))
	if err != nil {
		return nil, fmt.Errorf("members' access: %w", err)
	}
	return out, nil
}
