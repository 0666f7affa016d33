package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
	"convene/internal/auth"
)

var _ convene.InvitationService = (*DB)(nil)

const invitationSelect = `SELECT i.id, i.tenant_id, i.session_id, i.inviter_id, i.contact, i.kind, i.access, i.status, i.token_hash,
	i.expires_at, i.sent_count, i.created_at, i.updated_at, i.accepted_at, COALESCE(i.accepted_user_id, 0),
	s.title, COALESCE(u.name, ''), t.name, t.slug,
	(SELECT COUNT(*) FROM invitation_sessions x WHERE x.invitation_id = i.id)
	FROM invitations i JOIN sessions s ON s.id = i.session_id JOIN tenants t ON t.id = i.tenant_id
	LEFT JOIN users u ON u.id = i.inviter_id`

func scanInvitation(row rowScanner) (*convene.Invitation, error) {
	var inv convene.Invitation
	var kind, access, status string
	var expires, created, updated, accepted int64
	err := row.Scan(&inv.ID, &inv.TenantID, &inv.SessionID, &inv.InviterID, &inv.Contact, &kind, &access, &status, &inv.TokenHash,
		&expires, &inv.SentCount, &created, &updated, &accepted, &inv.AcceptedUserID,
		&inv.SessionTitle, &inv.InviterName, &inv.TenantName, &inv.TenantSlug, &inv.OtherSessions)
	if err != nil {
		return nil, err
	}
	inv.Kind, inv.Access, inv.Status = convene.ContactKind(kind), convene.Access(access), convene.InvitationStatus(status)
	inv.ExpiresAt, inv.CreatedAt, inv.UpdatedAt, inv.AcceptedAt = ts(expires), ts(created), ts(updated), ts(accepted)
	return &inv, nil
}

