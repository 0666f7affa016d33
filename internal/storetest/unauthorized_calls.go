package storetest

import (
	"context"
	"testing"

	"convene"
)

// unauthorizedCalls returns, by method name, a call of each tenant-scoped
// method of convene.Store with arguments that would succeed for the
// tenant's admin: a store that forgot the actor check would then write,
// and testUnauthorized would see it. It also returns the sessions the
// calls name, for the snapshot.
func unauthorizedCalls(t *testing.T, f *Fixture) (map[string]func(ctx context.Context) error, []int64) {
	u := f.Member(t, "jane")
	s := f.Session(t, f.Admin, "Plans")
	batch := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{u.Email}, Access: convene.AccessView})
	invited, err := f.Store.InviteToSession(As(f.Admin), s.ID, []string{"guest@elsewhere.test"}, convene.AccessView)
	if err != nil || len(invited) != 1 || invited[0].InvitationID == 0 {
		t.Fatalf("InviteToSession: %+v, %v; want one invitation", invited, err)
	}
	calls := map[string]func(ctx context.Context) error{}
	for _, group := range []map[string]func(ctx context.Context) error{
		tenantAndUserCalls(f.Store, u),
		sessionCalls(f.Store, s, u, batch),
		credentialCalls(f.Store, u, invited[0].InvitationID),
		placeCalls(t, f, s),
		batchHistoryCalls(t, f, s),
	} {
		for name, call := range group {
			calls[name] = call
		}
	}
	return calls, []int64{s.ID}
}

// tenantAndUserCalls calls the tenant's and the users' methods on u.
func tenantAndUserCalls(st convene.Store, u *convene.User) map[string]func(ctx context.Context) error {
	name := "X"
	return map[string]func(ctx context.Context) error{
		"CurrentTenant": func(ctx context.Context) error { _, err := st.CurrentTenant(ctx); return err },
		"UpdateTenant": func(ctx context.Context) error {
			_, err := st.UpdateTenant(ctx, convene.TenantUpdate{Name: &name})
			return err
		},
		"CreateUser": func(ctx context.Context) error {
			return st.CreateUser(ctx, &convene.User{Name: "X", Email: "x@acme.test", Role: convene.RoleMember})
		},
		"CreateUserWithPasswordLink": func(ctx context.Context) error {
			_, err := st.CreateUserWithPasswordLink(ctx, &convene.User{Name: "Y", Email: "y@acme.test", Role: convene.RoleMember}, true)
			return err
		},
		"FindUserByID":    func(ctx context.Context) error { _, err := st.FindUserByID(ctx, u.ID); return err },
		"FindUserByLogin": func(ctx context.Context) error { _, err := st.FindUserByLogin(ctx, u.Email); return err },
		"FindUsers":       func(ctx context.Context) error { _, _, err := st.FindUsers(ctx, convene.UserFilter{}); return err },
		"FindUsersByContacts": func(ctx context.Context) error {
			_, err := st.FindUsersByContacts(ctx, []string{u.Email}, nil)
			return err
		},
		"UpdateUser": func(ctx context.Context) error {
			_, err := st.UpdateUser(ctx, u.ID, convene.UserUpdate{Name: &name})
			return err
		},
		"SetAvatar": func(ctx context.Context) error { return st.SetAvatar(ctx, u.ID, "image/png", []byte("\x89PNG")) },
		"Avatar":    func(ctx context.Context) error { _, _, err := st.Avatar(ctx, u.ID); return err },
		"FindAuditEvents": func(ctx context.Context) error {
			_, _, err := st.FindAuditEvents(ctx, convene.AuditFilter{})
			return err
		},
		"FindJobs": func(ctx context.Context) error { _, err := st.FindJobs(ctx, convene.JobFilter{}); return err },
	}
}

