package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"convene"
)

type transferOwnerInput struct {
	ID   string `path:"id" maxLength:"40"`
	Body struct {
		UserID string `json:"user_id" maxLength:"40" doc:"the new owner: an active user of the tenant who is not a guest"`
	}
}

type sessionBodyOutput struct{ Body SessionJSON }

// registerOwner adds the one way to change a session's owner, which the
// members endpoints refuse (an owner can be neither lowered nor removed).
func (s *Server) registerOwner(api huma.API) {
	huma.Register(api, s.op(http.MethodPut, "/api/v1/sessions/{id}/owner", "transferOwnership",
		"Make another user the session's owner; the previous owner stays as a collaborator (owner, Session and Tenant Admins)", "sessions", 401, 403, 404, 422),
		s.transferOwnership)
}

func (s *Server) transferOwnership(ctx context.Context, in *transferOwnerInput) (*sessionBodyOutput, error) {
	a, x, err := s.session(ctx, in.ID, convene.PermManageMembers)
	if err != nil {
		return nil, s.err(ctx, err)
	}
	uid, ok := parseID(in.Body.UserID)
	if !ok {
		return nil, s.err(ctx, convene.FieldErrorf("user_id", "is not a user id"))
	}
	if err := s.store.TransferOwnership(ctx, x.ID, uid); err != nil {
		return nil, s.err(ctx, err)
	}
	if x, err = s.store.FindSessionByID(ctx, x.ID); err != nil {
		return nil, s.err(ctx, err)
	}
	return &sessionBodyOutput{sessionView(x, a)}, nil
}
