package convene

import "strings"

// UnregisteredMode says what a multi-invite does with the contacts nobody
// in the tenant has yet (contract section 14).
type UnregisteredMode string

// The modes. "" reads as UnregisteredSkip, the behaviour of section 7.
const (
	UnregisteredSkip     UnregisteredMode = "skip"     // report them, do nothing
	UnregisteredRequest  UnregisteredMode = "request"  // an access request each, granted once they register
	UnregisteredRegister UnregisteredMode = "register" // register them as members now, and grant
	UnregisteredGuest    UnregisteredMode = "guest"    // one guest invitation each, for all the sessions
)

// The statuses a multi-invite gives unregistered entries besides
// StatusUnregistered (skipped): what the mode did with them.
const (
	StatusRegisteredNow ContactStatus = "registered_now" // registered by this batch, and granted
	StatusRequested     ContactStatus = "requested"      // an access request waits for them
	StatusInvited       ContactStatus = "invited"        // a guest invitation was sent
)

// Valid reports whether m is one of the modes ("" included).
func (m UnregisteredMode) Valid() bool {
	switch m {
	case "", UnregisteredSkip, UnregisteredRequest, UnregisteredRegister, UnregisteredGuest:
		return true
	}
	return false
}

// Granted reports whether an entry of status s gets the batch's access
// to every session: a registered user, or one the batch registered.
func (s ContactStatus) Granted() bool {
	return s == StatusRegistered || s == StatusRegisteredNow
}

// AuthorizeUnregistered applies the role rules of section 14 to a
// multi-invite's mode, for an actor who may multi-invite: register is for
// Tenant Admins (EFORBIDDEN), guest needs a tenant that allows guests
// (EINVALID on the field, as the dashboard never offers it then).
func AuthorizeUnregistered(actor Actor, mode UnregisteredMode, guestsAllowed bool) error {
	switch mode {
	case UnregisteredRegister:
		if !Allowed(actor, PermManageUsers, nil, "") {
			return Errorf(EFORBIDDEN, "only a Tenant Admin may register people while adding them")
		}
	case UnregisteredGuest:
		if !guestsAllowed {
			return FieldErrorf("unregistered", "guests are turned off in this workspace")
		}
	case UnregisteredRequest:
		return Authorize(actor, PermMultiInvite, nil, "")
	}
	return nil
}

// SettleUnregistered gives every unregistered entry of res the status
// mode gives it, in place: the store then registers (registered_now),
// asks (requested) or invites (invited) each. Other entries stay.
func SettleUnregistered(mode UnregisteredMode, res []Resolution) {
	status := map[UnregisteredMode]ContactStatus{
		UnregisteredRequest: StatusRequested, UnregisteredRegister: StatusRegisteredNow, UnregisteredGuest: StatusInvited,
	}[mode]
	if status == "" {
		return
	}
	for i := range res {
		if res[i].Status == StatusUnregistered {
			res[i].Status = status
		}
	}
}

// NameOfContact is the name a person registered from a pasted entry gets:
// the display name of "Name <addr>" (unquoted), else the address itself.
func NameOfContact(c Contact) string {
	if name := displayName(c.Input); name != "" {
		return name
	}
	return c.Normalized
}

// displayName returns the display name of "Name <addr>" or "\"Doe, Jane\"
// <addr>", without its quotes; "" when in has none.
func displayName(in string) string {
	open := strings.LastIndexByte(in, '<')
	if open < 0 {
		return ""
	}
	name := strings.TrimSpace(in[:open])
	if len(name) >= 2 && name[0] == '"' && name[len(name)-1] == '"' {
		name = strings.TrimSpace(name[1 : len(name)-1])
	}
	return name
}
