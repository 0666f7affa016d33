package api

import (
	"context"

	"convene"
)

// ResolutionJSON is one resolved entry (contract section 4).
type ResolutionJSON struct {
	Input      string    `json:"input"`
	Kind       string    `json:"kind" enum:"email,phone,unknown"`
	Normalized string    `json:"normalized,omitempty"`
	Status     string    `json:"status" enum:"registered,unregistered,invalid,duplicate,disabled"`
	Reason     string    `json:"reason,omitempty"`
	User       *UserJSON `json:"user,omitempty"`
}

type resolveInput struct {
	Body struct {
		Input    *string  `json:"input,omitempty" doc:"free text: entries separated by commas, semicolons or new lines"`
		Contacts []string `json:"contacts,omitempty" doc:"one entry per item"`
	}
}

func resolutionView(r convene.Resolution) ResolutionJSON {
	out := ResolutionJSON{Input: r.Input, Kind: string(r.Kind), Normalized: r.Normalized, Status: string(r.Status), Reason: r.Reason}
	if out.Reason == "" {
		out.Reason = r.Contact.Reason
	}
	if r.User != nil && (r.Status == convene.StatusRegistered || r.Status == convene.StatusDisabled) {
		out.User = briefUser(r.User)
	}
	return out
}

// contactEntries returns the entries of a list given as free text or as an
// array: EINVALID when there is neither, ETOOLARGE past the limit.
func contactEntries(text *string, list []string, field string) ([]string, error) {
	var entries []string
	switch {
	case text != nil && list != nil:
		return nil, convene.FieldErrorf(field, "give the contacts as text or as a list, not both")
	case text != nil:
		if len(*text) > convene.MaxGrantContacts*400 {
			return nil, convene.Errorf(convene.ETOOLARGE, "at most %d contacts per call", convene.MaxGrantContacts)
		}
		entries = convene.SplitContacts(*text)
	default:
		entries = list
	}
	if len(entries) > convene.MaxGrantContacts {
		return nil, convene.Errorf(convene.ETOOLARGE, "at most %d contacts per call, got %d", convene.MaxGrantContacts, len(entries))
	}
	return entries, nil
}

type resolveOutput struct {
	Body struct {
		Entries []ResolutionJSON `json:"entries"`
	}
}

func (s *Server) resolveContacts(ctx context.Context, in *resolveInput) (*resolveOutput, error) {
	a, err := s.authorize(ctx, convene.PermReadDirectory)
	if err != nil {
		return nil, err
	}
	if err := s.AllowResolve(ctx, a, "contact look-ups"); err != nil {
		return nil, err
	}
	if in.Body.Input == nil && in.Body.Contacts == nil {
		return nil, s.Err(ctx, convene.FieldErrorf("input", "give input (free text) or contacts (a list)"))
	}
	entries, err := contactEntries(in.Body.Input, in.Body.Contacts, "input")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	t, err := s.store.CurrentTenant(ctx)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	res, err := convene.ResolveContacts(ctx, s.store, convene.NewContactParser(t, s.cfg.Phones), entries)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	out := &resolveOutput{}
	out.Body.Entries = viewAll(res, resolutionView)
	return out, nil
}
