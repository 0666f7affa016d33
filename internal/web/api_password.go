package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
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

// registerPasswordAPI registers the password-link endpoints.
func (s *Server) registerPasswordAPI(api huma.API) {
	huma.Register(api, status(s.public(s.op(http.MethodPost, "/api/v1/auth/password-reset", "requestPasswordReset",
		"Send a password reset link; answers the same whether or not the account exists", "auth", 422, 429, 503)), http.StatusAccepted),
		s.requestPasswordReset)
	huma.Register(api, status(s.public(s.op(http.MethodPost, "/api/v1/auth/set-password", "setPassword",
		"Choose a password with a set-password or reset link's token", "auth", 404, 422)), http.StatusNoContent),
		s.setPassword)
}

func (s *Server) requestPasswordReset(ctx context.Context, in *resetInput) (*struct{}, error) {
	r, _ := reqResp(ctx)
	return nil, s.err(ctx, s.requestReset(r, in.Body.Tenant, in.Body.Login))
}

func (s *Server) setPassword(ctx context.Context, in *setPasswordInput) (*struct{}, error) {
	_, err := s.usePasswordLink(ctx, in.Body.Token, in.Body.Password, in.Body.Password)
	return nil, s.err(ctx, err)
}
