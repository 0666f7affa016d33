package convene_test

import (
	"testing"

	"convene"
)

// Sessions of tenant 1 as a store finds them for member 20: 1 it owns,
// 2 it views, 3 it has no access to; 4 does not exist (deleted).
func sessionsFound() map[int64]*convene.Session {
	return map[int64]*convene.Session{
		1: {ID: 1, TenantID: 1, OwnerID: 20, MyAccess: convene.AccessOwner},
		2: {ID: 2, TenantID: 1, OwnerID: 10, MyAccess: convene.AccessView},
		3: {ID: 3, TenantID: 1, OwnerID: 10},
	}
}

// TestAuthorizeMembers checks both session checks: a grant's and an
// invite's (AuthorizeMembers), and an undo's (AuthorizeExistingMembers).
func TestAuthorizeMembers(t *testing.T) {
	member := convene.Actor{TenantID: 1, User: &convene.User{ID: 20, TenantID: 1, Role: convene.RoleMember}}
	sessionAdmin := convene.Actor{TenantID: 1, User: &convene.User{ID: 21, TenantID: 1, Role: convene.RoleSessionAdmin}}
	system := convene.Actor{TenantID: 1}
	grant, undo := convene.AuthorizeMembers, convene.AuthorizeExistingMembers
	forbidden := func(id string) string { return "you may not manage the members of session " + id }
	tests := []struct {
		name        string
		check       func(convene.Actor, []int64, map[int64]*convene.Session) error
		actor       convene.Actor
		ids         []int64
		want        string // error code; "" for allowed
		wantMessage string
	}{
		{"owner of every session", grant, member, []int64{1}, "", ""},
		{"a viewer may not manage", grant, member, []int64{1, 2}, convene.EFORBIDDEN, forbidden("2")},
		{"a session one cannot read does not exist", grant, member, []int64{1, 3}, convene.ENOTFOUND, "session 3 not found"},
		{"not found wins over forbidden", grant, member, []int64{2, 4}, convene.ENOTFOUND, "session 4 not found"},
		{"the first missing id is named", grant, member, []int64{4, 3}, convene.ENOTFOUND, "session 4 not found"},
		{"a session admin manages them all", grant, sessionAdmin, []int64{1, 2, 3}, "", ""},
		{"a deleted session is not found, even for an admin", grant, sessionAdmin, []int64{1, 4}, convene.ENOTFOUND, "session 4 not found"},
		{"the system manages them all", grant, system, []int64{1, 2, 3}, "", ""},

		{"undo: deleted sessions are skipped", undo, member, []int64{1, 4}, "", ""},
		{"undo: a viewer may not manage", undo, member, []int64{1, 2}, convene.EFORBIDDEN, forbidden("2")},
		{"undo: a session one cannot read is forbidden, not missing", undo, member, []int64{3, 4}, convene.EFORBIDDEN, forbidden("3")},
		{"undo: the first refused id is named", undo, member, []int64{3, 2}, convene.EFORBIDDEN, forbidden("3")},
		{"undo: a session admin manages what is left", undo, sessionAdmin, []int64{1, 2, 3, 4}, "", ""},
		{"undo: nothing left", undo, member, []int64{4}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.check(tt.actor, tt.ids, sessionsFound())
			if got := convene.ErrorCode(err); got != tt.want {
				t.Fatalf("check = %v, want code %q", err, tt.want)
			}
			if got := convene.ErrorMessage(err); got != tt.wantMessage {
				t.Errorf("message = %q, want %q", got, tt.wantMessage)
			}
		})
	}
}

func TestCanSeeBatch(t *testing.T) {
	user := func(id int64, role convene.Role) convene.Actor {
		return convene.Actor{TenantID: 1, User: &convene.User{ID: id, TenantID: 1, Role: role}}
	}
	batch := &convene.Batch{ID: 5, TenantID: 1, ActorID: 20}
	tests := []struct {
		name  string
		actor convene.Actor
		want  bool
	}{
		{"its actor", user(20, convene.RoleMember), true},
		{"another member", user(22, convene.RoleMember), false},
		{"a guest", user(23, convene.RoleGuest), false},
		{"a session admin", user(21, convene.RoleSessionAdmin), true},
		{"a tenant admin", user(24, convene.RoleAdmin), true},
		{"the system", convene.Actor{TenantID: 1}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := convene.CanSeeBatch(tt.actor, batch); got != tt.want {
				t.Errorf("CanSeeBatch = %v, want %v", got, tt.want)
			}
		})
	}
}
