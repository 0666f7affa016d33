package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"convene"
	"convene/internal/auth"
)

// InvitationJSON is a guest invitation as the API shows it.
type InvitationJSON struct {
	ID           string `json:"id"`
	SessionID    string `json:"session_id"`
	SessionTitle string `json:"session_title"`
	Contact      string `json:"contact"`
	Kind         string `json:"kind" enum:"email,phone"`
	Access       string `json:"access" enum:"collaborate,view"`
	Status       string `json:"status" enum:"pending,expired,accepted,revoked"`
	InvitedBy    string `json:"invited_by"`
	SentCount    int    `json:"sent_count"`
	ExpiresAt    string `json:"expires_at"`
	CreatedAt    string `json:"created_at"`
}

func (s *Server) invitationView(inv *convene.Invitation) InvitationJSON {
	return InvitationJSON{
		ID: formatID(inv.ID), SessionID: formatID(inv.SessionID), SessionTitle: inv.SessionTitle,
		Contact: inv.Contact, Kind: string(inv.Kind), Access: string(inv.Access), Status: string(inv.State(s.now())),
		InvitedBy: inv.InviterName, SentCount: inv.SentCount, ExpiresAt: timeJSON(inv.ExpiresAt), CreatedAt: timeJSON(inv.CreatedAt),
	}
}

// InviteResultJSON is what an invite did for one entry (contract section 8).
type InviteResultJSON struct {
	Input        string  `json:"input"`
	Status       string  `json:"status" enum:"registered,unregistered,disabled,duplicate"`
	Outcome      string  `json:"outcome" enum:"added,upgraded,unchanged,invited,skipped"`
	Reason       string  `json:"reason,omitempty"`
	UserID       *string `json:"user_id,omitempty"`
	InvitationID *string `json:"invitation_id,omitempty"`
}

type inviteInput struct {
	ID   string `path:"id" maxLength:"40"`
	Body struct {
		Contacts contactList `json:"contacts"`
		Access   string      `json:"access,omitempty" enum:"collaborate,view" doc:"collaborate by default"`
	}
}

type inviteOutput struct {
	Body struct {
		Results []InviteResultJSON `json:"results"`
	}
}

type invitationOutput struct{ Body InvitationJSON }

type acceptInput struct {
	Body struct {
		Token    string `json:"token" maxLength:"200"`
		Name     string `json:"name" maxLength:"800"`
		Password string `json:"password" maxLength:"1024"`
	}
}

type acceptOutput struct {
	Body struct {
		UserID    string `json:"user_id"`
		SessionID string `json:"session_id"`
		Access    string `json:"access"`
	}
}

// registerInvitations registers the guest invitation API (contract section
// 8), the password-link API and their pages on mux.
func (s *Server) registerInvitations(api huma.API, mux *http.ServeMux) {
	huma.Register(api, s.op(http.MethodPost, "/api/v1/sessions/{id}/invitations", "inviteToSession",
		"Add registered contacts to a session and invite unregistered ones as guests (owner, Session and Tenant Admins)", "invitations", 401, 403, 404, 413, 422, 429, 503),
		s.inviteToSession)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}/invitations", "listSessionInvitations",
		"A session's pending guest invitations (owner, Session and Tenant Admins)", "invitations", 401, 403, 404), s.listSessionInvitations)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/invitations", "listInvitations",
		"Pending guest invitations of the workspace (Session and Tenant Admins; others: of the sessions they own)", "invitations", 401, 403), s.listInvitations)
	huma.Register(api, s.op(http.MethodPost, "/api/v1/invitations/{id}/resend", "resendInvitation",
		"Send a pending invitation again with a fresh link; the old link stops working", "invitations", 401, 403, 404, 410, 422, 429, 503), s.resendInvitation)
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/invitations/{id}", "revokeInvitation",
		"Revoke a pending invitation: its link stops working", "invitations", 401, 403, 404, 410, 422), http.StatusNoContent), s.revokeInvitation)
	huma.Register(api, s.public(s.op(http.MethodPost, "/api/v1/invitations/accept", "acceptInvitation",
		"Register as a guest with an invitation's token; signs the guest in", "invitations", 404, 410, 422, 429, 503)), s.acceptInvitation)

	s.registerPasswordAPI(api)
	s.registerDeliveryPages(mux)
}

