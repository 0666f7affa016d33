package convene

import "strings"

// Classify resolves parsed contacts against users, in input order. users
// are the candidates the caller found, already confined to the actor's
// tenant: Classify registers nobody else. The first entry reaching a person
// is registered (or disabled); later entries reaching the same person, by
// any of their contacts, or repeating an unregistered contact, are
// duplicates naming the earlier input.
func Classify(contacts []Contact, users []*User) []Resolution {
	cl := newClassifier(users)
	out := make([]Resolution, len(contacts))
	for i, c := range contacts {
		out[i] = cl.resolve(c)
	}
	return out
}

// classifier remembers, along one list, whom earlier entries reached.
type classifier struct {
	byEmail, byPhone map[string]*User
	seenUser         map[int64]string  // user ID -> first input reaching them
	seenValue        map[string]string // unregistered Normalized -> first input
}

func newClassifier(users []*User) *classifier {
	byEmail, byPhone := indexUsers(users)
	return &classifier{byEmail: byEmail, byPhone: byPhone,
		seenUser: make(map[int64]string), seenValue: make(map[string]string)}
}

func (cl *classifier) resolve(c Contact) Resolution {
	r := Resolution{Contact: c}
	if c.Kind == ContactUnknown || c.Normalized == "" {
		r.Status, r.Reason = StatusInvalid, c.Reason
		return r
	}
	u := matchUser(c, cl.byEmail, cl.byPhone)
	if u == nil {
		return cl.resolveUnregistered(r)
	}
	r.User = u
	first, dup := cl.seenUser[u.ID]
	switch {
	case dup:
		r.Status, r.Reason = StatusDuplicate, "same person as "+first
	case u.Disabled:
		r.Status, r.Reason = StatusDisabled, "this user is disabled"
	default:
		r.Status = StatusRegistered
	}
	if !dup {
		cl.seenUser[u.ID] = c.Input
	}
	return r
}

// resolveUnregistered settles a valid contact nobody in the tenant has.
// Nothing ties two different unregistered contacts to one person, so only
// the same normalised value repeats one.
func (cl *classifier) resolveUnregistered(r Resolution) Resolution {
	if first, dup := cl.seenValue[r.Normalized]; dup {
		r.Status, r.Reason = StatusDuplicate, "same person as "+first
		return r
	}
	cl.seenValue[r.Normalized] = r.Input
	r.Status = StatusUnregistered
	return r
}

// indexUsers maps the users' emails and phones to them. Should two users
// share one (which the stores forbid within a tenant), the first wins, so
// the result does not depend on map order.
func indexUsers(users []*User) (byEmail, byPhone map[string]*User) {
	byEmail, byPhone = make(map[string]*User), make(map[string]*User)
	for _, u := range users {
		if u == nil {
			continue
		}
		if e := strings.ToLower(u.Email); e != "" && byEmail[e] == nil {
			byEmail[e] = u
		}
		if u.Phone != "" && byPhone[u.Phone] == nil {
			byPhone[u.Phone] = u
		}
	}
	return byEmail, byPhone
}

// matchUser returns the user owning contact c, or nil. An email is only
// compared with emails and a phone with phones.
func matchUser(c Contact, byEmail, byPhone map[string]*User) *User {
	switch c.Kind {
	case ContactEmail:
		return byEmail[c.Normalized]
	case ContactPhone:
		return byPhone[c.Normalized]
	}
	return nil
}
