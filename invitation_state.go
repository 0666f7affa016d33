package convene

// AcceptRefusal explains, as EUNAVAILABLE for a person, why an invitation
// whose state (see Invitation.State) is st cannot be accepted.
func AcceptRefusal(st InvitationStatus) error {
	switch st {
	case InvitationAccepted:
		return Errorf(EUNAVAILABLE, "this invitation was already used")
	case InvitationRevoked:
		return Errorf(EUNAVAILABLE, "this invitation was withdrawn, or replaced by a newer one")
	case InvitationExpired:
		return Errorf(EUNAVAILABLE, "this invitation has expired; ask for a new one")
	}
	return Errorf(EUNAVAILABLE, "this invitation cannot be accepted")
}

// SendRefusal explains, as EUNAVAILABLE, why the message queued for send
// number sent of inv, whose state is st, must not go out: it was sent
// again since, or it is no longer pending.
func SendRefusal(inv *Invitation, sent int, st InvitationStatus) error {
	if st == InvitationPending && inv.SentCount != sent {
		return Errorf(EUNAVAILABLE, "the invitation was sent again since: this message is replaced")
	}
	return Errorf(EUNAVAILABLE, "the invitation is %s", st)
}
