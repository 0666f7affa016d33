package convene

import "fmt"

// AccessLookup returns a person's current access to a session, "" for
// none. A store answers it from the memberships it read for a grant.
type AccessLookup func(userID, sessionID int64) Access

// DecideBatch decides what a multi-invite does: one result per resolved
// entry, in input order, and their sum. A registered entry gets one outcome
// per session of sessionIDs, in that order, by DecideGrant from its current
// access; every other entry is skipped with the reason it resolved with.
// The store then writes what was decided, and only that.
func DecideBatch(sessionIDs []int64, requested Access, res []Resolution, current AccessLookup) ([]BatchResult, Counts) {
	return decideEntries(res, func(br *BatchResult) {
		br.Outcomes = make([]Outcome, len(sessionIDs))
		for j, sid := range sessionIDs {
			br.Outcomes[j], _ = DecideGrant(current(br.UserID, sid), requested)
		}
	})
}

// decideEntries is the frame every batch decision shares: one result per
// entry, in input order, whose pairs decidePairs fills when the entry is
// granted; each counted by EntryCounts, and their sum.
func decideEntries(res []Resolution, decidePairs func(br *BatchResult)) ([]BatchResult, Counts) {
	out := make([]BatchResult, len(res))
	var total Counts
	for i, r := range res {
		br := BatchResult{Input: r.Input, Status: r.Status, Reason: r.Reason}
		if r.User != nil {
			br.UserID = r.User.ID
		}
		if r.Status.Granted() {
			decidePairs(&br)
		}
		br.Counts = EntryCounts(br.Status, br.Outcomes)
		total.add(br.Counts)
		out[i] = br
	}
	return out, total
}

// EntryCounts is what one entry of a batch counts for: its outcomes when
// it was granted, one registered_now more when the batch registered it,
// one requested or invited for what the modes made of it, and one skipped
// for every other entry.
func EntryCounts(status ContactStatus, outcomes []Outcome) Counts {
	var c Counts
	switch status {
	case StatusRegistered, StatusRegisteredNow:
		for _, o := range outcomes {
			c.Add(o)
		}
		if status == StatusRegisteredNow {
			c.RegisteredNow = 1
		}
	case StatusRequested:
		c.Requested = 1
	case StatusInvited:
		c.Invited = 1
	default:
		c.Skipped = 1
	}
	return c
}

// add sums other into c.
func (c *Counts) add(other Counts) {
	c.Added += other.Added
	c.Upgraded += other.Upgraded
	c.Unchanged += other.Unchanged
	c.Skipped += other.Skipped
	c.RegisteredNow += other.RegisteredNow
	c.Requested += other.Requested
	c.Invited += other.Invited
	c.Changed += other.Changed
	c.NotMember += other.NotMember
	c.Owner += other.Owner
}

// RejectInvalid is the rule that one invalid entry rejects the whole call:
// nil when no resolution is StatusInvalid, and otherwise EINVALID naming
// every invalid entry (index, input, reason), so that a person can mend
// them all at once. Nothing may be applied when it returns an error.
func RejectInvalid(res []Resolution) error {
	var bad []EntryError
	for i, r := range res {
		if r.Status == StatusInvalid {
			bad = append(bad, EntryError{Index: i, Input: r.Input, Reason: r.Reason})
		}
	}
	if len(bad) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Entries: bad,
		Message: fmt.Sprintf("%d of the entries are neither an email address nor a phone number; nothing was applied", len(bad))}
}
