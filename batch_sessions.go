package convene

import "slices"

// ChangedSessions returns the sessions of b, in the order of b.SessionIDs,
// in which b added, upgraded or changed at least one pair: those whose
// members a batch changed, each told once by one member.changed event.
func (b *Batch) ChangedSessions() []int64 {
	changed := make([]bool, len(b.SessionIDs))
	for _, r := range b.Results {
		for j, o := range r.Outcomes {
			if j < len(changed) && o.changesAccess() {
				changed[j] = true
			}
		}
	}
	var out []int64
	for j, id := range b.SessionIDs {
		if changed[j] {
			out = append(out, id)
		}
	}
	return out
}

// ChangedUsers returns the people of b, in the order of b.Results, whose
// access b added, upgraded or changed in at least one session.
func (b *Batch) ChangedUsers() []int64 {
	var out []int64
	for _, r := range b.Results {
		if slices.ContainsFunc(r.Outcomes, Outcome.changesAccess) {
			out = append(out, r.UserID)
		}
	}
	return out
}

// changesAccess reports whether a pair with outcome o had its access
// changed by its batch.
func (o Outcome) changesAccess() bool {
	return o == OutcomeAdded || o == OutcomeUpgraded || o == OutcomeChanged
}

// SessionIDs returns every session in which the plan reverts pairs, each
// once, in the order the groups first name them.
func (p *UndoPlan) SessionIDs() []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, g := range p.Groups {
		for _, id := range g.SessionIDs {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}
