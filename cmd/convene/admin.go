package main

import (
	"context"
	"fmt"

	"convene"
	"convene/internal/auth"
	"convene/internal/phone"
)

// The helpers of the administrative commands (tenant, user, token).

// findTenant returns the tenant with slug, with a message naming it when
// there is none.
func findTenant(ctx context.Context, store convene.Store, slug string) (*convene.Tenant, error) {
	t, err := store.FindTenantBySlug(ctx, slug)
	if convene.ErrorCode(err) == convene.ENOTFOUND {
		return nil, convene.Errorf(convene.ENOTFOUND, "no tenant with slug %q", slug)
	} else if err != nil {
		return nil, fmt.Errorf("find tenant %q: %w", slug, err)
	}
	return t, nil
}

// parseLogins normalises a user's email and phone number, either of which
// may be "", with the tenant's settings. The flags they came from are
// <flagPrefix>email and <flagPrefix>phone, named in the errors.
func parseLogins(tenant *convene.Tenant, flagPrefix, email, tel string) (string, string, error) {
	parser := convene.NewContactParser(tenant, phone.Numbering{})
	email, err := parseContact(parser, flagPrefix+"email", email, convene.ContactEmail)
	if err != nil {
		return "", "", err
	}
	tel, err = parseContact(parser, flagPrefix+"phone", tel, convene.ContactPhone)
	if err != nil {
		return "", "", err
	}
	return email, tel, nil
}

// parseContact normalises the value of flag with the tenant's parser. It
// must be of kind want; "" stays "".
func parseContact(p convene.ContactParser, flag, value string, want convene.ContactKind) (string, error) {
	if value == "" {
		return "", nil
	}
	c := p.Parse(value)
	switch {
	case c.Kind == convene.ContactUnknown:
		return "", convene.FieldErrorf(flag, "%s", c.Reason)
	case c.Kind != want:
		return "", convene.FieldErrorf(flag, "%q is not %s", value, article(want))
	}
	return c.Normalized, nil
}

func article(k convene.ContactKind) string {
	if k == convene.ContactEmail {
		return "an email address"
	}
	return "a phone number"
}

// hashPassword checks password against the policy and hashes it; "" stays
// "" (the user gets a set-password link instead).
func hashPassword(flag, password string) (string, error) {
	if password == "" {
		return "", nil
	}
	if msg := auth.CheckPasswordPolicy(password); msg != "" {
		return "", convene.FieldErrorf(flag, "%s", msg)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return hash, nil
}
