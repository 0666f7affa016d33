package ui

import (
	"net/http"
	"strings"

	"convene"
	"convene/internal/auth"
	"convene/internal/httpd"
)

// deliveryView is what the invitation, password and outbox pages receive.
type deliveryView struct {
	pageView
	Invitation *convene.Invitation
	State      convene.InvitationStatus
	Error      string // a message for the person, shown above the form
	Name       string // the name typed, kept on a failed submit
	Reset      bool   // set-password page: a reset rather than a first password
	Done       bool   // reset request: sent (or not: the answer is the same)
	Jobs       []*convene.Job
}

// invitePage shows an invitation and its registration form. It never
// changes the invitation.
func (p *pages) invitePage(w http.ResponseWriter, r *http.Request) {
	v, status := p.invitationForm(r, r.PathValue("token"))
	p.render(w, r, status, "invite", v)
}

// invitationForm is the view of the invitation of token, and the status
// to show it with: 200 while it can be accepted, 410 once it cannot, the
// look-up's status when there is none.
func (p *pages) invitationForm(r *http.Request, token string) (deliveryView, int) {
	v := deliveryView{pageView: pageView{Title: "Invitation"}}
	inv, err := p.store.FindInvitationByToken(r.Context(), auth.HashSecret(token))
	if err != nil {
		status, msg := p.pageStatus(r, err)
		v.Title, v.Error = "Invitation not valid", msg
		return v, status
	}
	v.Invitation, v.State = inv, inv.State(p.Now())
	if v.State != convene.InvitationPending {
		v.Title, v.Error = unavailable(v.State)
		return v, http.StatusGone
	}
	return v, http.StatusOK
}

// unavailable explains to the person who opened it why an invitation
// cannot be used: a title and what to do.
func unavailable(st convene.InvitationStatus) (title, text string) {
	switch st {
	case convene.InvitationAccepted:
		return "Invitation already used", "This invitation was already used. If it was you, sign in instead."
	case convene.InvitationRevoked:
		return "Invitation withdrawn", "This invitation was withdrawn, or replaced by a newer one. Ask the person who invited you for a new link."
	case convene.InvitationExpired:
		return "Invitation expired", "This invitation has expired. Ask the person who invited you to send it again."
	}
	return "Invitation not valid", "This invitation cannot be used."
}

// inviteSubmit registers the guest and lands them in the session. A
// refused submit shows the form again while the invitation can still be
// accepted, with what was wrong.
func (p *pages) inviteSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	name, password := r.PostFormValue("name"), r.PostFormValue("password")
	acc, err := p.AcceptGuest(r, token, strings.TrimSpace(name), password)
	if err != nil {
		status, msg := p.pageStatus(r, err)
		v, _ := p.invitationForm(r, token)
		if v.Invitation == nil || v.State == convene.InvitationPending {
			v.Error = msg
		}
		v.Name = name
		p.render(w, r, status, "invite", v)
		return
	}
	if _, err := p.SignIn(w, r, acc.User); err != nil {
		status, msg := p.pageStatus(r, err)
		p.render(w, r, status, "invite", deliveryView{pageView: pageView{Title: "Invitation"}, Error: msg})
		return
	}
	http.Redirect(w, r, "/sessions/"+httpd.FormatID(acc.Invitation.SessionID), http.StatusSeeOther)
}
