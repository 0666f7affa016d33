package convene

// Why an invite from within a session skips an entry that resolved to a
// person or a valid contact.
const (
	reasonDisabled = "this account is disabled"
	reasonNoGuests = "guests are turned off in this workspace"
)

// DecideInvite decides what inviting the resolved entries res into one
// session does to each (contract section 8). granted holds the results of
// the grant given to the registered entries, one per entry of res as
// DecideBatch makes them (nil when no entry is registered), and
// guestsAllowed is the tenant's setting.
//
// A registered entry takes its grant's outcome (added, upgraded or
// unchanged). An unregistered one is OutcomeInvited when the tenant allows
// guests: the store then creates its invitation and fills InvitationID.
// Every other entry is OutcomeSkipped with a reason for a person.
func DecideInvite(res []Resolution, granted []BatchResult, guestsAllowed bool) []InviteResult {
	out := make([]InviteResult, len(res))
	for i, r := range res {
		out[i] = InviteResult{Input: r.Input, Status: r.Status, Outcome: OutcomeSkipped, Reason: r.Reason}
		switch r.Status {
		case StatusRegistered:
			out[i].UserID = r.User.ID
			out[i].Outcome = granted[i].Outcomes[0]
		case StatusDisabled:
			out[i].Reason = reasonDisabled
		case StatusUnregistered:
			if !guestsAllowed {
				out[i].Reason = reasonNoGuests
				continue
			}
			out[i].Outcome, out[i].Reason = OutcomeInvited, ""
		}
	}
	return out
}
