package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"convene"
)

// A link's secret is minted by the delivery worker when it sends the
// message, and only its hash is written, in the same statement that makes
// it the link's one valid secret. Nothing that reaches the disk (a job's
// payload, a row, the write-ahead log, a backup) ever holds it in clear.

// MintInvitationLink stores tokenHash as the secret of the pending
// invitation id, for the message of its send number sent. See
// convene.InvitationService.
func (db *DB) MintInvitationLink(ctx context.Context, id int64, sent int, tokenHash string) (*convene.Invitation, error) {
	var inv *convene.Invitation
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, db.q(`UPDATE invitations SET token_hash = ?
			WHERE id = ? AND status = ? AND sent_count = ? AND expires_at > ?`),
			tokenHash, id, string(convene.InvitationPending), sent, ns(db.clock()))
		if err != nil {
			return fmt.Errorf("mint invitation link: %w", err)
		}
		inv, err = scanInvitation(tx.QueryRowContext(ctx, db.q(invitationSelect+` WHERE i.id = ?`), id))
		if err != nil {
			return notFound(err, "invitation %d not found", id)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return convene.SendRefusal(inv, sent, inv.State(db.clock()))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// MintPasswordLink stores tokenHash as the secret of the usable password
// link id and returns it with its user. See convene.PasswordLinkService.
func (db *DB) MintPasswordLink(ctx context.Context, id int64, tokenHash string) (*convene.PasswordLink, *convene.User, error) {
	var link *convene.PasswordLink
	var user *convene.User
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		// The link is checked first, its user included, so that an
		// unusable link keeps the secret it had (none anyone holds).
		if link, user, err = db.usablePasswordLink(ctx, tx, `l.id = ?`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, db.q(`UPDATE password_links SET token_hash = ? WHERE id = ? AND used_at = 0`), tokenHash, id)
		if err != nil {
			return fmt.Errorf("mint password link: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return convene.Errorf(convene.ENOTFOUND, "this link was used meanwhile")
		}
		link.TokenHash = tokenHash
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return link, user, nil
}
