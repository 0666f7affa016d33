package api

import (
	"context"
)

type resetInput struct {
	Body struct {
		Tenant string `json:"tenant" maxLength:"63" doc:"the workspace (tenant slug)"`
		Login  string `json:"login" maxLength:"320" doc:"email address or phone number"`
	}
}

type setPasswordInput struct {
	Body struct {
		Token    string `json:"token" maxLength:"200"`
		Password string `json:"password" maxLength:"1024"`
	}
}

func (s *Server) requestPasswordReset(ctx context.Context, in *resetInput) (*struct{}, error) {
	r, _ := reqResp(ctx)
	return nil, s.Err(ctx, s.RequestReset(r, in.Body.Tenant, in.Body.Login))
}

func (s *Server) setPassword(ctx context.Context, in *setPasswordInput) (*struct{}, error) {
	_, err := s.UsePasswordLink(ctx, in.Body.Token, in.Body.Password, in.Body.Password)
	return nil, s.Err(ctx, err)
}
