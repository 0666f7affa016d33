package convene_test

import (
	"reflect"
	"testing"

	"convene"
)

func TestAuthorizeUserUpdate(t *testing.T) {
	name, role, off, avatar := "New", convene.RoleAdmin, true, true
	self := convene.Actor{TenantID: 1, User: &convene.User{ID: 20, TenantID: 1, Role: convene.RoleMember}}
	disabledSelf := convene.Actor{TenantID: 1, User: &convene.User{ID: 20, TenantID: 1, Role: convene.RoleMember, Disabled: true}}
	admin := convene.Actor{TenantID: 1, User: &convene.User{ID: 21, TenantID: 1, Role: convene.RoleAdmin}}
	other := convene.Actor{TenantID: 1, User: &convene.User{ID: 22, TenantID: 1, Role: convene.RoleSessionAdmin}}
	system := convene.Actor{TenantID: 1}
	tests := []struct {
		name  string
		actor convene.Actor
		upd   convene.UserUpdate
		want  string
	}{
		{"own name and avatar", self, convene.UserUpdate{Name: &name, HasAvatar: &avatar}, ""},
		{"own role", self, convene.UserUpdate{Role: &role}, convene.EFORBIDDEN},
		{"own disabled flag", self, convene.UserUpdate{Disabled: &off}, convene.EFORBIDDEN},
		{"disabled, not even own name", disabledSelf, convene.UserUpdate{Name: &name}, convene.EFORBIDDEN},
		{"someone else's name", other, convene.UserUpdate{Name: &name}, convene.EFORBIDDEN},
		{"a tenant admin, anything", admin, convene.UserUpdate{Name: &name, Role: &role, Disabled: &off}, ""},
		{"the system, anything", system, convene.UserUpdate{Role: &role}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := convene.ErrorCode(convene.AuthorizeUserUpdate(tt.actor, 20, tt.upd)); got != tt.want {
				t.Errorf("AuthorizeUserUpdate code = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAuthorizePasswordChange(t *testing.T) {
	user := func(id int64, role convene.Role, disabled bool) convene.Actor {
		return convene.Actor{TenantID: 1, User: &convene.User{ID: id, TenantID: 1, Role: role, Disabled: disabled}}
	}
	tests := []struct {
		name  string
		actor convene.Actor
		want  string
	}{
		{"the user themself", user(20, convene.RoleGuest, false), ""},
		{"the user, disabled", user(20, convene.RoleMember, true), convene.EFORBIDDEN},
		{"another member", user(22, convene.RoleMember, false), convene.EFORBIDDEN},
		{"a session admin", user(23, convene.RoleSessionAdmin, false), convene.EFORBIDDEN},
		{"a tenant admin", user(21, convene.RoleAdmin, false), ""},
		{"the system", convene.Actor{TenantID: 1}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := convene.ErrorCode(convene.AuthorizePasswordChange(tt.actor, 20)); got != tt.want {
				t.Errorf("AuthorizePasswordChange code = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestUserUpdateApply(t *testing.T) {
	name, role, off, avatar := "New", convene.RoleGuest, true, true
	before := convene.User{ID: 20, TenantID: 1, Name: "Old", Email: "a@x.test", Role: convene.RoleMember}
	tests := []struct {
		name string
		upd  convene.UserUpdate
		want convene.User
	}{
		{"nothing set changes nothing", convene.UserUpdate{}, before},
		{"the name only", convene.UserUpdate{Name: &name},
			convene.User{ID: 20, TenantID: 1, Name: "New", Email: "a@x.test", Role: convene.RoleMember}},
		{"every field", convene.UserUpdate{Name: &name, Role: &role, Disabled: &off, HasAvatar: &avatar},
			convene.User{ID: 20, TenantID: 1, Name: "New", Email: "a@x.test", Role: convene.RoleGuest, Disabled: true, HasAvatar: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := before
			if got := tt.upd.Apply(u); !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Apply = %+v, want %+v", *got, tt.want)
			}
			if !reflect.DeepEqual(u, before) {
				t.Errorf("Apply changed its argument: %+v", u)
			}
		})
	}
}

func TestLosesActiveAdmin(t *testing.T) {
	u := func(role convene.Role, disabled bool) *convene.User {
		return &convene.User{Role: role, Disabled: disabled}
	}
	tests := []struct {
		name          string
		before, after *convene.User
		want          bool
	}{
		{"an admin demoted", u(convene.RoleAdmin, false), u(convene.RoleMember, false), true},
		{"an admin disabled", u(convene.RoleAdmin, false), u(convene.RoleAdmin, true), true},
		{"an admin renamed", u(convene.RoleAdmin, false), u(convene.RoleAdmin, false), false},
		{"a disabled admin demoted", u(convene.RoleAdmin, true), u(convene.RoleMember, true), false},
		{"a member promoted", u(convene.RoleMember, false), u(convene.RoleAdmin, false), false},
		{"a member disabled", u(convene.RoleMember, false), u(convene.RoleMember, true), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := convene.LosesActiveAdmin(tt.before, tt.after); got != tt.want {
				t.Errorf("LosesActiveAdmin = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSessionUpdateApply(t *testing.T) {
	title, desc, archived := "New", "About", true
	before := convene.Session{ID: 1, TenantID: 1, OwnerID: 20, Title: "Old", Description: "Was"}
	tests := []struct {
		name string
		upd  convene.SessionUpdate
		want convene.Session
	}{
		{"nothing set changes nothing", convene.SessionUpdate{}, before},
		{"the title only", convene.SessionUpdate{Title: &title}, convene.Session{ID: 1, TenantID: 1, OwnerID: 20, Title: "New", Description: "Was"}},
		{"every field", convene.SessionUpdate{Title: &title, Description: &desc, Archived: &archived},
			convene.Session{ID: 1, TenantID: 1, OwnerID: 20, Title: "New", Description: "About", Archived: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.upd.Apply(before); !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("Apply = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestLosesSessionsByRole(t *testing.T) {
	user := func(role convene.Role, disabled bool) *convene.User {
		return &convene.User{ID: 7, TenantID: 1, Role: role, Disabled: disabled}
	}
	tests := []struct {
		name          string
		before, after *convene.User
		want          bool
	}{
		{"a Tenant Admin made a member", user(convene.RoleAdmin, false), user(convene.RoleMember, false), true},
		{"a Session Admin made a guest", user(convene.RoleSessionAdmin, false), user(convene.RoleGuest, false), true},
		{"a Tenant Admin made a Session Admin", user(convene.RoleAdmin, false), user(convene.RoleSessionAdmin, false), false},
		{"a member made an admin", user(convene.RoleMember, false), user(convene.RoleAdmin, false), false},
		{"a member made a guest", user(convene.RoleMember, false), user(convene.RoleGuest, false), false},
		{"an admin disabled and demoted: ended, not rechecked", user(convene.RoleAdmin, false), user(convene.RoleMember, true), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := convene.LosesSessionsByRole(tt.before, tt.after); got != tt.want {
				t.Errorf("LosesSessionsByRole = %v, want %v", got, tt.want)
			}
		})
	}
}
