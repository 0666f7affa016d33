package notify

import (
	"context"
	"encoding/json"
	"fmt"

	"convene"
	"convene/internal/auth"
)

// linkPayload is the payload of the link kinds: the link's row (and, for
// invitations, which send it is), never its secret.
type linkPayload struct {
	InvitationID int64 `json:"invitation_id,omitempty"`
	Sent         int   `json:"sent,omitempty"`
	LinkID       int64 `json:"link_id,omitempty"`
}

// renderLink renders the kinds that carry a single-use link (guest
// invitations, set-password and reset links). ok is false for other kinds.
// Each rendering mints the link's secret: only its hash is stored, in the
// same step, so a retry or a resend sends a fresh one and the secret sent
// before stops working.
func (w *Worker) renderLink(ctx context.Context, job *convene.Job) (r func() (rendered, error), ok bool) {
	var render func(context.Context, *convene.Job, linkPayload, string) (rendered, error)
	switch job.Kind {
	case convene.JobGuestInvitation:
		render = w.renderInvitation
	case convene.JobSetPassword:
		render = w.renderPasswordLink
	default:
		return nil, false
	}
	return func() (rendered, error) {
		var p linkPayload
		if err := json.Unmarshal(job.Payload, &p); err != nil || p.InvitationID+p.LinkID == 0 {
			return rendered{}, errPermanentf("bad payload %q", job.Payload)
		}
		secret, _ := auth.NewSecret()
		out, err := render(ctx, job, p, secret)
		out.Secrets = []string{secret}
		return out, err
	}, true
}

// unsendable marks the refusals of a mint (the link was used, replaced or
// has expired) as permanent: retrying will not change them.
func unsendable(err error) error {
	if c := convene.ErrorCode(err); c == convene.ENOTFOUND || c == convene.EUNAVAILABLE {
		return Permanent(err)
	}
	return err
}

// renderInvitation renders a guest invitation with secret, unless it was
// accepted, revoked, resent or expired since it was queued.
func (w *Worker) renderInvitation(ctx context.Context, job *convene.Job, p linkPayload, secret string) (rendered, error) {
	inv, err := w.store.MintInvitationLink(ctx, p.InvitationID, p.Sent, auth.HashSecret(secret))
	if err != nil {
		return rendered{}, fmt.Errorf("invitation %d: %w", p.InvitationID, unsendable(err))
	}
	var m Message
	if inv.Kind == convene.ContactPhone {
		m, err = address(job.ID, "", "", inv.Contact)
	} else {
		m, err = address(job.ID, "", inv.Contact, "")
	}
	if err != nil {
		return rendered{}, err
	}
	data := inviteData{
		Inviter: inv.InviterName, Tenant: inv.TenantName, Title: inv.SessionTitle,
		ViewOnly: inv.Access == convene.AccessView,
		URL:      w.cfg.PublicURL + "/invite/" + secret,
		Expires:  inv.ExpiresAt.UTC().Format("2 January 2006, 15:04 MST"),
	}
	if err := fill(&m, inviteTemplate, data); err != nil {
		return rendered{}, Permanent(err)
	}
	return rendered{Message: m}, nil
}

// renderPasswordLink renders a set-password or reset link with secret,
// unless it was used, replaced or expired since.
func (w *Worker) renderPasswordLink(ctx context.Context, job *convene.Job, p linkPayload, secret string) (rendered, error) {
	link, user, err := w.store.MintPasswordLink(ctx, p.LinkID, auth.HashSecret(secret))
	if err != nil {
		return rendered{}, fmt.Errorf("password link %d: %w", p.LinkID, unsendable(err))
	}
	m, err := address(job.ID, user.Name, user.Email, user.Phone)
	if err != nil {
		return rendered{}, err
	}
	_, tenant := w.names(ctx, 0)
	data := passwordData{
		Name: user.Name, Tenant: tenant, Login: user.Login(),
		Reset:   link.Purpose == convene.PasswordLinkReset,
		URL:     w.cfg.PublicURL + "/set-password/" + secret,
		Expires: link.ExpiresAt.UTC().Format("2 January 2006, 15:04 MST"),
	}
	if err := fill(&m, passwordTemplate, data); err != nil {
		return rendered{}, Permanent(err)
	}
	return rendered{Message: m}, nil
}
