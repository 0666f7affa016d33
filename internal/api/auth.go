package api

import (
	"context"

	"convene/internal/httpd"

	"convene"
)

type loginInput struct {
	Body struct {
		Tenant   string `json:"tenant" maxLength:"63" doc:"the workspace (tenant slug)"`
		Login    string `json:"login" maxLength:"320" doc:"email address or phone number"`
		Password string `json:"password" maxLength:"1024"`
	}
}

type meBody struct {
	User        *UserJSON `json:"user"`
	Tenant      tenantRef `json:"tenant"`
	Permissions []string  `json:"permissions" doc:"the tenant-wide permissions of the user"`
	ExpiresAt   *string   `json:"expires_at,omitempty" doc:"when the login session ends at the latest"`
}

type tenantRef struct {
	ID   string `json:"id"`
	Slug string `json:"slug"`
	Name string `json:"name"`
}

type meOutput struct{ Body meBody }

var tenantPerms = []convene.Permission{
	convene.PermManageTenant, convene.PermManageUsers, convene.PermReadDirectory, convene.PermReadAudit,
	convene.PermCreateSession, convene.PermMultiInvite, convene.PermSeeAllSession,
}

func (s *Server) login(ctx context.Context, in *loginInput) (*meOutput, error) {
	r, w := reqResp(ctx)
	u, err := s.CheckPassword(r, in.Body.Tenant, in.Body.Login, in.Body.Password)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	ls, err := s.SignIn(w, r, u)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	out, err := s.me(convene.NewContextWithUser(ctx, u))
	if out != nil {
		out.Body.ExpiresAt = optTime(ls.ExpiresAt)
	}
	return out, err
}

func (s *Server) logout(ctx context.Context, _ *struct{}) (*struct{}, error) {
	r, w := reqResp(ctx)
	return nil, s.Err(ctx, s.SignOut(w, r))
}

func (s *Server) getMe(ctx context.Context, _ *struct{}) (*meOutput, error) {
	if _, err := s.signedIn(ctx); err != nil {
		return nil, err
	}
	return s.me(ctx)
}

func (s *Server) me(ctx context.Context) (*meOutput, error) {
	a, err := s.signedIn(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.store.CurrentTenant(ctx)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	out := &meOutput{Body: meBody{
		User:        userView(a.User, a),
		Tenant:      tenantRef{ID: httpd.FormatID(t.ID), Slug: t.Slug, Name: t.Name},
		Permissions: []string{},
	}}
	for _, p := range tenantPerms {
		if convene.Allowed(a, p, nil, "") {
			out.Body.Permissions = append(out.Body.Permissions, string(p))
		}
	}
	return out, nil
}
