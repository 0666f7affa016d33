package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

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
		owner = &UserJSON{ID: formatID(x.OwnerID), AvatarURL: avatarURL(x.OwnerID)}
	}
	return SessionJSON{
		ID: formatID(x.ID), Title: x.Title, Description: x.Description, Archived: x.Archived,
		Owner: owner, MyAccess: optString(string(x.MyAccess)), MemberCount: x.MemberCount,
		CreatedAt: timeJSON(x.CreatedAt), UpdatedAt: timeJSON(x.UpdatedAt),
	}
}

// session finds a session the caller may see and checks perm on it:
// ENOTFOUND when they may not see it (or the id is no id), EFORBIDDEN when
// they see it but may not do perm.
func (s *Server) session(ctx context.Context, rawID string, perm convene.Permission) (convene.Actor, *convene.Session, error) {
	a, err := actorUser(ctx)
	if err != nil {
		return a, nil, err
	}
	id, err := pathID(rawID, "session")
	if err != nil {
		return a, nil, err
	}
	x, err := s.store.FindSessionByID(ctx, id)
	if err != nil {
		return a, nil, err
	}
	return a, x, convene.Authorize(a, perm, x, x.MyAccess)
}

func (s *Server) registerSessions(api huma.API) {
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions", "listSessions", "The sessions the caller may see, newest first; q matches the title anywhere, 25 a page by default", "sessions", 401, 422), s.listSessions)
	huma.Register(api, status(s.needs(s.op(http.MethodPost, "/api/v1/sessions", "createSession", "Create a session owned by the caller", "sessions", 401, 403, 422), convene.PermCreateSession), http.StatusCreated), s.createSession)
	huma.Register(api, s.op(http.MethodGet, "/api/v1/sessions/{id}", "getSession", "One session", "sessions", 401, 404), s.getSession)
	huma.Register(api, s.op(http.MethodPatch, "/api/v1/sessions/{id}", "updateSession", "Change title, description or archived (owner, Tenant Admins)", "sessions", 401, 403, 404, 422), s.updateSession)
	huma.Register(api, status(s.op(http.MethodDelete, "/api/v1/sessions/{id}", "deleteSession", "Delete a session and its memberships (owner, Tenant Admins)", "sessions", 401, 403, 404), http.StatusNoContent), s.deleteSession)
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
	filter := convene.SessionFilter{Query: in.Q, Limit: in.Limit, Cursor: in.Cursor}
	list, next, err := s.store.FindSessions(ctx, filter)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out := &sessionsPage{}
	out.Body.Total = len(list) // a first page without a next one is every match: no count to ask
	if in.Cursor != "" || next != "" {
		out.Body.Total, out.Body.TotalCapped, err = s.store.CountSessions(ctx, filter)
	}
	if err != nil {
		return nil, s.err(ctx, err)
	}
	out.Body.Items = viewAll(list, func(x *convene.Session) SessionJSON { return sessionView(x, a) })
	out.Body.NextCursor = optString(next)
	return out, nil
}

func (s *Server) createSession(ctx context.Context, in *createSessionInput) (*sessionOutput, error) {
	a, err := s.authorize(ctx, convene.PermCreateSession)
	if err != nil {
		return nil, err
	}
	x := &convene.Session{Title: strings.TrimSpace(in.Body.Title), Description: in.Body.Description}
	if err := x.Validate(); err != nil {
		return nil, s.err(ctx, err)
	}
	if err := s.store.CreateSession(ctx, x); err != nil {
		return nil, s.err(ctx, err)
	}
	if found, err := s.store.FindSessionByID(ctx, x.ID); err == nil {
		x = found
	}
	return &sessionOutput{Location: "/api/v1/sessions/" + formatID(x.ID), Body: sessionView(x, a)}, nil
}

func (s *Server) getSession(ctx context.Context, in *idPath) (*sessionOutput, error) {
	a, x, err := s.session(ctx, in.ID, convene.PermReadSession)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return &sessionOutput{Body: sessionView(x, a)}, nil
}

func (s *Server) updateSession(ctx context.Context, in *updateSessionInput) (*sessionOutput, error) {
	a, x, err := s.session(ctx, in.ID, convene.PermEditSession)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	upd, err := sessionUpdate(x, in)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	if x, err = s.store.UpdateSession(ctx, x.ID, upd); err != nil {
		return nil, s.err(ctx, err)
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
	_, x, err := s.session(ctx, in.ID, convene.PermDeleteSession)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	return nil, s.err(ctx, s.store.DeleteSession(ctx, x.ID))
}
