package web

import (
	"context"
	"net/http"

	"convene"
	"convene/internal/auth"
)

// The set-password and reset pages: where the links of new users and of
// password resets lead, and where a person asks for a reset.

func (s *Server) setPasswordPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.passwordForm(r, r.PathValue("token"))
	if err != nil {
		status, msg := s.pageStatus(r, err)
		v.Error = msg
		s.render(w, r, status, "password_set", v)
		return
	}
	s.render(w, r, http.StatusOK, "password_set", v)
}

func (s *Server) setPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	u, err := s.usePasswordLink(r.Context(), token, r.PostFormValue("password"), r.PostFormValue("confirm"))
	if err != nil {
		status, msg := s.pageStatus(r, err)
		// A password refused: the link still works, so the form stays.
		v, _ := s.passwordForm(r, token)
		v.Error = msg
		s.render(w, r, status, "password_set", v)
		return
	}
	if _, err := s.signIn(w, r, u); err != nil {
		status, msg := s.pageStatus(r, err)
		s.render(w, r, status, "password_set", deliveryView{pageView: pageView{Title: "Choose a password"}, Error: msg})
		return
	}
	http.Redirect(w, r, "/sessions", http.StatusSeeOther)
}

// passwordForm is the view of the set-password page for the link of
// token; the form names the account only when the link works.
func (s *Server) passwordForm(r *http.Request, token string) (deliveryView, error) {
	v := deliveryView{pageView: pageView{Title: "Choose a password"}}
	link, u, err := s.store.FindPasswordLink(r.Context(), auth.HashSecret(token))
	if err == nil {
		v.Name, v.Reset = u.Login(), link.Purpose == convene.PasswordLinkReset
	}
	return v, err
}

// usePasswordLink checks the new password and redeems a password link.
func (s *Server) usePasswordLink(ctx context.Context, token, password, confirm string) (*convene.User, error) {
	if msg := auth.CheckPasswordPolicy(password); msg != "" {
		return nil, convene.FieldErrorf("password", "%s", msg)
	}
	if password != confirm {
		return nil, convene.FieldErrorf("confirm", "the two passwords differ")
	}
	hash := auth.HashSecret(token)
	if _, _, err := s.store.FindPasswordLink(ctx, hash); err != nil {
		return nil, err
	}
	pw, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.store.UsePasswordLink(ctx, hash, pw)
}

func (s *Server) resetPasswordPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "password_reset", deliveryView{pageView: pageView{Title: "Reset your password",
		Workspace: r.URL.Query().Get("workspace")}})
}

func (s *Server) resetPasswordSubmit(w http.ResponseWriter, r *http.Request) {
	v := deliveryView{pageView: pageView{Title: "Reset your password"}, Done: true}
	if err := s.requestReset(r, r.PostFormValue("workspace"), r.PostFormValue("login")); err != nil {
		status, msg := s.pageStatus(r, err)
		v.Done, v.Error = false, msg
		s.render(w, r, status, "password_reset", v)
		return
	}
	s.render(w, r, http.StatusOK, "password_reset", v)
}

// requestReset sends a reset link if the workspace and login name an
// active user. It answers nil either way, so that nobody learns which, and
// ERATELIMITED alike for existing and unknown accounts: every request
// counts against the account and the client's address, since each may
// send a message.
func (s *Server) requestReset(r *http.Request, slug, login string) error {
	ctx := r.Context()
	acc, err := s.findAccount(ctx, slug, login)
	if err != nil {
		return err
	}
	retry, err := s.limits.reset.allow(ctx, s.now(), acc.key, clientAddr(r))
	if err := refusal(retry, err, "password reset requests"); err != nil {
		return err
	}
	if acc.login == "" {
		return nil
	}
	return s.store.RequestPasswordReset(convene.NewSystemContext(ctx, acc.tenant.ID), acc.login)
}
