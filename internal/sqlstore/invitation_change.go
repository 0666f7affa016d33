package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"convene"
	"convene/internal/auth"
)

// RevokeInvitation stops a pending invitation's link: the session's
// managers. ENOTFOUND; EUNAVAILABLE when it is no longer pending.
func (db *DB) RevokeInvitation(ctx context.Context, id int64) error {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		inv, err := db.managedInvitation(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if inv.Status != convene.InvitationPending {
			return convene.Errorf(convene.EUNAVAILABLE, "this invitation was already %s", inv.Status)
		}
		now := db.clock()
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE invitations SET status = ?, updated_at = ? WHERE id = ?`),
			string(convene.InvitationRevoked), ns(now), id); err != nil {
			return fmt.Errorf("revoke invitation: %w", err)
		}
		return db.insertAudit(ctx, tx, &convene.AuditEvent{TenantID: inv.TenantID, ActorID: actor.UserID(), Action: convene.AuditInvitationRevoked,
			SessionID: inv.SessionID, Before: string(inv.Access) + " " + inv.Contact})
	})
}

// ResendInvitation gives a pending (or expired) invitation a new secret and
// expiry and queues the message again; the old link stops working.
func (db *DB) ResendInvitation(ctx context.Context, id int64) (*convene.Invitation, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	var inv *convene.Invitation
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		if inv, err = db.managedInvitation(ctx, tx, actor, id); err != nil {
			return err
		}
		if inv.Status != convene.InvitationPending {
			return convene.Errorf(convene.EUNAVAILABLE, "this invitation was %s and cannot be sent again", inv.Status)
		}
		t, err := db.findTenant(ctx, tx, inv.TenantID)
		if err != nil {
			return err
		}
		if !t.GuestsAllowed {
			return convene.Errorf(convene.EUNAVAILABLE, "guests are turned off in this workspace")
		}
		hash := auth.UnknownSecretHash() // the old link stops working now; the worker mints the new one
		now := db.clock()
		inv.TokenHash, inv.ExpiresAt, inv.UpdatedAt = hash, now.Add(t.InvitationTTL), now
		inv.SentCount++
		if _, err := tx.ExecContext(ctx, db.q(`UPDATE invitations SET token_hash = ?, expires_at = ?, sent_count = ?, updated_at = ? WHERE id = ?`),
			hash, ns(inv.ExpiresAt), inv.SentCount, ns(now), id); err != nil {
			return fmt.Errorf("resend invitation: %w", err)
		}
		return db.enqueueInvitationLink(ctx, tx, inv)
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// AcceptInvitation redeems an invitation once, atomically: the guarded
// UPDATE lets exactly one of concurrent calls through, and everything else
// it does (checks, the user, the membership, the audit) is in the same
// transaction, so a refusal leaves the invitation pending.
func (db *DB) AcceptInvitation(ctx context.Context, tokenHash, name, passwordHash string) (*convene.Acceptance, error) {
	var acc *convene.Acceptance
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.clock()
		res, err := tx.ExecContext(ctx, db.q(`UPDATE invitations SET status = ?, accepted_at = ?, updated_at = ?
			WHERE token_hash = ? AND status = ? AND expires_at > ?`),
			string(convene.InvitationAccepted), ns(now), ns(now), tokenHash, string(convene.InvitationPending), ns(now))
		if err != nil {
			return fmt.Errorf("accept invitation: %w", err)
		}
		inv, err := db.invitationByToken(ctx, tx, tokenHash)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return convene.AcceptRefusal(inv.State(now))
		}
		acc, err = db.redeem(ctx, tx, inv, name, passwordHash)
		return err
	})
	if err != nil {
		return nil, err
	}
	return acc, nil
}

// redeem checks an invitation just marked accepted against the current
// state of its tenant, session and inviter, and lands its person in the
// session.
func (db *DB) redeem(ctx context.Context, tx *sql.Tx, inv *convene.Invitation, name, passwordHash string) (*convene.Acceptance, error) {
	t, err := db.findTenant(ctx, tx, inv.TenantID)
	if err != nil {
		return nil, err
	}
	if !t.GuestsAllowed {
		return nil, convene.Errorf(convene.EUNAVAILABLE, "guests are turned off in this workspace")
	}
	inviter, err := db.findUser(ctx, tx, inv.TenantID, inv.InviterID)
	if err != nil && convene.ErrorCode(err) != convene.ENOTFOUND {
		return nil, err
	}
	if inviter == nil || !db.mayManage(ctx, tx, inviter, inv.SessionID) {
		return nil, convene.Errorf(convene.EUNAVAILABLE, "the person who invited you can no longer add people to this session")
	}
	extra, err := db.extraSessionsToJoin(ctx, tx, inv, inviter)
	if err != nil {
		return nil, err
	}
	// Like a grant and a member change, so that the membership read below
	// is still true when it is written.
	if err := db.d.LockSessions(ctx, tx, slices.Sorted(slices.Values(append([]int64{inv.SessionID}, extra...)))); err != nil {
		return nil, fmt.Errorf("lock session: %w", err)
	}
	u, created, err := db.guestFor(ctx, tx, inv, name, passwordHash)
	if err != nil {
		return nil, err
	}
	_, access, err := db.grantPair(ctx, tx, pairGrant{TenantID: inv.TenantID, SessionID: inv.SessionID, UserID: u.ID,
		Access: inv.Access, GrantedBy: inv.InviterID})
	if err != nil {
		return nil, err
	}
	if err := db.joinExtraSessions(ctx, tx, inv, u.ID, extra); err != nil {
		return nil, err
	}
	if _, err := tx.ExecContext(ctx, db.q(`UPDATE invitations SET accepted_user_id = ? WHERE id = ?`), u.ID, inv.ID); err != nil {
		return nil, fmt.Errorf("accept invitation: %w", err)
	}
	inv.Status, inv.AcceptedUserID, inv.AcceptedAt = convene.InvitationAccepted, u.ID, db.clock()
	if err := db.insertAudit(ctx, tx, &convene.AuditEvent{TenantID: inv.TenantID, ActorID: u.ID, Action: convene.AuditInvitationAccept,
		SessionID: inv.SessionID, UserID: u.ID, After: string(access)}); err != nil {
		return nil, err
	}
	u.PasswordHash = ""
	return &convene.Acceptance{Invitation: inv, User: u, Access: access, Created: created}, nil
}

// mayManage reports whether u may still manage the members of a session.
func (db *DB) mayManage(ctx context.Context, tx *sql.Tx, u *convene.User, sessionID int64) bool {
	actor := convene.Actor{TenantID: u.TenantID, User: u}
	return db.checkSessions(ctx, tx, actor, []int64{sessionID}) == nil
}

// guestFor returns the user with the invited contact, created now as a
// guest unless someone registered with it meanwhile.
func (db *DB) guestFor(ctx context.Context, tx *sql.Tx, inv *convene.Invitation, name, passwordHash string) (*convene.User, bool, error) {
	col := "email"
	if inv.Kind == convene.ContactPhone {
		col = "phone"
	}
	u, err := scanUser(tx.QueryRowContext(ctx, db.q(`SELECT `+userColumns+` FROM users u WHERE u.tenant_id = ? AND u.`+col+` = ?`), inv.TenantID, inv.Contact))
	switch {
	case err == nil && u.Disabled:
		return nil, false, convene.Errorf(convene.EUNAVAILABLE, "the account with this contact is disabled")
	case err == nil:
		return u, false, nil
	case err != sql.ErrNoRows:
		return nil, false, fmt.Errorf("find invited user: %w", err)
	}
	u = &convene.User{TenantID: inv.TenantID, Name: name, Role: convene.RoleGuest, PasswordHash: passwordHash}
	if inv.Kind == convene.ContactPhone {
		u.Phone = inv.Contact
	} else {
		u.Email = inv.Contact
	}
	if err := validateUser(u); err != nil {
		return nil, false, err
	}
	if passwordHash == "" {
		return nil, false, convene.FieldErrorf("password", "is required")
	}
	return u, true, db.registerUser(ctx, tx, inv.InviterID, u)
}

// pairGrant is one person given access to one session outside a batch's
// set-based statements: an accepted invitation, a request granting itself.
type pairGrant struct {
	TenantID, SessionID, UserID int64
	Access                      convene.Access
	GrantedBy                   int64 // the inviter or requester; audited as the actor
	BatchID                     int64 // audited under this batch; 0 for none
}

// grantPair gives g.UserID g.Access to g.SessionID, never lowering it
// (convene.DecideGrant), audited and told live; it returns the outcome and the access
// the person has now.
func (db *DB) grantPair(ctx context.Context, tx *sql.Tx, g pairGrant) (convene.Outcome, convene.Access, error) {
	m, err := db.findMembership(ctx, tx, g.SessionID, g.UserID)
	current := convene.Access("")
	if err == nil {
		current = m.Access
	} else if convene.ErrorCode(err) != convene.ENOTFOUND {
		return "", "", err
	}
	outcome, access := convene.DecideGrant(current, g.Access)
	e := &convene.AuditEvent{TenantID: g.TenantID, ActorID: g.GrantedBy, SessionID: g.SessionID, UserID: g.UserID,
		Before: string(current), After: string(access), BatchID: g.BatchID}
	switch outcome {
	case convene.OutcomeAdded:
		e.Action = convene.AuditMemberAdded
		err = db.insertMembership(ctx, tx, &convene.Membership{SessionID: g.SessionID, UserID: g.UserID, Access: access, GrantedBy: g.GrantedBy})
	case convene.OutcomeUpgraded:
		e.Action = convene.AuditMemberUpgraded
		err = db.updateAccess(ctx, tx, m, access)
	default:
		return outcome, access, nil
	}
	if err != nil {
		return "", "", err
	}
	if err := db.pairChanged(ctx, tx, g.TenantID, g.SessionID, g.UserID, access); err != nil {
		return "", "", err
	}
	return outcome, access, db.insertAudit(ctx, tx, e)
}
