package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"convene"
)

// A bulk access change audits its pairs by reference. Its batch already
// holds, for every person and session, whether the pair changed and the
// access it had (the results' letters), so instead of one audit row per
// pair (a million rows for 1,000 x 1,000, most of the change's time) it
// writes one row, its batch entry, whose pairs column is the number of
// pairs it stands for, and the listing expands that entry into one item
// per changed pair. The sessions and the people the change reached are
// kept beside the entry (audit_entry_sessions, audit_entry_users), so
// that the listing's filters stay indexed.

// Every listed event has an id of its own, which orders the listing like
// the rows: auditItemID(row, place), the row's id shifted left by
// auditPlaceBits plus the event's place in it. A row that is one event has
// place 0; a batch entry's events have the places k of their pairs in the
// batch's product (person i, session j: i*sessions + j), and the entry
// row itself is never listed. 2^20 places hold the largest batch (1,000 x
// 1,000), and ids stay under 2^53 (whole numbers in JavaScript) for 2^33
// rows.
const auditPlaceBits = 20

func auditItemID(row int64, place int) int64 { return row<<auditPlaceBits | int64(place) }

// insertBatchEntry writes the audit entry of a decided batch b, whose
// changed pairs (b.Counts.Changed of them) are events like e (their
// session, user and before come from each pair), and the sessions
// (changedSessions, b.ChangedSessions()) and people it changed.
func (db *DB) insertBatchEntry(ctx context.Context, tx *sql.Tx, e convene.AuditEvent, b *convene.Batch, changedSessions []int64) error {
	if len(b.Results)*len(b.SessionIDs) > 1<<auditPlaceBits {
		return fmt.Errorf("audit entry: %d x %d pairs is over the entry's %d", len(b.Results), len(b.SessionIDs), 1<<auditPlaceBits)
	}
	if b.Counts.Changed == 0 {
		return nil
	}
	if e.At.IsZero() {
		e.At = db.clock()
	}
	err := tx.QueryRowContext(ctx, db.q(`
		INSERT INTO audit_events (tenant_id, at, actor_id, action, after, batch_id, pairs) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		e.TenantID, ns(e.At), nullID(e.ActorID), e.Action, e.After, e.BatchID, b.Counts.Changed,
	).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("insert audit entry: %w", err)
	}
	for _, index := range []struct {
		table, column string
		ids           []int64
	}{{"audit_entry_sessions", "session_id", changedSessions}, {"audit_entry_users", "user_id", b.ChangedUsers()}} {
		_, err := tx.ExecContext(ctx, db.q(`INSERT INTO `+index.table+` (`+index.column+`, entry_id) SELECT i.value, CAST(? AS BIGINT) FROM `+
			db.d.IDTable("i")), e.ID, db.d.IDsArg(index.ids))
		if err != nil {
			return fmt.Errorf("insert audit entry: %w", err)
		}
	}
	return nil
}

// auditItem is an event as listed, with where it stands in the listing.
type auditItem struct {
	event *convene.AuditEvent
	at    auditPosition
}

// auditPosition is a place in the listing, newest first: the row row, from
// its place place down (the items of a batch entry are listed from the
// last pair of its product to the first, so that ids descend through the
// listing). A cursor is the position of the next page's first item.
type auditPosition struct {
	row   int64
	place int
}

// lastPlace is the position of a row's first listed item.
const lastPlace = 1<<auditPlaceBits - 1

func startOfRow(row int64) auditPosition { return auditPosition{row, lastPlace} }

// expandEntry appends to out the items of the batch entry row that f
// selects, from place from down, until out holds want items. It reads the
// batch's stored results as they are, a letter per pair, without making
// them BatchResults: a million pairs are a megabyte to decode. (A batch's
// results never change once an access change has stored them.)
func (db *DB) expandEntry(ctx context.Context, row *convene.AuditEvent, f convene.AuditFilter, from, want int, out []auditItem) ([]auditItem, error) {
	var ids, results string
	err := db.read.QueryRowContext(ctx, db.q(`SELECT session_ids, results FROM batches WHERE tenant_id = ? AND id = ?`), row.TenantID, row.BatchID).
		Scan(&ids, &results)
	var sessionIDs []int64
	var people []storedResult
	if err == nil {
		err = errors.Join(json.Unmarshal([]byte(ids), &sessionIDs), json.Unmarshal([]byte(results), &people))
	}
	if err != nil {
		return out, fmt.Errorf("audit entry %d: batch %d: %w", row.ID, row.BatchID, err)
	}
	sessions := len(sessionIDs)
	for i := min(len(people)-1, from/max(sessions, 1)); i >= 0 && len(out) < want; i-- {
		p := &people[i]
		if f.UserID != 0 && p.UserID != f.UserID {
			continue
		}
		for j := min(len(p.Outcomes), sessions) - 1; j >= 0 && len(out) < want; j-- {
			k := i*sessions + j
			before, changed := convene.ChangedFrom(p.Outcomes[j])
			if k > from || !changed || (f.SessionID != 0 && sessionIDs[j] != f.SessionID) {
				continue
			}
			e := *row
			e.ID, e.SessionID, e.UserID, e.Before = auditItemID(row.ID, k), sessionIDs[j], p.UserID, string(before)
			out = append(out, auditItem{&e, auditPosition{row.ID, k}})
		}
	}
	return out, nil
}