func (s *Server) inviteToSession(ctx context.Context, in *inviteInput) (*inviteOutput, error) {
	a, x, err := s.session(ctx, in.ID, convene.PermManageMembers)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	// Invitations send messages to addresses anyone typed: they
	// share the multi-invite's budget, per person and workspace.
	if err := s.allowActor(ctx, s.limits.invite, a, "invitations"); err != nil {
		return nil, err
	}
	contacts, err := contactEntries(in.Body.Contacts.text, in.Body.Contacts.list, "contacts")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	res, err := s.store.InviteToSession(ctx, x.ID, contacts, convene.Access(in.Body.Access))
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &inviteOutput{}
	out.Body.Results = viewAll(res, inviteResultView)
	return out, nil
}

func inviteResultView(r convene.InviteResult) InviteResultJSON {
	return InviteResultJSON{Input: r.Input, Status: string(r.Status), Outcome: string(r.Outcome),
		Reason: r.Reason, UserID: optID(r.UserID), InvitationID: optID(r.InvitationID)}
}

func (s *Server) listSessionInvitations(ctx context.Context, in *idPath) (*listOutput[InvitationJSON], error) {
	_, x, err := s.session(ctx, in.ID, convene.PermManageMembers)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return s.invitationsMatching(ctx, convene.InvitationFilter{SessionID: x.ID})
}

func (s *Server) listInvitations(ctx context.Context, _ *struct{}) (*listOutput[InvitationJSON], error) {
	return s.invitationsMatching(ctx, convene.InvitationFilter{})
}

func (s *Server) invitationsMatching(ctx context.Context, f convene.InvitationFilter) (*listOutput[InvitationJSON], error) {
	list, err := s.store.FindInvitations(ctx, f)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return listOf(list, s.invitationView), nil
}

func (s *Server) resendInvitation(ctx context.Context, in *idPath) (*invitationOutput, error) {
	a, id, err := actorAndID(ctx, in.ID, "invitation")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.allowActor(ctx, s.limits.invite, a, "invitations"); err != nil {
		return nil, err
	}
	inv, err := s.store.ResendInvitation(ctx, id)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &invitationOutput{s.invitationView(inv)}, nil
}

func (s *Server) revokeInvitation(ctx context.Context, in *idPath) (*struct{}, error) {
	id, err := pathID(in.ID, "invitation")
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return nil, s.err(ctx, s.store.RevokeInvitation(ctx, id))
}

func (s *Server) acceptInvitation(ctx context.Context, in *acceptInput) (*acceptOutput, error) {
	r, w := reqResp(ctx)
	acc, err := s.acceptGuest(r, in.Body.Token, in.Body.Name, in.Body.Password)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if _, err := s.signIn(w, r, acc.User); err != nil {
		return nil, s.err(ctx, err)
	}
	out := &acceptOutput{}
	out.Body.UserID, out.Body.SessionID, out.Body.Access = formatID(acc.User.ID), formatID(acc.Invitation.SessionID), string(acc.Access)
	return out, nil
}

// acceptGuest checks name and password and redeems the token: the one
// path of the API and the invitation page. EUNAVAILABLE with a message
// for a person when the invitation cannot be used; ERATELIMITED after too
// many failures from the client's address, which guards the tokens
// against guessing.
func (s *Server) acceptGuest(r *http.Request, token, name, password string) (*convene.Acceptance, error) {
	addr := clientAddr(r)
	if err := s.checkLimit(r.Context(), s.limits.accept, "failed invitation attempts", addr); err != nil {
		return nil, err
	}
	acc, err := s.redeemInvitation(r.Context(), token, name, password)
	if err != nil && convene.ErrorCode(err) != convene.EINTERNAL {
		if terr := s.limits.accept.take(r.Context(), s.now(), addr); terr != nil {
			return nil, terr // a failure that cannot be counted is refused, not answered
		}
	}
	return acc, err
}

func (s *Server) redeemInvitation(ctx context.Context, token, name, password string) (*convene.Acceptance, error) {
	if err := checkLine("name", name, 200); err != nil {
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
	if st := inv.State(s.now()); st != convene.InvitationPending {
		return nil, convene.Errorf(convene.EUNAVAILABLE, "this invitation is %s", st)
	}
	pw, err := auth.HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.store.AcceptInvitation(ctx, hash, name, pw)
}
