// Package demo fills a store with a demo tenant: users with names, emails
// and phone numbers, a hundred-odd sessions, some memberships, and what
// the sessions hold (notes, a discussion, files), so that "convene demo"
// shows a lived-in workspace.
package demo

import (
	"context"
	"fmt"

	"convene"
	"convene/internal/auth"
)

// Credentials say how to sign in to the demo tenant.
type Credentials struct {
	Workspace            string
	AdminLogin           string
	AdminPassword        string
	SessionAdminLogin    string
	SessionAdminPassword string
	MemberLogin          string
	MemberPassword       string
}

// The demo's known sign-in details.
const (
	Workspace            = "demo"
	AdminEmail           = "admin@demo.test"
	AdminPassword        = "demo-admin-pass"
	SessionAdminEmail    = "sessions@demo.test"
	SessionAdminPassword = "demo-sessions-pass"
	MemberPassword       = "demo-member-pass"
	// PhoneAliasDomain makes <digits>@collaborate.center a phone number
	// in the demo, as the docs' example 13245768342@collaborate.center.
	PhoneAliasDomain = "collaborate.center"
)

// Seed creates the demo tenant (slug "demo") in store: a Tenant Admin and a
// Session Admin with known passwords, 20 users (some with a phone number
// only; all with MemberPassword), 120 sessions owned by various users, a
// few memberships, an agenda note in every session and, in the sessions
// people were invited to, notes, messages and files (a PNG chart among
// them). It fails with ECONFLICT if the tenant exists.
func Seed(ctx context.Context, store convene.Store, phones convene.PhoneNumbering) (Credentials, error) {
	tenant := &convene.Tenant{
		Slug: Workspace, Name: "Demo Company", DefaultRegion: "US", PhoneAliasDomain: PhoneAliasDomain,
		GuestsAllowed: true, InvitationTTL: convene.DefaultInvitationTTL,
	}
	admin, err := staff("Ada Admin", AdminEmail, convene.RoleAdmin, AdminPassword)
	if err != nil {
		return Credentials{}, err
	}
	if err := store.CreateTenant(ctx, tenant, admin); err != nil {
		return Credentials{}, fmt.Errorf("create demo tenant: %w", err)
	}
	sys := convene.NewSystemContext(ctx, tenant.ID)
	sessionAdmin, err := staff("Sam Sessions", SessionAdminEmail, convene.RoleSessionAdmin, SessionAdminPassword)
	if err != nil {
		return Credentials{}, err
	}
	if err := store.CreateUser(sys, sessionAdmin); err != nil {
		return Credentials{}, fmt.Errorf("create session admin: %w", err)
	}
	members, err := createPeople(sys, store, convene.NewContactParser(tenant, phones))
	if err != nil {
		return Credentials{}, err
	}
	owners := append([]*convene.User{admin, sessionAdmin}, members...)
	sessions, err := createSessions(ctx, store, owners)
	if err != nil {
		return Credentials{}, err
	}
	busy, err := grantSome(ctx, store, sessionAdmin, sessions, members)
	if err != nil {
		return Credentials{}, err
	}
	byID := make(map[int64]*convene.User, len(owners))
	for _, u := range owners {
		byID[u.ID] = u
	}
	if err := seedContent(ctx, store, sessions, byID, busy); err != nil {
		return Credentials{}, err
	}
	return Credentials{
		Workspace: Workspace, AdminLogin: AdminEmail, AdminPassword: AdminPassword,
		SessionAdminLogin: SessionAdminEmail, SessionAdminPassword: SessionAdminPassword,
		MemberLogin: members[0].Login(), MemberPassword: MemberPassword,
	}, nil
}

// staff returns an unsaved user with a hashed password.
func staff(name, email string, role convene.Role, password string) (*convene.User, error) {
	hash, err := auth.HashPassword(password)
	if err != nil {
		return nil, fmt.Errorf("hash demo password: %w", err)
	}
	return &convene.User{Name: name, Email: email, Role: role, PasswordHash: hash}, nil
}

// createPeople registers the 20 demo users, with contacts normalised as the
// dashboard would, and one shared password hash (hashing costs time).
func createPeople(ctx context.Context, store convene.Store, parser convene.ContactParser) ([]*convene.User, error) {
	hash, err := auth.HashPassword(MemberPassword)
	if err != nil {
		return nil, fmt.Errorf("hash demo password: %w", err)
	}
	users := make([]*convene.User, 0, len(people))
	for _, p := range people {
		u := &convene.User{Name: p.name, Role: convene.RoleMember, PasswordHash: hash}
		if u.Email, err = normalize(parser, p.email); err != nil {
			return nil, err
		}
		if u.Phone, err = normalize(parser, p.phone); err != nil {
			return nil, err
		}
		if err := store.CreateUser(ctx, u); err != nil {
			return nil, fmt.Errorf("create demo user %s: %w", p.name, err)
		}
		users = append(users, u)
	}
	return users, nil
}

// normalize returns a demo contact in its stored form; "" stays "".
func normalize(parser convene.ContactParser, contact string) (string, error) {
	if contact == "" {
		return "", nil
	}
	c := parser.Parse(contact)
	if c.Kind == convene.ContactUnknown {
		return "", fmt.Errorf("demo contact %q: %s", contact, c.Reason)
	}
	return c.Normalized, nil
}

// createSessions creates the 120 sessions, each owned by one of owners in
// turn, acting as that owner.
func createSessions(ctx context.Context, store convene.Store, owners []*convene.User) ([]*convene.Session, error) {
	titles := sessionTitles()
	sessions := make([]*convene.Session, 0, len(titles))
	for i, title := range titles {
		owner := owners[(i*7)%len(owners)]
		s := &convene.Session{Title: title, Description: descriptions[i%len(descriptions)]}
		if err := store.CreateSession(convene.NewContextWithUser(ctx, owner), s); err != nil {
			return nil, fmt.Errorf("create demo session %q: %w", title, err)
		}
		sessions = append(sessions, s)
	}
	return sessions, nil
}

// grantSome adds a few people to a few sessions, as multi-invites by the
// Session Admin: two collaborating groups and one viewing group. It
// returns, for each of those sessions, the people it gave write access
// (none for the viewing group's).
func grantSome(ctx context.Context, store convene.Store, by *convene.User, sessions []*convene.Session, members []*convene.User) (map[int64][]*convene.User, error) {
	asAdmin := convene.NewContextWithUser(ctx, by)
	grants := []struct {
		sessions []*convene.Session
		people   []*convene.User
		access   convene.Access
	}{
		{sessions[0:3], members[0:5], convene.AccessCollaborate},
		{sessions[10:12], members[5:9], convene.AccessCollaborate},
		{sessions[20:24], members[14:20], convene.AccessView},
	}
	busy := map[int64][]*convene.User{}
	for i, g := range grants {
		req := convene.GrantRequest{Access: g.access}
		for _, s := range g.sessions {
			req.SessionIDs = append(req.SessionIDs, s.ID)
			if g.access == convene.AccessCollaborate {
				busy[s.ID] = g.people
			} else {
				busy[s.ID] = nil
			}
		}
		for _, u := range g.people {
			req.Contacts = append(req.Contacts, u.Login())
		}
		if _, err := store.Grant(asAdmin, req); err != nil {
			return nil, fmt.Errorf("demo invitation %d: %w", i+1, err)
		}
	}
	return busy, nil
}