// InviteToSession adds registered contacts to the session as Grant does and
// invites unregistered ones as guests, in one transaction with the jobs
// that tell them. See convene.InvitationService.
func (db *DB) InviteToSession(ctx context.Context, sessionID int64, contacts []string, access convene.Access) ([]convene.InviteResult, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if access == "" {
		access = convene.AccessCollaborate
	}
	req := convene.GrantRequest{SessionIDs: []int64{sessionID}, Contacts: contacts, Access: access}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if err := db.checkSessions(ctx, db.read, actor, req.SessionIDs); err != nil {
		return nil, err
	}
	var results []convene.InviteResult
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		t, res, err := db.resolve(ctx, tx, actor, contacts)
		if err != nil {
			return err
		}
		results, err = db.applyInvite(ctx, tx, actor, t, &req, res)
		return err
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

// applyInvite is the write transaction of InviteToSession, given the
// tenant and the contacts resolved in it.
func (db *DB) applyInvite(ctx context.Context, tx *sql.Tx, actor convene.Actor, t *convene.Tenant, req *convene.GrantRequest, res []convene.Resolution) ([]convene.InviteResult, error) {
	b := &convene.Batch{TenantID: actor.TenantID, ActorID: actor.UserID(), Access: req.Access, SessionIDs: req.SessionIDs,
		Fingerprint: req.Fingerprint(), CreatedAt: db.clock()}
	if len(registeredIDs(res)) > 0 {
		if err := db.applyGrant(ctx, tx, actor, b, nil, res, true); err != nil {
			return nil, err
		}
	} else if err := db.checkSessions(ctx, tx, actor, req.SessionIDs); err != nil {
		return nil, err
	}
	out := convene.DecideInvite(res, b.Results, t.GuestsAllowed)
	for i, r := range res {
		if out[i].Outcome != convene.OutcomeInvited {
			continue
		}
		inv := &convene.Invitation{TenantID: t.ID, SessionID: req.SessionIDs[0], InviterID: actor.UserID(),
			Contact: r.Normalized, Kind: r.Kind, Access: req.Access}
		if err := db.insertInvitation(ctx, tx, t, inv); err != nil {
			return nil, err
		}
		out[i].InvitationID = inv.ID
	}
	return out, nil
}

// insertInvitation replaces any pending invitation of the contact to the
// session with inv and queues its message. The row gets the hash of a
// secret nobody holds; the worker mints the one it sends.
func (db *DB) insertInvitation(ctx context.Context, tx *sql.Tx, t *convene.Tenant, inv *convene.Invitation) error {
	if inv.InviterID == 0 {
		return convene.Errorf(convene.EINVALID, "only a person can invite guests")
	}
	now := db.clock()
	_, err := tx.ExecContext(ctx, db.q(`UPDATE invitations SET status = ?, updated_at = ? WHERE session_id = ? AND contact = ? AND status = ?`),
		string(convene.InvitationRevoked), ns(now), inv.SessionID, inv.Contact, string(convene.InvitationPending))
	if err != nil {
		return fmt.Errorf("replace invitation: %w", err)
	}
	hash := auth.UnknownSecretHash()
	inv.Status, inv.TokenHash, inv.ExpiresAt, inv.SentCount, inv.CreatedAt, inv.UpdatedAt =
		convene.InvitationPending, hash, now.Add(t.InvitationTTL), 1, now, now
	err = tx.QueryRowContext(ctx, db.q(`INSERT INTO invitations (tenant_id, session_id, inviter_id, contact, kind, access, status, token_hash, expires_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
		inv.TenantID, inv.SessionID, inv.InviterID, inv.Contact, string(inv.Kind), string(inv.Access), string(inv.Status), hash,
		ns(inv.ExpiresAt), ns(now), ns(now)).Scan(&inv.ID)
	if db.d.IsUniqueViolation(err) {
		return convene.Errorf(convene.ECONFLICT, "%s was invited to this session at the same moment; try again", inv.Contact)
	} else if err != nil {
		return fmt.Errorf("insert invitation: %w", err)
	}
	if err := db.insertAudit(ctx, tx, &convene.AuditEvent{TenantID: inv.TenantID, ActorID: inv.InviterID, Action: convene.AuditInvitationCreated,
		SessionID: inv.SessionID, After: string(inv.Access) + " " + inv.Contact}); err != nil {
		return err
	}
	if err := db.insertInvitationSessions(ctx, tx, inv); err != nil {
		return err
	}
	return db.enqueueInvitationLink(ctx, tx, inv)
}

// enqueueInvitationLink queues the message of inv's link. The job names the
// invitation and the send it is for, never a secret: the worker mints the
// secret when it sends (MintInvitationLink).
func (db *DB) enqueueInvitationLink(ctx context.Context, tx *sql.Tx, inv *convene.Invitation) error {
	return db.enqueueJob(ctx, tx, inv.TenantID, convene.JobGuestInvitation, invitationJob{InvitationID: inv.ID, Sent: inv.SentCount})
}

// enqueuePasswordLink queues the message of password link linkID; the
// worker mints its secret when it sends (MintPasswordLink).
func (db *DB) enqueuePasswordLink(ctx context.Context, tx *sql.Tx, tenantID, linkID int64) error {
	return db.enqueueJob(ctx, tx, tenantID, convene.JobSetPassword, passwordLinkJob{LinkID: linkID})
}

// The payloads of the link jobs (see convene.JobGuestInvitation): ids only.
type (
	invitationJob struct {
		InvitationID int64 `json:"invitation_id"`
		Sent         int   `json:"sent"`
	}
	passwordLinkJob struct {
		LinkID int64 `json:"link_id"`
	}
)

// FindInvitations lists invitations the actor may manage, newest first.
func (db *DB) FindInvitations(ctx context.Context, f convene.InvitationFilter) ([]*convene.Invitation, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	query, args := invitationSelect+` WHERE i.tenant_id = ?`, []any{actor.TenantID}
	switch {
	case f.SessionID != 0:
		if err := db.checkSessions(ctx, db.read, actor, []int64{f.SessionID}); err != nil {
			return nil, err
		}
		query, args = query+` AND i.session_id = ?`, append(args, f.SessionID)
	case !convene.Allowed(actor, convene.PermSeeAllSession, nil, ""):
		if actor.User.Role == convene.RoleGuest {
			return nil, convene.Errorf(convene.EFORBIDDEN, "guests cannot see invitations")
		}
		query, args = query+` AND s.owner_id = ?`, append(args, actor.UserID())
	}
	now := ns(db.clock())
	switch f.Status {
	case "", convene.InvitationPending:
		query, args = query+` AND i.status = 'pending' AND i.expires_at > ?`, append(args, now)
	case convene.InvitationExpired:
		query, args = query+` AND i.status = 'pending' AND i.expires_at <= ?`, append(args, now)
	case convene.InvitationAccepted, convene.InvitationRevoked:
		query, args = query+` AND i.status = ?`, append(args, string(f.Status))
	case "all":
	default:
		return nil, convene.FieldErrorf("status", "must be pending, expired, accepted or revoked")
	}
	query += fmt.Sprintf(` ORDER BY i.id DESC LIMIT %d`, clampLimit(f.Limit, 100, 500))
	return queryAll(ctx, db, db.read, "invitation", scanInvitation, query, args...)
}

// FindInvitationByToken returns the invitation of a secret's hash, whatever
// its status; it needs no actor.
func (db *DB) FindInvitationByToken(ctx context.Context, tokenHash string) (*convene.Invitation, error) {
	return db.invitationByToken(ctx, db.read, tokenHash)
}

func (db *DB) invitationByToken(ctx context.Context, q querier, tokenHash string) (*convene.Invitation, error) {
	inv, err := scanInvitation(q.QueryRowContext(ctx, db.q(invitationSelect+` WHERE i.token_hash = ?`), tokenHash))
	if err != nil {
		return nil, notFound(err, "this invitation link is not valid")
	}
	return inv, nil
}

// managedInvitation loads an invitation of the actor's tenant whose session
// the actor may manage: ENOTFOUND or EFORBIDDEN otherwise.
func (db *DB) managedInvitation(ctx context.Context, q querier, actor convene.Actor, id int64) (*convene.Invitation, error) {
	inv, err := scanInvitation(q.QueryRowContext(ctx, db.q(invitationSelect+` WHERE i.tenant_id = ? AND i.id = ?`), actor.TenantID, id))
	if err != nil {
		return nil, notFound(err, "invitation %d not found", id)
	}
	if err := db.checkSessions(ctx, q, actor, []int64{inv.SessionID}); err != nil {
		if convene.ErrorCode(err) == convene.ENOTFOUND {
			return nil, convene.Errorf(convene.ENOTFOUND, "invitation %d not found", id)
		}
		return nil, err
	}
	return inv, nil
}
