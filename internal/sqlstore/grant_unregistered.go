package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
)

// grantWithMode is a grant's transaction with what its mode does to the
// unregistered contacts (contract section 14): the register mode creates
// them before the grant decides, so that they are granted like the
// others; the request and guest modes make their requests and
// invitations once the batch has an id. A dry run decides the same and
// writes nothing.
func (db *DB) grantWithMode(ctx context.Context, tx *sql.Tx, actor convene.Actor, t *convene.Tenant,
	req *convene.GrantRequest, b *convene.Batch, res []convene.Resolution) error {
	if err := convene.AuthorizeUnregistered(actor, req.Unregistered, t.GuestsAllowed); err != nil {
		return err
	}
	convene.SettleUnregistered(req.Unregistered, res)
	created, err := db.registerNow(ctx, tx, actor, res, !req.DryRun)
	if err != nil {
		return err
	}
	if err := db.applyGrant(ctx, tx, actor, b, req.SessionQuery, res, !req.DryRun); err != nil {
		return err
	}
	for _, u := range created {
		if err := db.fulfillRequests(ctx, tx, u); err != nil {
			return err
		}
	}
	if req.DryRun {
		for i := range b.Results {
			if b.Results[i].Status == convene.StatusRegisteredNow {
				b.Results[i].UserID = 0 // a placeholder of registerNow
			}
		}
		return nil
	}
	return db.askAndInvite(ctx, tx, actor, t, b, res)
}

// registerNow registers, as members with a set-password link, the
// entries SettleUnregistered marked registered_now, and fills their User.
// Without write it only validates them, giving each a distinct negative
// placeholder id that no membership has. It returns the users it created,
// whose waiting requests the caller grants once the batch is written.
func (db *DB) registerNow(ctx context.Context, tx *sql.Tx, actor convene.Actor, res []convene.Resolution, write bool) ([]*convene.User, error) {
	var created []*convene.User
	placeholder := int64(0)
	for i := range res {
		r := &res[i]
		if r.Status != convene.StatusRegisteredNow {
			continue
		}
		u := newMemberFor(actor.TenantID, r.Kind, r.Normalized, convene.NameOfContact(r.Contact))
		if err := validateUser(u); err != nil {
			return nil, entryError(i, r.Input, err)
		}
		if write {
			if err := db.newUserWithLink(ctx, tx, actor, u); err != nil {
				return nil, err
			}
			created = append(created, u)
		} else {
			placeholder--
			u.ID = placeholder
		}
		r.User = u
	}
	return created, nil
}

// entryError turns the refusal of entry i into EINVALID naming the entry.
func entryError(i int, input string, err error) error {
	return &convene.Error{Code: convene.EINVALID, Entries: []convene.EntryError{{Index: i, Input: input, Reason: convene.ErrorMessage(err)}},
		Message: fmt.Sprintf("entry %d (%s) cannot be registered: %s; nothing was applied", i+1, input, convene.ErrorMessage(err))}
}

// askAndInvite makes the access request of every requested entry and the
// guest invitation (one for all the sessions) of every invited one, and
// stores the batch's results again with their ids. A batch replayed by
// applyGrant has its ids already and is left alone.
func (db *DB) askAndInvite(ctx context.Context, tx *sql.Tx, actor convene.Actor, t *convene.Tenant, b *convene.Batch, res []convene.Resolution) error {
	made := false
	for i := range b.Results {
		br, r := &b.Results[i], res[i]
		switch {
		case br.Status == convene.StatusRequested && br.RequestID == 0:
			ar := &convene.AccessRequest{TenantID: b.TenantID, Contact: r.Normalized, Kind: r.Kind, Name: convene.NameOfContact(r.Contact),
				SessionIDs: b.SessionIDs, Access: b.Access, RequestedBy: actor.UserID(), BatchID: b.ID}
			if ar.Name == ar.Contact {
				ar.Name = ""
			}
			if err := db.insertAccessRequest(ctx, tx, ar); err != nil {
				return err
			}
			br.RequestID, made = ar.ID, true
		case br.Status == convene.StatusInvited && br.InvitationID == 0:
			inv := &convene.Invitation{TenantID: b.TenantID, SessionID: b.SessionIDs[0], SessionIDs: b.SessionIDs, InviterID: actor.UserID(),
				Contact: r.Normalized, Kind: r.Kind, Access: b.Access}
			if err := db.insertInvitation(ctx, tx, t, inv); err != nil {
				return err
			}
			br.InvitationID, made = inv.ID, true
		}
	}
	if !made {
		return nil
	}
	return db.storeResults(ctx, tx, b)
}

// storeResults writes b's results again, with what askAndInvite added.
func (db *DB) storeResults(ctx context.Context, tx *sql.Tx, b *convene.Batch) error {
	results, err := encodeResults(b)
	if err != nil {
		return fmt.Errorf("encode batch: %w", err)
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE batches SET results = ? WHERE id = ?`), string(results), b.ID); err != nil {
		return fmt.Errorf("store batch results: %w", err)
	}
	return nil
}
