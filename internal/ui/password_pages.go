package ui

import (
	"net/http"

	"convene"
	"convene/internal/auth"
)

// The set-password and reset pages: where the links of new users and of
// password resets lead, and where a person asks for a reset.

func (p *pages) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	v, err := p.passwordForm(r, r.PathValue("token"))
	if err != nil {
		status, msg := p.pageStatus(r, err)
		v.Error = msg
		p.render(w, r, status, "password_set", v)
		return
	}
	p.render(w, r, http.StatusOK, "password_set", v)
}

func (p *pages) setPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	u, err := p.UsePasswordLink(r.Context(), token, r.PostFormValue("password"), r.PostFormValue("confirm"))
	if err != nil {
		status, msg := p.pageStatus(r, err)
		// A password refused: the link still works, so the form stays.
		v, _ := p.passwordForm(r, token)
		v.Error = msg
		p.render(w, r, status, "password_set", v)
		return
	}
	if _, err := p.SignIn(w, r, u); err != nil {
		status, msg := p.pageStatus(r, err)
		p.render(w, r, status, "password_set", deliveryView{pageView: pageView{Title: "Choose a password"}, Error: msg})
		return
	}
	http.Redirect(w, r, "/sessions", http.StatusSeeOther)
}

// passwordForm is the view of the set-password page for the link of
// token; the form names the account only when the link works.
func (p *pages) passwordForm(r *http.Request, token string) (deliveryView, error) {
	v := deliveryView{pageView: pageView{Title: "Choose a password"}}
	link, u, err := p.store.FindPasswordLink(r.Context(), auth.HashSecret(token))
	if err == nil {
		v.Name, v.Reset = u.Login(), link.Purpose == convene.PasswordLinkReset
	}
	return v, err
}

func (p *pages) resetPasswordPage(w http.ResponseWriter, r *http.Request) {
	p.render(w, r, http.StatusOK, "password_reset", deliveryView{pageView: pageView{Title: "Reset your password",
		Workspace: r.URL.Query().Get("workspace")}})
}

func (p *pages) resetPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	v := deliveryView{pageView: pageView{Title: "Reset your password"}, Done: true}
	if err := p.RequestReset(r, r.PostFormValue("workspace"), r.PostFormValue("login")); err != nil {
		status, msg := p.pageStatus(r, err)
		v.Done, v.Error = false, msg
		p.render(w, r, status, "password_reset", v)
		return
	}
	p.render(w, r, http.StatusOK, "password_reset", v)
}
