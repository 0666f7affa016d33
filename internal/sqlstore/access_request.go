package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"convene"
)

var _ convene.AccessRequestService = (*DB)(nil)

// insertAccessRequest stores r as pending, filling its id and time.
func (db *DB) insertAccessRequest(ctx context.Context, tx *sql.Tx, r *convene.AccessRequest) error {
	ids, _ := json.Marshal(r.SessionIDs)
	r.Status, r.CreatedAt = convene.RequestPending, db.clock()
	err := tx.QueryRowContext(ctx, db.q(`INSERT INTO access_requests
		(tenant_id, contact, kind, name, session_ids, access, requested_by, batch_id, status, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		r.TenantID, r.Contact, string(r.Kind), r.Name, string(ids), string(r.Access), r.RequestedBy, r.BatchID, string(r.Status), ns(r.CreatedAt),
	).Scan(&r.ID)
	if err != nil {
		return fmt.Errorf("insert access request: %w", err)
	}
	return nil
}

// FindAccessRequests lists requests newest first: all of the tenant's to
// Tenant Admins, their own to Session Admins. See convene.AccessRequestService.
func (db *DB) FindAccessRequests(ctx context.Context, f convene.AccessRequestFilter) ([]*convene.AccessRequest, string, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, "", err
	}
	if err := convene.Authorize(actor, convene.PermMultiInvite, nil, ""); err != nil {
		return nil, "", err
	}
	query, args := accessRequestSelect+` WHERE r.tenant_id = ?`, []any{actor.TenantID}
	if !convene.Allowed(actor, convene.PermManageUsers, nil, "") {
		query, args = query+` AND r.requested_by = ?`, append(args, actor.UserID())
	}
	switch f.Status {
	case "":
		query, args = query+` AND r.status = ?`, append(args, string(convene.RequestPending))
	case convene.RequestPending, convene.RequestGranted, convene.RequestDeclined:
		query, args = query+` AND r.status = ?`, append(args, string(f.Status))
	default:
		return nil, "", convene.FieldErrorf("status", "must be pending, granted or declined")
	}
	if f.Cursor != "" {
		var id int64
		if err := decodeCursor(f.Cursor, &id); err != nil {
			return nil, "", err
		}
		query, args = query+` AND r.id < ?`, append(args, id)
	}
	limit := clampLimit(f.Limit, 100, 500)
	items, err := queryAll(ctx, db, db.read, "access request", scanAccessRequest, query+fmt.Sprintf(` ORDER BY r.id DESC LIMIT %d`, limit+1), args...)
	if err != nil {
		return nil, "", err
	}
	items, next := pageOf(items, limit, func(last *convene.AccessRequest) string { return encodeCursor(last.ID) })
	return items, next, db.nameSessions(ctx, db.read, actor.TenantID, items)
}

// nameSessions fills the Sessions of each request: those of its ids that
// still exist, with their titles, in one query for all of them.
func (db *DB) nameSessions(ctx context.Context, q querier, tenantID int64, items []*convene.AccessRequest) error {
	var ids []int64
	for _, r := range items {
		ids = append(ids, r.SessionIDs...)
	}
	titles, err := db.titlesOf(ctx, q, tenantID, dedupe(ids))
	if err != nil {
		return err
	}
	for _, r := range items {
		r.Sessions = []convene.SessionRef{}
		for _, id := range r.SessionIDs {
			if title, ok := titles[id]; ok {
				r.Sessions = append(r.Sessions, convene.SessionRef{ID: id, Title: title})
			}
		}
	}
	return nil
}

// titlesOf returns the titles of the sessions of ids that exist in the
// tenant, by id. The caller has checked that its actor may see them.
func (db *DB) titlesOf(ctx context.Context, q querier, tenantID int64, ids []int64) (map[int64]string, error) {
	titles := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return titles, nil
	}
	err := queryEach(ctx, db, q, "session", func(row rowScanner) error {
		var id int64
		var title string
		if err := row.Scan(&id, &title); err != nil {
			return err
		}
		titles[id] = title
		return nil
	}, `SELECT s.id, s.title FROM sessions s WHERE s.tenant_id = ? AND `+db.d.InIDs("s.id"), tenantID, db.d.IDsArg(ids))
	return titles, err
}

// pendingByIDs loads the requests of ids for a decision by actor, all or
// none: ENOTFOUND for an id that is not the tenant's (or, for a Session
// Admin, not their own), EUNAVAILABLE for one no longer pending.
func (db *DB) pendingByIDs(ctx context.Context, tx *sql.Tx, actor convene.Actor, ids []int64) ([]*convene.AccessRequest, error) {
	found, err := queryAll(ctx, db, tx, "access request", scanAccessRequest,
		accessRequestSelect+` WHERE r.tenant_id = ? AND `+db.d.InIDs("r.id")+` ORDER BY r.id`, actor.TenantID, db.d.IDsArg(ids))
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*convene.AccessRequest, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	admin := convene.Allowed(actor, convene.PermManageUsers, nil, "")
	out := make([]*convene.AccessRequest, 0, len(ids))
	for _, id := range dedupe(ids) {
		r := byID[id]
		switch {
		case r == nil || (!admin && r.RequestedBy != actor.UserID()):
			return nil, convene.Errorf(convene.ENOTFOUND, "access request %d not found", id)
		case r.Status != convene.RequestPending:
			return nil, convene.Errorf(convene.EUNAVAILABLE, "access request %d was already %s; nothing was done", id, r.Status)
		}
		out = append(out, r)
	}
	return out, nil
}
