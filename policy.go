package convene

// Permission names one thing a person may try to do. Who may do what
// (contract section 6) is decided here and nowhere else: stores and handlers
// ask Allowed, and policy_test.go checks the whole table.
type Permission string

// The permissions. Tenant-wide ones ignore the session arguments of Allowed.
const (
	PermManageTenant  Permission = "tenant.manage"   // read and change the tenant's settings
	PermManageUsers   Permission = "users.manage"    // register users, change roles, disable
	PermReadDirectory Permission = "users.read"      // list the directory, resolve contacts
	PermReadAudit     Permission = "audit.read"      // read the audit log
	PermCreateSession Permission = "session.create"  // create a session (and own it)
	PermMultiInvite   Permission = "batch.grant"     // add many people to many sessions at once
	PermSeeAllSession Permission = "session.see_all" // see every session of the tenant

	PermReadSession   Permission = "session.read"    // open a session, list its members
	PermEditSession   Permission = "session.edit"    // change title and description, archive
	PermDeleteSession Permission = "session.delete"  // delete it
	PermManageMembers Permission = "session.members" // invite, change access, remove, transfer

	PermReadContent     Permission = "content.read"     // read notes, messages, files; follow the live events
	PermWriteContent    Permission = "content.write"    // add and change notes, messages and files
	PermModerateContent Permission = "content.moderate" // delete what someone else wrote
)

// rule says who holds a permission: every user with one of roles, and, for
// session permissions, every member with one of accesses in that session.
type rule struct {
	roles    []Role
	accesses []Access
}

var (
	admins        = []Role{RoleAdmin}
	sessionAdmins = []Role{RoleAdmin, RoleSessionAdmin}
	nonGuests     = []Role{RoleAdmin, RoleSessionAdmin, RoleMember}
)

// rules is the role table of contract section 6.
var rules = map[Permission]rule{
	PermManageTenant:  {roles: admins},
	PermManageUsers:   {roles: admins},
	PermReadDirectory: {roles: nonGuests},
	PermReadAudit:     {roles: admins},
	PermCreateSession: {roles: nonGuests},
	PermMultiInvite:   {roles: sessionAdmins},
	PermSeeAllSession: {roles: sessionAdmins},

	PermReadSession:   {roles: sessionAdmins, accesses: []Access{AccessOwner, AccessCollaborate, AccessView}},
	PermEditSession:   {roles: admins, accesses: []Access{AccessOwner}},
	PermDeleteSession: {roles: admins, accesses: []Access{AccessOwner}},
	PermManageMembers: {roles: sessionAdmins, accesses: []Access{AccessOwner}},

	// A session's content (contract section 13): whoever may open the
	// session reads it; owner and collaborators write; view only never
	// writes. Tenant Admins may do everything in the tenant, Session Admins
	// manage access, not content.
	PermReadContent:     {roles: sessionAdmins, accesses: []Access{AccessOwner, AccessCollaborate, AccessView}},
	PermWriteContent:    {roles: admins, accesses: []Access{AccessOwner, AccessCollaborate}},
	PermModerateContent: {roles: admins, accesses: []Access{AccessOwner}},
}

// Allowed reports whether actor may do perm. For session permissions, s is
// the session and access the actor's own access to it ("" for none); for
// tenant-wide ones pass nil and "". The system actor may do everything in its
// tenant; a disabled user, and anyone of another tenant, may do nothing.
func Allowed(actor Actor, perm Permission, s *Session, access Access) bool {
	r, known := rules[perm]
	switch {
	case !known:
		return false
	case s != nil && s.TenantID != actor.TenantID:
		return false
	case actor.IsSystem():
		return true
	case actor.User.Disabled || actor.User.TenantID != actor.TenantID:
		return false
	}
	for _, role := range r.roles {
		if actor.User.Role == role {
			return true
		}
	}
	if s == nil {
		return false
	}
	for _, a := range r.accesses {
		if access == a {
			return true
		}
	}
	return false
}

// Authorize is Allowed as an error: EFORBIDDEN with a plain message when the
// actor may not do perm.
func Authorize(actor Actor, perm Permission, s *Session, access Access) error {
	if !Allowed(actor, perm, s, access) {
		return Errorf(EFORBIDDEN, "you are not allowed to do this (%s)", perm)
	}
	return nil
}
