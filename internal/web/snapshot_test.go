package web_test

import (
	"fmt"
	"strings"

	"convene"
)

// snapshot writes down everything a write endpoint could change in tenant
// acme, to tell whether a request wrote anything.
func (e *env) snapshot() string {
	e.t.Helper()
	ctx := e.sys()
	var b strings.Builder
	t, err := e.store.CurrentTenant(ctx)
	if err != nil {
		e.t.Fatalf("CurrentTenant: %v", err)
	}
	fmt.Fprintf(&b, "tenant %q %s %s %v %v\n", t.Name, t.DefaultRegion, t.PhoneAliasDomain, t.GuestsAllowed, t.InvitationTTL)
	for cursor := ""; ; {
		users, next, err := e.store.FindUsers(ctx, convene.UserFilter{Limit: 100, Cursor: cursor})
		if err != nil {
			e.t.Fatalf("FindUsers: %v", err)
		}
		for _, u := range users {
			fmt.Fprintf(&b, "user %d %q %s %s %s %v %v\n", u.ID, u.Name, u.Email, u.Phone, u.Role, u.Disabled, u.PasswordHash != "")
			toks, err := e.store.FindTokens(as(u))
			if err == nil {
				fmt.Fprintf(&b, " tokens %d\n", len(toks))
			}
		}
		if cursor = next; next == "" {
			break
		}
	}
	for cursor := ""; ; {
		sessions, next, err := e.store.FindSessions(ctx, convene.SessionFilter{Limit: 100, Cursor: cursor})
		if err != nil {
			e.t.Fatalf("FindSessions: %v", err)
		}
		for _, s := range sessions {
			fmt.Fprintf(&b, "session %d %q %q %v\n", s.ID, s.Title, s.Description, s.Archived)
			members, err := e.store.Members(ctx, s.ID)
			if err != nil {
				e.t.Fatalf("Members: %v", err)
			}
			for _, m := range members {
				fmt.Fprintf(&b, " member %d %s\n", m.UserID, m.Access)
			}
		}
		if cursor = next; next == "" {
			break
		}
	}
	n := 0
	for cursor := ""; ; {
		events, next, err := e.store.FindAuditEvents(ctx, convene.AuditFilter{Limit: 500, Cursor: cursor})
		if err != nil {
			e.t.Fatalf("FindAuditEvents: %v", err)
		}
		n += len(events)
		if cursor = next; next == "" {
			break
		}
	}
	fmt.Fprintf(&b, "audit events %d\n", n)
	return b.String()
}
