package api

import (
	"context"
	"strings"
	"time"

	"convene/internal/httpd"

	"convene"
)

// TenantJSON is a tenant's settings (contract section 9).
type TenantJSON struct {
	ID                 string `json:"id"`
	Slug               string `json:"slug"`
	Name               string `json:"name"`
	DefaultRegion      string `json:"default_region" example:"US"`
	PhoneAliasDomain   string `json:"phone_alias_domain" example:"collaborate.center"`
	GuestsAllowed      bool   `json:"guests_allowed"`
	InvitationTTLHours int    `json:"invitation_ttl_hours" example:"168"`
	CreatedAt          string `json:"created_at"`
}

type tenantOutput struct{ Body TenantJSON }

type tenantPatch struct {
	Body struct {
		Name               *string `json:"name,omitempty" maxLength:"200"`
		DefaultRegion      *string `json:"default_region,omitempty" maxLength:"2"`
		PhoneAliasDomain   *string `json:"phone_alias_domain,omitempty" maxLength:"253" doc:"empty to turn phone aliases off"`
		GuestsAllowed      *bool   `json:"guests_allowed,omitempty"`
		InvitationTTLHours *int    `json:"invitation_ttl_hours,omitempty" minimum:"1" maximum:"2160"`
	}
}

func tenantView(t *convene.Tenant) TenantJSON {
	return TenantJSON{
		ID: httpd.FormatID(t.ID), Slug: t.Slug, Name: t.Name, DefaultRegion: t.DefaultRegion,
		PhoneAliasDomain: t.PhoneAliasDomain, GuestsAllowed: t.GuestsAllowed,
		InvitationTTLHours: int(t.InvitationTTL / time.Hour), CreatedAt: timeJSON(t.CreatedAt),
	}
}

func (s *Server) getTenant(ctx context.Context, _ *struct{}) (*tenantOutput, error) {
	if _, err := s.authorize(ctx, convene.PermManageTenant); err != nil {
		return nil, err
	}
	t, err := s.store.CurrentTenant(ctx)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &tenantOutput{tenantView(t)}, nil
}

func (s *Server) updateTenant(ctx context.Context, in *tenantPatch) (*tenantOutput, error) {
	if _, err := s.authorize(ctx, convene.PermManageTenant); err != nil {
		return nil, err
	}
	upd, err := tenantUpdate(in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	t, err := s.store.CurrentTenant(ctx)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	upd.Apply(t) // validate the result before the store sees it
	if err := t.Validate(); err != nil {
		return nil, s.Err(ctx, err)
	}
	// Validate checks the shape; only the numbering data knows which codes
	// have phone numbers, as convene tenant create checks too.
	if upd.DefaultRegion != nil && !s.cfg.Phones.KnownRegion(t.DefaultRegion) {
		return nil, s.Err(ctx, convene.FieldErrorf("default_region", "%s is not a region with phone numbers: use a code such as US or DE", t.DefaultRegion))
	}
	if t, err = s.store.UpdateTenant(ctx, upd); err != nil {
		return nil, s.Err(ctx, err)
	}
	return &tenantOutput{tenantView(t)}, nil
}

func tenantUpdate(in *tenantPatch) (convene.TenantUpdate, error) {
	b := in.Body
	upd := convene.TenantUpdate{Name: b.Name, DefaultRegion: b.DefaultRegion, PhoneAliasDomain: b.PhoneAliasDomain, GuestsAllowed: b.GuestsAllowed}
	if b.Name != nil {
		name := strings.TrimSpace(*b.Name)
		if err := httpd.CheckLine("name", name, 200); err != nil {
			return upd, err
		}
		upd.Name = &name
	}
	if b.InvitationTTLHours != nil {
		ttl := time.Duration(*b.InvitationTTLHours) * time.Hour
		upd.InvitationTTL = &ttl
	}
	return upd, nil
}
