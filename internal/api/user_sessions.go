package api

import (
	"context"

	"convene"
	"convene/internal/httpd"
)

// UserSessionJSON is one session of a person with their access to it.
type UserSessionJSON struct {
	SessionID string `json:"session_id"`
	Title     string `json:"title"`
	Access    string `json:"access" enum:"owner,collaborate,view"`
	Since     string `json:"since" doc:"when the person became a member"`
}

type userSessionsInput struct {
	ID     string `path:"id" maxLength:"40"`
	Limit  int    `query:"limit" minimum:"0" maximum:"500" doc:"page size, 100 by default"`
	Cursor string `query:"cursor" maxLength:"200" doc:"the next_cursor of the previous page"`
}

// listUserSessions answers the sessions of one person with their access
// (contract section 15), for the Tenant Admin.
func (s *Server) listUserSessions(ctx context.Context, in *userSessionsInput) (*pageOutput[UserSessionJSON], error) {
	_, id, err := actorAndID(ctx, in.ID, "user")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	rows, next, err := s.store.UserSessions(ctx, id, convene.MemberFilter{Limit: in.Limit, Cursor: in.Cursor})
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(rows, next, func(us *convene.UserSession) UserSessionJSON {
		return UserSessionJSON{SessionID: httpd.FormatID(us.SessionID), Title: us.Title, Access: string(us.Access), Since: timeJSON(us.Since)}
	}), nil
}
