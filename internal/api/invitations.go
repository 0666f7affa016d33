package api

import (
	"context"

	"convene/internal/httpd"

	"convene"
)

// InvitationJSON is a guest invitation as the API shows it.
type InvitationJSON struct {
	ID           string `json:"id"`
	SessionID    string `json:"session_id"`
	SessionTitle string `json:"session_title"`
	// OtherSessions counts the sessions beyond session_id that the same
	// link joins (a guest invitation of a multi-invite); 0 for one session.
	OtherSessions int    `json:"other_sessions" minimum:"0"`
	Contact       string `json:"contact"`
	Kind          string `json:"kind" enum:"email,phone"`
	Access        string `json:"access" enum:"collaborate,view"`
	Status        string `json:"status" enum:"pending,expired,accepted,revoked"`
	InvitedBy     string `json:"invited_by"`
	SentCount     int    `json:"sent_count"`
	ExpiresAt     string `json:"expires_at"`
	CreatedAt     string `json:"created_at"`
}

func (s *Server) invitationView(inv *convene.Invitation) InvitationJSON {
	return InvitationJSON{
		ID: httpd.FormatID(inv.ID), SessionID: httpd.FormatID(inv.SessionID), SessionTitle: inv.SessionTitle,
		OtherSessions: inv.OtherSessions, Contact: inv.Contact, Kind: string(inv.Kind), Access: string(inv.Access), Status: string(inv.State(s.Now())),
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

func (s *Server) inviteToSession(ctx context.Context, in *inviteInput) (*inviteOutput, error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermManageMembers)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	// Invitations send messages to addresses anyone typed: they
	// share the multi-invite's budget, per person and workspace.
	if err := s.AllowInvite(ctx, a, "invitations"); err != nil {
		return nil, err
	}
	contacts, err := contactEntries(in.Body.Contacts.text, in.Body.Contacts.list, "contacts")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	res, err := s.store.InviteToSession(ctx, x.ID, contacts, convene.Access(in.Body.Access))
	if err != nil {
		return nil, s.Err(ctx, err)
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
	_, x, err := s.Session(ctx, in.ID, convene.PermManageMembers)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return s.invitationsMatching(ctx, convene.InvitationFilter{SessionID: x.ID})
}

func (s *Server) listInvitations(ctx context.Context, _ *struct{}) (*listOutput[InvitationJSON], error) {
	return s.invitationsMatching(ctx, convene.InvitationFilter{})
}

func (s *Server) invitationsMatching(ctx context.Context, f convene.InvitationFilter) (*listOutput[InvitationJSON], error) {
	list, err := s.store.FindInvitations(ctx, f)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return listOf(list, s.invitationView), nil
}

func (s *Server) resendInvitation(ctx context.Context, in *idPath) (*invitationOutput, error) {
	a, id, err := actorAndID(ctx, in.ID, "invitation")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	if err := s.AllowInvite(ctx, a, "invitations"); err != nil {
		return nil, err
	}
	inv, err := s.store.ResendInvitation(ctx, id)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &invitationOutput{s.invitationView(inv)}, nil
}

func (s *Server) revokeInvitation(ctx context.Context, in *idPath) (*struct{}, error) {
	id, err := httpd.PathID(in.ID, "invitation")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return nil, s.Err(ctx, s.store.RevokeInvitation(ctx, id))
}

func (s *Server) acceptInvitation(ctx context.Context, in *acceptInput) (*acceptOutput, error) {
	r, w := reqResp(ctx)
	acc, err := s.AcceptGuest(r, in.Body.Token, in.Body.Name, in.Body.Password)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	if _, err := s.SignIn(w, r, acc.User); err != nil {
		return nil, s.Err(ctx, err)
	}
	out := &acceptOutput{}
	out.Body.UserID, out.Body.SessionID, out.Body.Access = httpd.FormatID(acc.User.ID), httpd.FormatID(acc.Invitation.SessionID), string(acc.Access)
	return out, nil
}
