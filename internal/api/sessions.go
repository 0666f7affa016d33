package api

import (
	"context"
	"strings"

	"convene/internal/httpd"

	"convene"
)

// SessionJSON is a session as the API shows it.
type SessionJSON struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	Archived    bool      `json:"archived"`
	Owner       *UserJSON `json:"owner"`
	MyAccess    *string   `json:"my_access" enum:"owner,collaborate,view" doc:"the caller's access; null when they are no member"`
	MemberCount int       `json:"member_count"`
	CreatedAt   string    `json:"created_at"`
	UpdatedAt   string    `json:"updated_at"`
}

type sessionOutput struct {
	Location string `header:"Location"`
	Body     SessionJSON
}

type createSessionInput struct {
	Body struct {
		Title       string `json:"title" maxLength:"200"`
		Description string `json:"description,omitempty" maxLength:"5000"`
	}
}

type updateSessionInput struct {
	ID   string `path:"id" maxLength:"40"`
	Body struct {
		Title       *string `json:"title,omitempty" maxLength:"200"`
		Description *string `json:"description,omitempty" maxLength:"5000"`
		Archived    *bool   `json:"archived,omitempty"`
	}
}

func sessionView(x *convene.Session, viewer convene.Actor) SessionJSON {
	owner := userView(x.Owner, viewer)
	if owner == nil {
		owner = &UserJSON{ID: httpd.FormatID(x.OwnerID), AvatarURL: avatarURL(x.OwnerID)}
	}
	return SessionJSON{
		ID: httpd.FormatID(x.ID), Title: x.Title, Description: x.Description, Archived: x.Archived,
		Owner: owner, MyAccess: optString(string(x.MyAccess)), MemberCount: x.MemberCount,
		CreatedAt: timeJSON(x.CreatedAt), UpdatedAt: timeJSON(x.UpdatedAt),
	}
}

// sessionsPage is a page of the session list with the number of sessions
// matching q (contract section 15), counted up to a bound.
type sessionsPage struct {
	Body struct {
		Items       []SessionJSON `json:"items"`
		NextCursor  *string       `json:"next_cursor"`
		Total       int           `json:"total" minimum:"0" doc:"the number of sessions matching q that the caller may see, exact up to 1000; beyond, 1000 with total_capped true"`
		TotalCapped bool          `json:"total_capped" doc:"true when more sessions match than total says (total stopped counting at 1000)"`
	}
}

func (s *Server) listSessions(ctx context.Context, in *searchQuery) (*sessionsPage, error) {
	a, err := s.signedIn(ctx)
	if err != nil {
		return nil, err
	}
	p, err := s.store.FindSessionsPage(ctx, convene.SessionFilter{Query: in.Q, Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	out := &sessionsPage{}
	out.Body.Total, out.Body.TotalCapped = p.Total, p.TotalCapped
	out.Body.Items = viewAll(p.Sessions, func(x *convene.Session) SessionJSON { return sessionView(x, a) })
	out.Body.NextCursor = optString(p.NextCursor)
	return out, nil
}

func (s *Server) createSession(ctx context.Context, in *createSessionInput) (*sessionOutput, error) {
	a, err := s.authorize(ctx, convene.PermCreateSession)
	if err != nil {
		return nil, err
	}
	x := &convene.Session{Title: strings.TrimSpace(in.Body.Title), Description: in.Body.Description}
	if err := x.Validate(); err != nil {
		return nil, s.Err(ctx, err)
	}
	if err := s.store.CreateSession(ctx, x); err != nil {
		return nil, s.Err(ctx, err)
	}
	if found, err := s.store.FindSessionByID(ctx, x.ID); err == nil {
		x = found
	}
	return &sessionOutput{Location: "/api/v1/sessions/" + httpd.FormatID(x.ID), Body: sessionView(x, a)}, nil
}

func (s *Server) getSession(ctx context.Context, in *idPath) (*sessionOutput, error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermReadSession)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &sessionOutput{Body: sessionView(x, a)}, nil
}

func (s *Server) updateSession(ctx context.Context, in *updateSessionInput) (*sessionOutput, error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermEditSession)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	upd, err := sessionUpdate(x, in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	if x, err = s.store.UpdateSession(ctx, x.ID, upd); err != nil {
		return nil, s.Err(ctx, err)
	}
	return &sessionOutput{Body: sessionView(x, a)}, nil
}

// sessionUpdate checks a change of x by validating the session it would
// make, before the store sees it.
func sessionUpdate(x *convene.Session, in *updateSessionInput) (convene.SessionUpdate, error) {
	b := in.Body
	upd := convene.SessionUpdate{Description: b.Description, Archived: b.Archived}
	check := *x
	if b.Title != nil {
		title := strings.TrimSpace(*b.Title)
		upd.Title, check.Title = &title, title
	}
	if b.Description != nil {
		check.Description = *b.Description
	}
	return upd, check.Validate()
}

func (s *Server) deleteSession(ctx context.Context, in *idPath) (*struct{}, error) {
	_, x, err := s.Session(ctx, in.ID, convene.PermDeleteSession)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return nil, s.Err(ctx, s.store.DeleteSession(ctx, x.ID))
}
