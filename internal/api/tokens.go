package api

import (
	"context"
	"strings"

	"convene"
	"convene/internal/auth"
	"convene/internal/httpd"
)

// TokenJSON is an API token as listed; the secret is never shown again.
type TokenJSON struct {
	ID         string  `json:"id"`
	Name       string  `json:"name"`
	CreatedAt  string  `json:"created_at"`
	LastUsedAt *string `json:"last_used_at"`
}

type newTokenBody struct {
	TokenJSON
	Token string `json:"token" doc:"the bearer secret; shown only in this answer"`
}

type tokenInput struct {
	Body struct {
		Name string `json:"name,omitempty" maxLength:"100" doc:"a label to recognise the token by"`
	}
}

type idPath struct {
	ID string `path:"id" maxLength:"40"`
}

func tokenView(t *convene.Token) TokenJSON {
	return TokenJSON{ID: httpd.FormatID(t.ID), Name: t.Name, CreatedAt: timeJSON(t.CreatedAt), LastUsedAt: optTime(t.LastUsedAt)}
}

type newTokenOutput struct{ Body newTokenBody }

func (s *Server) listTokens(ctx context.Context, _ *struct{}) (*listOutput[TokenJSON], error) {
	if _, err := s.signedIn(ctx); err != nil {
		return nil, err
	}
	tokens, err := s.store.FindTokens(ctx)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return listOf(tokens, tokenView), nil
}

func (s *Server) createToken(ctx context.Context, in *tokenInput) (*newTokenOutput, error) {
	a, err := s.signedIn(ctx)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(in.Body.Name)
	if err := httpd.CheckLine("name", name, 100); err != nil {
		return nil, s.Err(ctx, err)
	}
	if name == "" {
		name = "API token"
	}
	secret, hash := auth.NewSecret()
	t := &convene.Token{TenantID: a.TenantID, UserID: a.User.ID, Name: name, Hash: hash, CreatedAt: s.Now()}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return nil, s.Err(ctx, err)
	}
	return &newTokenOutput{newTokenBody{TokenJSON: tokenView(t), Token: secret}}, nil
}

func (s *Server) revokeToken(ctx context.Context, in *idPath) (*struct{}, error) {
	_, id, err := actorAndID(ctx, in.ID, "token")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return nil, s.Err(ctx, s.store.RevokeToken(ctx, id))
}
