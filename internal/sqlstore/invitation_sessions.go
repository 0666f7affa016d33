package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"convene"
)

// An invitation to several sessions (the guest mode of a multi-invite)
// keeps its first session in invitations.session_id, as one of section 8
// does, and the others in invitation_sessions: one link lands the guest in
// all of them.

// insertInvitationSessions stores the sessions of inv beyond its first.
func (db *DB) insertInvitationSessions(ctx context.Context, tx *sql.Tx, inv *convene.Invitation) error {
	for _, id := range inv.SessionIDs {
		if id == inv.SessionID {
			continue
		}
		if _, err := tx.ExecContext(ctx, db.q(`INSERT INTO invitation_sessions (invitation_id, session_id) VALUES (?, ?)`), inv.ID, id); err != nil {
			return fmt.Errorf("insert invitation session: %w", err)
		}
	}
	return nil
}

// invitationSessions returns every session of inv that still exists, its
// first one first, and fills inv.SessionIDs with them.
func (db *DB) invitationSessions(ctx context.Context, q querier, inv *convene.Invitation) ([]int64, error) {
	ids := []int64{inv.SessionID}
	err := queryEach(ctx, db, q, "invitation session", func(row rowScanner) error {
		var id int64
		if err := row.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	}, `SELECT session_id FROM invitation_sessions WHERE invitation_id = ? ORDER BY session_id`, inv.ID)
	inv.SessionIDs = ids
	return ids, err
}

// extraSessionsToJoin returns the sessions of inv beyond its first that
// the inviter may still manage, sorted; the others are left out, as an
// access request whose requester lost the right grants what is still
// allowed.
func (db *DB) extraSessionsToJoin(ctx context.Context, tx *sql.Tx, inv *convene.Invitation, inviter *convene.User) ([]int64, error) {
	ids, err := db.invitationSessions(ctx, tx, inv)
	if err != nil || len(ids) == 1 {
		return nil, err
	}
	found, err := db.sessionsToManage(ctx, tx, convene.Actor{TenantID: inv.TenantID, User: inviter}, ids[1:])
	if err != nil {
		return nil, err
	}
	var keep []int64
	for _, id := range ids[1:] {
		if s := found[id]; s != nil && convene.Allowed(convene.Actor{TenantID: inv.TenantID, User: inviter}, convene.PermManageMembers, s, s.MyAccess) {
			keep = append(keep, id)
		}
	}
	slices.Sort(keep)
	return keep, nil
}

// joinExtraSessions grants userID the invitation's access to extra.
func (db *DB) joinExtraSessions(ctx context.Context, tx *sql.Tx, inv *convene.Invitation, userID int64, extra []int64) error {
	for _, id := range extra {
		if _, _, err := db.grantPair(ctx, tx, pairGrant{TenantID: inv.TenantID, SessionID: id, UserID: userID,
			Access: inv.Access, GrantedBy: inv.InviterID}); err != nil {
			return err
		}
	}
	return nil
}
