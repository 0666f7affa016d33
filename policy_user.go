package convene

// AuthorizeUserUpdate decides whether actor may make upd to user id of
// their tenant: a user may change their own name and avatar, Tenant Admins
// (and the system) anything. EFORBIDDEN otherwise.
func AuthorizeUserUpdate(actor Actor, id int64, upd UserUpdate) error {
	if isSelf(actor, id) && upd.Role == nil && upd.Disabled == nil {
		return nil
	}
	return Authorize(actor, PermManageUsers, nil, "")
}

// AuthorizePasswordChange decides whether actor may set the password of
// user id of their tenant: the user themself, Tenant Admins and the system.
// EFORBIDDEN otherwise.
func AuthorizePasswordChange(actor Actor, id int64) error {
	if isSelf(actor, id) {
		return nil
	}
	return Authorize(actor, PermManageUsers, nil, "")
}

// isSelf reports whether actor is the active user id acting for themself.
func isSelf(actor Actor, id int64) bool {
	return !actor.IsSystem() && actor.UserID() == id && !actor.User.Disabled
}