// sessionCalls calls the methods on sessions, their members and batches.
func sessionCalls(st convene.Store, s *convene.Session, u *convene.User, batch *convene.Batch) map[string]func(ctx context.Context) error {
	title := "X"
	return map[string]func(ctx context.Context) error{
		"CreateSession":   func(ctx context.Context) error { return st.CreateSession(ctx, &convene.Session{Title: "X"}) },
		"FindSessionByID": func(ctx context.Context) error { _, err := st.FindSessionByID(ctx, s.ID); return err },
		"FindSessions": func(ctx context.Context) error {
			_, _, err := st.FindSessions(ctx, convene.SessionFilter{})
			return err
		},
		"FindSessionsPage": func(ctx context.Context) error {
			_, err := st.FindSessionsPage(ctx, convene.SessionFilter{})
			return err
		},
		"CountSessions": func(ctx context.Context) error {
			_, _, err := st.CountSessions(ctx, convene.SessionFilter{})
			return err
		},
		"SessionTitles": func(ctx context.Context) error { _, err := st.SessionTitles(ctx, []int64{s.ID}); return err },
		"UpdateSession": func(ctx context.Context) error {
			_, err := st.UpdateSession(ctx, s.ID, convene.SessionUpdate{Title: &title})
			return err
		},
		"DeleteSession": func(ctx context.Context) error { return st.DeleteSession(ctx, s.ID) },
		"Members":       func(ctx context.Context) error { _, err := st.Members(ctx, s.ID); return err },
		"Grant": func(ctx context.Context) error {
			_, err := st.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{u.Email}, Access: convene.AccessCollaborate})
			return err
		},
		"SetAccess": func(ctx context.Context) error {
			_, err := st.SetAccess(ctx, s.ID, u.ID, convene.AccessCollaborate)
			return err
		},
		"RemoveMember":      func(ctx context.Context) error { return st.RemoveMember(ctx, s.ID, u.ID) },
		"TransferOwnership": func(ctx context.Context) error { return st.TransferOwnership(ctx, s.ID, u.ID) },
		"FindBatch":         func(ctx context.Context) error { _, err := st.FindBatch(ctx, batch.ID); return err },
		"FindBatchSummary":  func(ctx context.Context) error { _, err := st.FindBatchSummary(ctx, batch.ID); return err },
		"UserSessions": func(ctx context.Context) error {
			_, _, err := st.UserSessions(ctx, u.ID, convene.MemberFilter{})
			return err
		},
		"MembersPage": func(ctx context.Context) error {
			_, _, err := st.MembersPage(ctx, s.ID, convene.MemberFilter{})
			return err
		},
		"ChangeAccess": func(ctx context.Context) error {
			_, err := st.ChangeAccess(ctx, convene.AccessChangeRequest{SessionIDs: []int64{s.ID}, Contacts: []string{u.Email}, Action: convene.ActionRemove})
			return err
		},
		"UndoBatch": func(ctx context.Context) error { _, err := st.UndoBatch(ctx, batch.ID); return err },
		"InviteToSession": func(ctx context.Context) error {
			_, err := st.InviteToSession(ctx, s.ID, []string{"other@elsewhere.test"}, convene.AccessView)
			return err
		},
	}
}

// credentialCalls calls the methods on tokens, password links and
// invitations; invitationID is a pending invitation.
func credentialCalls(st convene.Store, u *convene.User, invitationID int64) map[string]func(ctx context.Context) error {
	return map[string]func(ctx context.Context) error{
		"SetPasswordHash": func(ctx context.Context) error { return st.SetPasswordHash(ctx, u.ID, "h") },
		"CreateToken": func(ctx context.Context) error {
			return st.CreateToken(ctx, &convene.Token{UserID: u.ID, Name: "t", Hash: "ff"})
		},
		"FindTokens":  func(ctx context.Context) error { _, err := st.FindTokens(ctx); return err },
		"RevokeToken": func(ctx context.Context) error { return st.RevokeToken(ctx, 1) },
		"CreatePasswordLink": func(ctx context.Context) error {
			_, err := st.CreatePasswordLink(ctx, convene.PasswordLinkRequest{UserID: u.ID, Purpose: convene.PasswordLinkReset, Send: true})
			return err
		},
		"RequestPasswordReset": func(ctx context.Context) error { return st.RequestPasswordReset(ctx, u.Email) },
		"FindInvitations": func(ctx context.Context) error {
			_, err := st.FindInvitations(ctx, convene.InvitationFilter{})
			return err
		},
		"ResendInvitation": func(ctx context.Context) error { _, err := st.ResendInvitation(ctx, invitationID); return err },
		"RevokeInvitation": func(ctx context.Context) error { return st.RevokeInvitation(ctx, invitationID) },
	}
}
