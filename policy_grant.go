package convene

// AuthorizeMembers decides whether actor may change the members of every
// session of ids at once (a grant, an invite), given found: those of ids
// that exist in the actor's tenant, keyed by id, with the actor's own
// access in MyAccess. ENOTFOUND for the first id missing from found or that
// the actor may not read (so that it looks as if it did not exist), then
// EFORBIDDEN for the first whose members the actor may not manage.
func AuthorizeMembers(actor Actor, ids []int64, found map[int64]*Session) error {
	for _, id := range ids {
		if s := found[id]; s == nil || !Allowed(actor, PermReadSession, s, s.MyAccess) {
			return Errorf(ENOTFOUND, "session %d not found", id)
		}
	}
	return AuthorizeExistingMembers(actor, ids, found)
}

// AuthorizeExistingMembers is AuthorizeMembers for an undo, whose sessions
// may have been deleted since the batch: ids missing from found are
// skipped, and EFORBIDDEN answers the first other whose members the actor
// may not manage, readable or not.
func AuthorizeExistingMembers(actor Actor, ids []int64, found map[int64]*Session) error {
	for _, id := range ids {
		if s := found[id]; s != nil && !Allowed(actor, PermManageMembers, s, s.MyAccess) {
			return Errorf(EFORBIDDEN, "you may not manage the members of session %d", id)
		}
	}
	return nil
}

// CanSeeBatch reports whether actor may read (and so try to undo) batch b
// of their tenant: its actor, and whoever may multi-invite (Session and
// Tenant Admins). Anyone else is told the batch does not exist.
func CanSeeBatch(actor Actor, b *Batch) bool {
	return b.ActorID == actor.UserID() || Allowed(actor, PermMultiInvite, nil, "")
}
