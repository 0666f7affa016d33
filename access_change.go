package convene

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// AccessAction is what a bulk access change does to each member
// (contract section 15): set their access, either way, or remove them.
type AccessAction string

// The actions of a bulk access change.
const (
	ActionView        AccessAction = "view"
	ActionCollaborate AccessAction = "collaborate"
	ActionRemove      AccessAction = "remove"
)

// Access is the access a member ends with; "" for remove.
func (a AccessAction) Access() Access {
	if a == ActionRemove {
		return ""
	}
	return Access(a)
}

// The outcomes of a bulk access change, beside OutcomeUnchanged.
const (
	OutcomeChanged   Outcome = "changed"    // the member's access was set or removed
	OutcomeNotMember Outcome = "not_member" // the person is no member: nothing to change
	OutcomeOwner     Outcome = "owner"      // the owner: never changed this way
)

// AccessChangeRequest asks to set or remove the access of every
// registered contact in every session (POST /api/v1/access/bulk).
type AccessChangeRequest struct {
	SessionIDs     []int64
	SessionQuery   *SessionQuery // instead of SessionIDs: resolved when applied
	Contacts       []string
	Action         AccessAction
	IdempotencyKey string
}

// Validate checks the limits and the action, before anything is read.
func (r *AccessChangeRequest) Validate() error {
	if err := validateBatchRequest(r.SessionIDs, r.SessionQuery, r.Contacts, r.IdempotencyKey); err != nil {
		return err
	}
	if r.Action != ActionView && r.Action != ActionCollaborate && r.Action != ActionRemove {
		return FieldErrorf("action", `must be "view", "collaborate" or "remove"`)
	}
	return nil
}

// Fingerprint identifies the request's content; it never equals a
// multi-invite's, so that one idempotency key cannot replay the other.
func (r *AccessChangeRequest) Fingerprint() string {
	b, _ := json.Marshal(struct {
		K string
		S []int64
		Q *SessionQuery
		C []string
		A AccessAction
	}{"access", r.SessionIDs, r.SessionQuery, r.Contacts, r.Action})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// DecideAccessChange is the rule of a bulk access change for one pair:
// a person who is no member stays none, the owner stays owner, anyone
// else ends with the action's access (lowering too) or is removed.
func DecideAccessChange(current Access, action AccessAction) Outcome {
	switch {
	case current == "":
		return OutcomeNotMember
	case current == AccessOwner:
		return OutcomeOwner
	case current == action.Access():
		return OutcomeUnchanged
	default:
		return OutcomeChanged
	}
}

// DecideAccessBatch decides a bulk access change as DecideBatch decides a
// multi-invite, and records in Before the access of every pair it changes,
// which its undo restores.
func DecideAccessBatch(sessionIDs []int64, action AccessAction, res []Resolution, current AccessLookup) ([]BatchResult, Counts) {
	// An access change has no unregistered modes: only registered
	// entries are granted, and every other one is skipped.
	return decideEntries(res, func(br *BatchResult) {
		br.Outcomes, br.Before = make([]Outcome, len(sessionIDs)), make([]Access, len(sessionIDs))
		for j, sid := range sessionIDs {
			before := current(br.UserID, sid)
			br.Outcomes[j] = DecideAccessChange(before, action)
			if br.Outcomes[j] == OutcomeChanged {
				br.Before[j] = before
			}
		}
	})
}
