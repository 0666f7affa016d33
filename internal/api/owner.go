package api

import (
	"context"

	"convene/internal/httpd"

	"convene"
)

type transferOwnerInput struct {
	ID   string `path:"id" maxLength:"40"`
	Body struct {
		UserID string `json:"user_id" maxLength:"40" doc:"the new owner: an active user of the tenant who is not a guest"`
	}
}

type sessionBodyOutput struct{ Body SessionJSON }

func (s *Server) transferOwnership(ctx context.Context, in *transferOwnerInput) (*sessionBodyOutput, error) {
	a, x, err := s.Session(ctx, in.ID, convene.PermManageMembers)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	uid, ok := httpd.ParseID(in.Body.UserID)
	if !ok {
		return nil, s.Err(ctx, convene.FieldErrorf("user_id", "is not a user id"))
	}
	if err := s.store.TransferOwnership(ctx, x.ID, uid); err != nil {
		return nil, s.Err(ctx, err)
	}
	if x, err = s.store.FindSessionByID(ctx, x.ID); err != nil {
		return nil, s.Err(ctx, err)
	}
	return &sessionBodyOutput{sessionView(x, a)}, nil
}
