package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"convene"
)

// registerUser is the one place where a user comes to exist: Users, the
// tenant's first admin, a guest accepting an invitation, the register
// mode of a multi-invite, an approved access request and the CSV import
// all come through here. In tx it inserts u, audits its creation by
// actorID (0 for the system) and grants every access request that waits
// for u's email or phone, so that no path can forget them.
func (db *DB) registerUser(ctx context.Context, tx *sql.Tx, actorID int64, u *convene.User) error {
	if err := db.insertNewUser(ctx, tx, actorID, u); err != nil {
		return err
	}
	return db.fulfillRequests(ctx, tx, u)
}

// insertNewUser is registerUser without the requests, for the one caller
// that must grant them later in the same transaction: the register mode
// of a grant, whose batch decides as if its new people had no access
// yet (as its preview does), and which fulfils them once it has written.
func (db *DB) insertNewUser(ctx context.Context, tx *sql.Tx, actorID int64, u *convene.User) error {
	if err := db.insertUser(ctx, tx, u); err != nil {
		return err
	}
	return db.insertAudit(ctx, tx, &convene.AuditEvent{TenantID: u.TenantID, ActorID: actorID, Action: convene.AuditUserCreated,
		UserID: u.ID, After: string(u.Role)})
}

// fulfillRequests grants, in tx, every pending access request for u's
// contacts, oldest first, never lowering access, each audited under its
// batch and marked granted (with why it granted less, when it did), and
// queues one message telling u what they got.
func (db *DB) fulfillRequests(ctx context.Context, tx *sql.Tx, u *convene.User) error {
	reqs, err := db.pendingRequestsFor(ctx, tx, u)
	if err != nil || len(reqs) == 0 {
		return err
	}
	var gained []int64
	for _, r := range reqs {
		g, err := db.planRequest(ctx, tx, r)
		if err != nil {
			return err
		}
		// Claimed before it grants: a decline that won the race leaves it be.
		if claimed, err := db.decideRequest(ctx, tx, r.ID, convene.RequestGranted, g.Reason, u.ID, 0); err != nil || !claimed {
			if err != nil {
				return err
			}
			continue
		}
		got, err := db.grantRequest(ctx, tx, r, g, u)
		if err != nil {
			return err
		}
		gained = append(gained, got...)
	}
	if len(gained) == 0 {
		return nil
	}
	return db.enqueueJob(ctx, tx, u.TenantID, convene.JobAccessGranted, accessGrantedJob{UserID: u.ID, SessionIDs: dedupe(gained)})
}

// accessGrantedJob is the payload of convene.JobAccessGranted.
type accessGrantedJob struct {
	UserID     int64   `json:"user_id"`
	SessionIDs []int64 `json:"session_ids"`
}

// pendingRequestsFor reads the pending requests for u's
// email or phone in u's tenant, oldest first.
func (db *DB) pendingRequestsFor(ctx context.Context, tx *sql.Tx, u *convene.User) ([]*convene.AccessRequest, error) {
	return queryAll(ctx, db, tx, "access request", scanAccessRequest, accessRequestSelect+`
		WHERE r.tenant_id = ? AND r.status = 'pending' AND ((r.kind = 'email' AND r.contact = ?) OR (r.kind = 'phone' AND r.contact = ?))
		ORDER BY r.id`, u.TenantID, u.Email, u.Phone)
}

// planRequest decides what r may still grant (convene.DecideRequestGrant)
// from the requester and the sessions as tx sees them.
func (db *DB) planRequest(ctx context.Context, tx *sql.Tx, r *convene.AccessRequest) (convene.RequestGrant, error) {
	requester, err := db.findUser(ctx, tx, r.TenantID, r.RequestedBy)
	if err != nil && convene.ErrorCode(err) != convene.ENOTFOUND {
		return convene.RequestGrant{}, err
	}
	asker := requester
	if asker == nil {
		asker = &convene.User{ID: r.RequestedBy, TenantID: r.TenantID}
	}
	found, err := db.sessionsToManage(ctx, tx, convene.Actor{TenantID: r.TenantID, User: asker}, r.SessionIDs)
	if err != nil {
		return convene.RequestGrant{}, err
	}
	return convene.DecideRequestGrant(r, requester, found), nil
}

// grantRequest grants u what g says r still grants, returning the
// sessions u gained or was raised in.
func (db *DB) grantRequest(ctx context.Context, tx *sql.Tx, r *convene.AccessRequest, g convene.RequestGrant, u *convene.User) ([]int64, error) {
	if err := db.d.LockSessions(ctx, tx, slices.Sorted(slices.Values(g.Sessions))); err != nil {
		return nil, fmt.Errorf("lock sessions: %w", err)
	}
	var gained []int64
	for _, sid := range g.Sessions {
		o, _, err := db.grantPair(ctx, tx, pairGrant{TenantID: r.TenantID, SessionID: sid, UserID: u.ID, Access: r.Access,
			GrantedBy: r.RequestedBy, BatchID: r.BatchID})
		if err != nil {
			return nil, err
		}
		if o == convene.OutcomeAdded || o == convene.OutcomeUpgraded {
			gained = append(gained, sid)
		}
	}
	return gained, nil
}

// decideRequest records the decision of request id if it is still
// pending, and reports whether it was.
func (db *DB) decideRequest(ctx context.Context, tx *sql.Tx, id int64, status convene.AccessRequestStatus, reason string, userID, by int64) (bool, error) {
	n, err := db.execCount(ctx, tx, `UPDATE access_requests SET status = ?, reason = ?, user_id = ?, decided_by = ?, decided_at = ?
		WHERE id = ? AND status = 'pending'`, string(status), reason, nullID(userID), nullID(by), ns(db.clock()), id)
	if err != nil {
		return false, fmt.Errorf("decide access request: %w", err)
	}
	return n == 1, nil
}

const accessRequestSelect = `SELECT r.id, r.tenant_id, r.contact, r.kind, r.name, r.session_ids, r.access, r.requested_by, r.batch_id,
	r.status, r.reason, COALESCE(r.user_id, 0), COALESCE(r.decided_by, 0), r.decided_at, r.created_at FROM access_requests r`

func scanAccessRequest(row rowScanner) (*convene.AccessRequest, error) {
	var r convene.AccessRequest
	var kind, ids, access, status string
	var decided, created int64
	err := row.Scan(&r.ID, &r.TenantID, &r.Contact, &kind, &r.Name, &ids, &access, &r.RequestedBy, &r.BatchID,
		&status, &r.Reason, &r.UserID, &r.DecidedBy, &decided, &created)
	if err != nil {
		return nil, err
	}
	r.Kind, r.Access, r.Status = convene.ContactKind(kind), convene.Access(access), convene.AccessRequestStatus(status)
	r.DecidedAt, r.CreatedAt = ts(decided), ts(created)
	if err := json.Unmarshal([]byte(ids), &r.SessionIDs); err != nil {
		return nil, fmt.Errorf("decode access request %d: %w", r.ID, err)
	}
	return &r, nil
}
