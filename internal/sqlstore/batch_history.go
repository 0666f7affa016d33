package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"

	"convene"
)

// FindBatches lists batches newest first, without their results: all of
// the tenant's to Tenant Admins, their own to everyone else.
func (db *DB) FindBatches(ctx context.Context, f convene.BatchFilter) ([]*convene.Batch, string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, "", err
	}
	query, args := summarySelect+`WHERE tenant_id = ?`, []any{actor.TenantID}
	if !convene.Allowed(actor, convene.PermManageUsers, nil, "") {
		query, args = query+` AND actor_id = ?`, append(args, actor.UserID())
	}
	if f.Cursor != "" {
		var id int64
		if err := decodeCursor(f.Cursor, &id); err != nil {
			return nil, "", err
		}
		query, args = query+` AND id < ?`, append(args, id)
	}
	limit := clampLimit(f.Limit, 50, 100)
	items, err := queryAll(ctx, db, db.read, "batch", scanBatch, query+fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, limit+1), args...)
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(items, limit, func(last *convene.Batch) string { return encodeCursor(last.ID) })
	return items, next, nil
}

// BatchPairs reads batch id (as FindBatch: ENOTFOUND for those the actor
// may not see) and returns its rows that f selects, cursor and limit
// aside, as an iterator. The batch is held in its stored form, one letter
// per pair: rows are made one at a time as they are yielded, so that a
// million pairs stream in the memory of a megabyte.
func (db *DB) BatchPairs(ctx context.Context, id int64, f convene.PairFilter) (iter.Seq[convene.BatchPairRow], error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	var b *convene.Batch
	var results string
	row := db.read.QueryRowContext(ctx, db.q(summarySelect+`WHERE tenant_id = ? AND id = ?`), actor.TenantID, id)
	if b, err = scanBatch(row); err != nil || !convene.CanSeeBatch(actor, b) {
		return nil, notFound(orNoRows(err), "batch %d not found", id)
	}
	if err := db.read.QueryRowContext(ctx, db.q(`SELECT results FROM batches WHERE id = ?`), id).Scan(&results); err != nil {
		return nil, fmt.Errorf("read batch %d: %w", id, err)
	}
	var entries []storedResult
	if err := json.Unmarshal([]byte(results), &entries); err != nil {
		return nil, fmt.Errorf("decode batch %d: %w", id, err)
	}
	results = ""
	titles, err := db.titlesOf(ctx, db.read, actor.TenantID, b.SessionIDs)
	if err != nil {
		return nil, err
	}
	return func(yield func(convene.BatchPairRow) bool) {
		for _, s := range entries {
			e := convene.BatchEntry{Input: s.Input, Status: convene.ContactStatus(s.Status), Reason: s.Reason, UserID: s.UserID,
				Letters: s.Outcomes, AccessChange: b.Action != ""}
			more := convene.EntryPairs(e, b.SessionIDs, titles, func(r convene.BatchPairRow) bool { return !f.Match(r) || yield(r) })
			if !more {
				return
			}
		}
	}, nil
}

// FindBatchPairs is one page of BatchPairs; the cursor counts the rows
// that f selects.
func (db *DB) FindBatchPairs(ctx context.Context, id int64, f convene.PairFilter) ([]convene.BatchPairRow, string, error) {
	offset := 0
	if f.Cursor != "" {
		var err error
		if offset, err = strconv.Atoi(f.Cursor); err != nil || offset < 0 {
			return nil, "", convene.FieldErrorf("cursor", "is not a cursor this API gave out")
		}
	}
	pairs, err := db.BatchPairs(ctx, id, f)
	if err != nil {
		return nil, "", err
	}
	limit := clampLimit(f.Limit, 100, convene.MaxInlinePairs)
	var page []convene.BatchPairRow
	seen, next := 0, ""
	for r := range pairs {
		switch {
		case seen < offset:
		case len(page) == limit:
			next = strconv.Itoa(offset + limit)
		default:
			page = append(page, r)
		}
		if next != "" {
			break
		}
		seen++
	}
	return page, next, nil
}

// RetryBatch sends again, as a new batch with RetryOf, only the entries
// batch id skipped (convene.Retryable), resolved afresh, to its sessions
// that still exist, with mode for those still unregistered. As Grant for
// the errors; EINVALID when the batch skipped nobody, ENOTFOUND when none
// of its sessions is left.
func (db *DB) RetryBatch(ctx context.Context, id int64, mode convene.UnregisteredMode) (*convene.Batch, error) {
	b, err := db.FindBatch(ctx, id)
	if err != nil {
		return nil, err
	}
	var contacts []string
	for _, r := range b.Results {
		if convene.Retryable(r.Status) {
			contacts = append(contacts, r.Input)
		}
	}
	if len(contacts) == 0 {
		return nil, convene.Errorf(convene.EINVALID, "batch %d skipped nobody; there is nothing to retry", id)
	}
	titles, err := db.titlesOf(ctx, db.read, b.TenantID, b.SessionIDs)
	if err != nil {
		return nil, err
	}
	var sessions []int64
	for _, sid := range b.SessionIDs {
		if _, ok := titles[sid]; ok {
			sessions = append(sessions, sid)
		}
	}
	if len(sessions) == 0 {
		return nil, convene.Errorf(convene.ENOTFOUND, "every session of batch %d was deleted since", id)
	}
	return db.Grant(ctx, convene.GrantRequest{SessionIDs: sessions, Contacts: contacts, Access: b.Access, Unregistered: mode, RetryOf: id})
}

// orNoRows is err, or sql.ErrNoRows when there is none: a row found but
// not to be shown reads as a row not found.
func orNoRows(err error) error {
	if err == nil {
		return sql.ErrNoRows
	}
	return err
}
