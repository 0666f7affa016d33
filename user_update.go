package convene

// Apply returns u with the fields of upd that are set.
func (upd UserUpdate) Apply(u User) *User {
	if upd.Name != nil {
		u.Name = *upd.Name
	}
	if upd.Role != nil {
		u.Role = *upd.Role
	}
	if upd.Disabled != nil {
		u.Disabled = *upd.Disabled
	}
	if upd.HasAvatar != nil {
		u.HasAvatar = *upd.HasAvatar
	}
	return &u
}

// LosesActiveAdmin reports whether changing before into after takes an
// active Tenant Admin away (demoted or disabled), which a store allows only
// while another one remains.
func LosesActiveAdmin(before, after *User) bool {
	return before.activeAdmin() && !after.activeAdmin()
}

func (u *User) activeAdmin() bool { return u.Role == RoleAdmin && !u.Disabled }

// LosesSessionsByRole reports whether changing before into after, a user
// who stays enabled, takes away the sight of every session their role
// gave (a Tenant or Session Admin made a member or guest): they keep only
// the sessions they are a member of.
func LosesSessionsByRole(before, after *User) bool {
	seesAll := func(u *User) bool {
		return Allowed(Actor{TenantID: u.TenantID, User: u}, PermSeeAllSession, nil, "")
	}
	return !after.Disabled && seesAll(before) && !seesAll(after)
}
