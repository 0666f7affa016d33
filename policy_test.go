package convene_test

import (
	"testing"

	"convene"
)

// TestAllowed checks the whole role table of contract section 6 for every
// kind of actor, against one session of tenant 1 owned by user 10.
func TestAllowed(t *testing.T) {
	session := &convene.Session{ID: 100, TenantID: 1, OwnerID: 10}
	user := func(role convene.Role) *convene.User {
		return &convene.User{ID: 20, TenantID: 1, Role: role}
	}
	disabledAdmin := &convene.User{ID: 21, TenantID: 1, Role: convene.RoleAdmin, Disabled: true}

	type actor struct {
		name   string
		actor  convene.Actor
		access convene.Access // the actor's access to the session
	}
	actors := []actor{
		{"tenant admin", convene.Actor{TenantID: 1, User: user(convene.RoleAdmin)}, ""},
		{"session admin", convene.Actor{TenantID: 1, User: user(convene.RoleSessionAdmin)}, ""},
		{"owner", convene.Actor{TenantID: 1, User: user(convene.RoleMember)}, convene.AccessOwner},
		{"collaborator", convene.Actor{TenantID: 1, User: user(convene.RoleMember)}, convene.AccessCollaborate},
		{"viewer", convene.Actor{TenantID: 1, User: user(convene.RoleMember)}, convene.AccessView},
		{"member, no access", convene.Actor{TenantID: 1, User: user(convene.RoleMember)}, ""},
		{"guest viewer", convene.Actor{TenantID: 1, User: user(convene.RoleGuest)}, convene.AccessView},
		{"guest, no access", convene.Actor{TenantID: 1, User: user(convene.RoleGuest)}, ""},
		{"disabled admin", convene.Actor{TenantID: 1, User: disabledAdmin}, convene.AccessOwner},
		{"other tenant's admin", convene.Actor{TenantID: 2, User: &convene.User{ID: 30, TenantID: 2, Role: convene.RoleAdmin}}, ""},
		{"system", convene.Actor{TenantID: 1}, ""},
	}
	// Each row lists the actors (by index in actors) who hold the permission.
	const (
		admin = iota
		sessionAdmin
		owner
		collaborator
		viewer
		memberNoAccess
		guestViewer
		guestNoAccess
		disabled
		otherTenant
		system
	)
	tests := []struct {
		perm    convene.Permission
		allowed []int
	}{
		{convene.PermManageTenant, []int{admin, system}},
		{convene.PermManageUsers, []int{admin, system}},
		{convene.PermReadDirectory, []int{admin, sessionAdmin, owner, collaborator, viewer, memberNoAccess, system}},
		{convene.PermReadAudit, []int{admin, system}},
		{convene.PermCreateSession, []int{admin, sessionAdmin, owner, collaborator, viewer, memberNoAccess, system}},
		{convene.PermMultiInvite, []int{admin, sessionAdmin, system}},
		{convene.PermSeeAllSession, []int{admin, sessionAdmin, system}},
		{convene.PermReadSession, []int{admin, sessionAdmin, owner, collaborator, viewer, guestViewer, system}},
		{convene.PermEditSession, []int{admin, owner, system}},
		{convene.PermDeleteSession, []int{admin, owner, system}},
		{convene.PermManageMembers, []int{admin, sessionAdmin, owner, system}},
		{convene.PermReadContent, []int{admin, sessionAdmin, owner, collaborator, viewer, guestViewer, system}},
		{convene.PermWriteContent, []int{admin, owner, collaborator, system}},
		{convene.PermModerateContent, []int{admin, owner, system}},
		{convene.Permission("no.such.permission"), nil},
	}
	for _, tt := range tests {
		allowed := map[int]bool{}
		for _, i := range tt.allowed {
			allowed[i] = true
		}
		for i, a := range actors {
			t.Run(string(tt.perm)+"/"+a.name, func(t *testing.T) {
				got := convene.Allowed(a.actor, tt.perm, session, a.access)
				if want := allowed[i]; got != want {
					t.Errorf("Allowed = %v, want %v", got, want)
				}
				if err := convene.Authorize(a.actor, tt.perm, session, a.access); (err == nil) != allowed[i] {
					t.Errorf("Authorize = %v, want allowed=%v", err, allowed[i])
				} else if err != nil && convene.ErrorCode(err) != convene.EFORBIDDEN {
					t.Errorf("Authorize error code = %q, want %q", convene.ErrorCode(err), convene.EFORBIDDEN)
				}
			})
		}
	}
}

// TestAllowedRefusesOtherTenantsSession checks that the system actor of one
// tenant, allowed everything at home, may not touch another tenant's session.
func TestAllowedRefusesOtherTenantsSession(t *testing.T) {
	foreign := &convene.Session{ID: 1, TenantID: 2}
	if convene.Allowed(convene.Actor{TenantID: 1}, convene.PermReadSession, foreign, "") {
		t.Error("the system of tenant 1 may read a session of tenant 2")
	}
}
