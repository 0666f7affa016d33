package sqlstore

import (
	"context"
	"database/sql"

	"convene"
)

// ApproveAccessRequests registers the person of each request, which grants
// it (registerUser), all in one transaction. See convene.AccessRequestService.
func (db *DB) ApproveAccessRequests(ctx context.Context, ids []int64) ([]*convene.AccessRequest, error) {
	return db.decideRequests(ctx, ids, convene.PermManageUsers, func(tx *sql.Tx, actor convene.Actor, r *convene.AccessRequest) error {
		return db.approve(ctx, tx, actor, r)
	})
}

// DeclineAccessRequests declines pending requests, all or none. See
// convene.AccessRequestService.
func (db *DB) DeclineAccessRequests(ctx context.Context, ids []int64) ([]*convene.AccessRequest, error) {
	return db.decideRequests(ctx, ids, convene.PermMultiInvite, func(tx *sql.Tx, actor convene.Actor, r *convene.AccessRequest) error {
		_, err := db.decideRequest(ctx, tx, r.ID, convene.RequestDeclined, "", 0, actor.UserID())
		return err
	})
}

// decideRequests runs decide on each pending request of ids, in one
// transaction, for an actor with perm, and returns them as they are after.
func (db *DB) decideRequests(ctx context.Context, ids []int64, perm convene.Permission,
	decide func(*sql.Tx, convene.Actor, *convene.AccessRequest) error) ([]*convene.AccessRequest, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := convene.Authorize(actor, perm, nil, ""); err != nil {
		return nil, err
	}
	if err := convene.ValidateRequestIDs(ids); err != nil {
		return nil, err
	}
	var out []*convene.AccessRequest
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		reqs, err := db.pendingByIDs(ctx, tx, actor, ids)
		if err != nil {
			return err
		}
		for _, r := range reqs {
			if err := decide(tx, actor, r); err != nil {
				return err
			}
		}
		out, err = db.requestsByIDs(ctx, tx, actor.TenantID, ids)
		return err
	})
	return out, err
}

// approve registers r's person as a member with a set-password link sent,
// which grants r and every other request waiting for them. A request an
// earlier one of the same call granted already is left as it is; when
// someone has the contact already, their waiting requests are granted.
func (db *DB) approve(ctx context.Context, tx *sql.Tx, actor convene.Actor, r *convene.AccessRequest) error {
	emails, phones := contactLists(r.Kind, r.Contact)
	users, err := db.usersByContacts(ctx, tx, actor.TenantID, emails, phones, "")
	if err != nil {
		return err
	}
	if len(users) > 0 {
		err = db.fulfillRequests(ctx, tx, users[0])
	} else {
		err = db.registerWithLink(ctx, tx, actor, newMemberFor(actor.TenantID, r.Kind, r.Contact, r.Name))
	}
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, db.q(`UPDATE access_requests SET decided_by = ? WHERE id = ? AND status = 'granted' AND decided_by IS NULL`),
		actor.UserID(), r.ID)
	return err
}

// registerWithLink registers u on behalf of actor and queues a
// set-password link for them, so that nobody is left without a way in.
func (db *DB) registerWithLink(ctx context.Context, tx *sql.Tx, actor convene.Actor, u *convene.User) error {
	if err := db.newUserWithLink(ctx, tx, actor, u); err != nil {
		return err
	}
	return db.fulfillRequests(ctx, tx, u)
}

// newUserWithLink is registerWithLink without the requests (see
// insertNewUser).
func (db *DB) newUserWithLink(ctx context.Context, tx *sql.Tx, actor convene.Actor, u *convene.User) error {
	if err := validateUser(u); err != nil {
		return err
	}
	if err := db.insertNewUser(ctx, tx, actor.UserID(), u); err != nil {
		return err
	}
	_, err := db.insertPasswordLink(ctx, tx, u, convene.PasswordLinkRequest{UserID: u.ID, Purpose: convene.PasswordLinkSet, Send: true})
	return err
}

// newMemberFor is the member a contact nobody has becomes when registered
// for them: named name, else by the contact itself.
func newMemberFor(tenantID int64, kind convene.ContactKind, contact, name string) *convene.User {
	u := &convene.User{TenantID: tenantID, Name: name, Role: convene.RoleMember}
	if u.Name == "" {
		u.Name = contact
	}
	if kind == convene.ContactPhone {
		u.Phone = contact
	} else {
		u.Email = contact
	}
	return u
}

// contactLists puts one contact in the list of its kind.
func contactLists(kind convene.ContactKind, contact string) (emails, phones []string) {
	if kind == convene.ContactPhone {
		return nil, []string{contact}
	}
	return []string{contact}, nil
}

// requestsByIDs reads the requests of ids, in id order, sessions named.
func (db *DB) requestsByIDs(ctx context.Context, q querier, tenantID int64, ids []int64) ([]*convene.AccessRequest, error) {
	items, err := queryAll(ctx, db, q, "access request", scanAccessRequest,
		accessRequestSelect+` WHERE r.tenant_id = ? AND `+db.d.InIDs("r.id")+` ORDER BY r.id`, tenantID, db.d.IDsArg(ids))
	if err != nil {
		return nil, err
	}
	return items, db.nameSessions(ctx, q, tenantID, items)
}
