package httpd

import (
	"context"
	"convene"
	"convene/internal/auth"
	"net/http"
)

// AcceptGuest checks name and password and redeems the token: the one
// path of the API and the invitation page. EUNAVAILABLE with a message
// for a person when the invitation cannot be used; ERATELIMITED after too
// many failures from the client's address, which guards the tokens
// against guessing.
func (s *Server) AcceptGuest(r *http.Request, token, name, password string) (*convene.Acceptance, error) {
	addr := clientAddr(r)
	if err := s.checkLimit(r.Context(), s.limits.accept, "failed invitation attempts", addr); err != nil {
		return nil, err
	}
	acc, err := s.redeemInvitation(r.Context(), token, name, password)
	if err != nil && convene.ErrorCode(err) != convene.EINTERNAL {
		if terr := s.limits.accept.take(r.Context(), s.Now(), addr); terr != nil {
			return nil, terr // a failure that cannot be counted is refused, not answered
		}
	}
	return acc, err
}

func (s *Server) redeemInvitation(ctx context.Context, token, name, password string) (*convene.Acceptance, error) {
	if err := CheckLine("name", name, 200); err != nil {
		return nil, err
	}
	if msg := auth.CheckPasswordPolicy(password); msg != "" {
		return nil, convene.FieldErrorf("password", "%s", msg)
	}
	hash := auth.HashSecret(token)
	inv, err := s.store.FindInvitationByToken(ctx, hash)
	if err != nil {
		return nil, err
	}
	if st := inv.State(s.Now()); st != convene.InvitationPending {
		return nil, convene.Errorf(convene.EUNAVAILABLE, "this invitation is %s", st)
	}
	pw, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.store.AcceptInvitation(ctx, hash, name, pw)
}

// UsePasswordLink checks the new password and redeems a password link.
func (s *Server) UsePasswordLink(ctx context.Context, token, password, confirm string) (*convene.User, error) {
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

// RequestReset sends a reset link if the workspace and login name an
// active user. It answers nil either way, so that nobody learns which, and
// ERATELIMITED alike for existing and unknown accounts: every request
// counts against the account and the client's address, since each may
// send a message.
func (s *Server) RequestReset(r *http.Request, slug, login string) error {
	ctx := r.Context()
	acc, err := s.findAccount(ctx, slug, login)
	if err != nil {
		return err
	}
	retry, err := s.limits.reset.allow(ctx, s.Now(), acc.key, clientAddr(r))
	if err := refusal(retry, err, "password reset requests"); err != nil {
		return err
	}
	if acc.login == "" {
		return nil
	}
	return s.store.RequestPasswordReset(convene.NewSystemContext(ctx, acc.tenant.ID), acc.login)
}

// session finds a session the caller may see and checks perm on it:
// ENOTFOUND when they may not see it (or the id is no id), EFORBIDDEN when
// they see it but may not do perm.
func (s *Server) Session(ctx context.Context, rawID string, perm convene.Permission) (convene.Actor, *convene.Session, error) {
	a, err := ActorUser(ctx)
	if err != nil {
		return a, nil, err
	}
	id, err := PathID(rawID, "session")
	if err != nil {
		return a, nil, err
	}
	x, err := s.store.FindSessionByID(ctx, id)
	if err != nil {
		return a, nil, err
	}
	return a, x, convene.Authorize(a, perm, x, x.MyAccess)
}
