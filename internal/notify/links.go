package notify

import (
	"context"
	"encoding/json"
	"fmt"

	"convene"
	"convene/internal/auth"
)

// linkPayload is the payload of the link kinds: the row and the raw
// secret, which the store drops once the job is sent or failed.
type linkPayload struct {
	InvitationID int64  `json:"invitation_id,omitempty"`
	LinkID       int64  `json:"link_id,omitempty"`
	Token        string `json:"token,omitempty"`
}

// renderLink renders the kinds that carry a single-use link (guest
// invitations, set-password and reset links). ok is false for other kinds.
func (w *Worker) renderLink(ctx context.Context, job *convene.Job) (r func() (rendered, error), ok bool) {
	var render func(context.Context, *convene.Job, linkPayload) (rendered, error)
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
		if err := json.Unmarshal(job.Payload, &p); err != nil || p.Token == "" {
			return rendered{}, errPermanentf("payload without its link (already sent?)")
		}
		out, err := render(ctx, job, p)
		out.Secrets = []string{p.Token}
		return out, err
	}, true
}

// renderInvitation renders a guest invitation, unless it was accepted,
// revoked, resent (its token replaced) or expired since it was queued.
func (w *Worker) renderInvitation(ctx context.Context, job *convene.Job, p linkPayload) (rendered, error) {
	inv, err := w.store.FindInvitationByToken(ctx, auth.HashSecret(p.Token))
	if convene.ErrorCode(err) == convene.ENOTFOUND {
		return rendered{}, errPermanentf("the invitation was resent or deleted: this link no longer works")
	} else if err != nil {
		return rendered{}, fmt.Errorf("invitation %d: %w", p.InvitationID, err)
	}
	if st := inv.State(w.cfg.Now()); st != convene.InvitationPending {
		return rendered{}, errPermanentf("the invitation is %s", st)
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
		URL:      w.cfg.PublicURL + "/invite/" + p.Token,
		Expires:  inv.ExpiresAt.UTC().Format("2 January 2006, 15:04 MST"),
	}
	if err := fill(&m, inviteTemplate, data); err != nil {
		return rendered{}, Permanent(err)
	}
	return rendered{Message: m}, nil
}

// renderPasswordLink renders a set-password or reset link, unless it was
// used or replaced since.
func (w *Worker) renderPasswordLink(ctx context.Context, job *convene.Job, p linkPayload) (rendered, error) {
	link, user, err := w.store.FindPasswordLink(ctx, auth.HashSecret(p.Token))
	if convene.ErrorCode(err) == convene.ENOTFOUND {
		return rendered{}, errPermanentf("the link was used, replaced or has expired")
	} else if err != nil {
		return rendered{}, fmt.Errorf("password link %d: %w", p.LinkID, err)
	}
	m, err := address(job.ID, user.Name, user.Email, user.Phone)
	if err != nil {
		return rendered{}, err
	}
	_, tenant := w.names(ctx, 0)
	data := passwordData{
		Name: user.Name, Tenant: tenant, Login: user.Login(),
		Reset:   link.Purpose == convene.PasswordLinkReset,
		URL:     w.cfg.PublicURL + "/set-password/" + p.Token,
		Expires: link.ExpiresAt.UTC().Format("2 January 2006, 15:04 MST"),
	}
	if err := fill(&m, passwordTemplate, data); err != nil {
		return rendered{}, Permanent(err)
	}
	return rendered{Message: m}, nil
}
