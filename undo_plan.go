package convene

import (
	"slices"
	"time"
)

// UndoGroup is a set of pairs an undo reverts with the same statements: the
// users whose pairs of one kind (added, or upgraded) lie in the same
// sessions. Only the pairs still as the batch left them (access From, the
// batch recorded on the membership) are reverted, to To.
type UndoGroup struct {
	Outcome    UndoOutcome // UndoRemoved or UndoDowngraded
	SessionIDs []int64
	UserIDs    []int64
	From       Access // what the batch gave: its access, or collaborate for an upgrade
	To         Access // "" (no membership) for removed, view for downgraded
}

// AuditAction is the audit action of reverting one pair of g.
func (g *UndoGroup) AuditAction() string {
	if g.Outcome == UndoDowngraded {
		return AuditAccessChanged
	}
	return AuditMemberRemoved
}

// UndoPlan is what undoing a batch does, decided from the batch alone:
// every pair it added is removed and every pair it upgraded is downgraded,
// in Groups, except the pairs the store finds changed since, which it
// reports with Keep. Undo then gives the result.
type UndoPlan struct {
	Groups   []*UndoGroup
	undo     *Undo
	row, col map[int64]int // user id -> result, session id -> outcome index
}

// PlanUndo plans the undo of b, done at at by user by (0 for the system).
func PlanUndo(b *Batch, at time.Time, by int64) *UndoPlan {
	p := &UndoPlan{Groups: undoGroups(b), undo: &Undo{BatchID: b.ID, UndoneAt: at, UndoneBy: by, SessionIDs: b.SessionIDs},
		row: map[int64]int{}, col: make(map[int64]int, len(b.SessionIDs))}
	for j, id := range b.SessionIDs {
		p.col[id] = j
	}
	for _, br := range b.Results {
		if !br.Status.Granted() {
			continue
		}
		res := UndoResult{Input: br.Input, UserID: br.UserID, Outcomes: make([]UndoOutcome, len(br.Outcomes))}
		for j, o := range br.Outcomes {
			switch o {
			case OutcomeAdded:
				res.Outcomes[j] = UndoRemoved
			case OutcomeUpgraded:
				res.Outcomes[j] = UndoDowngraded
			}
		}
		p.row[br.UserID] = len(p.undo.Results)
		p.undo.Results = append(p.undo.Results, res)
	}
	return p
}

// Keep records that the pair of sessionID and userID changed since the
// batch, so that the undo left it alone. A pair outside the batch is
// ignored.
func (p *UndoPlan) Keep(sessionID, userID int64) {
	i, isUser := p.row[userID]
	j, isSession := p.col[sessionID]
	if isUser && isSession {
		p.undo.Results[i].Outcomes[j] = UndoKept
	}
}

// Undo returns the result, its counts summed from the outcomes.
func (p *UndoPlan) Undo() *Undo {
	u := p.undo
	u.Counts = UndoCounts{}
	for i := range u.Results {
		res := &u.Results[i]
		res.Counts = UndoCounts{}
		for _, o := range res.Outcomes {
			res.Counts.Add(o)
		}
		u.Counts.Removed += res.Counts.Removed
		u.Counts.Downgraded += res.Counts.Downgraded
		u.Counts.Kept += res.Counts.Kept
	}
	return u
}

// undoGroups groups the pairs b changed. A typical batch makes one or two
// groups; there are never more than two per person, whatever the number of
// sessions, so that the store's statements stay set-based.
func undoGroups(b *Batch) []*UndoGroup {
	kinds := []UndoGroup{
		{Outcome: UndoRemoved, From: b.Access},
		{Outcome: UndoDowngraded, From: AccessCollaborate, To: AccessView},
	}
	from := map[UndoOutcome]Outcome{UndoRemoved: OutcomeAdded, UndoDowngraded: OutcomeUpgraded}
	byKey := map[string]*UndoGroup{}
	var groups []*UndoGroup
	key := make([]byte, len(b.SessionIDs))
	for _, r := range b.Results {
		for _, k := range kinds {
			changed := from[k.Outcome]
			if !slices.Contains(r.Outcomes, changed) {
				continue
			}
			for j, o := range r.Outcomes {
				key[j] = '0'
				if o == changed {
					key[j] = '1'
				}
			}
			g := byKey[string(k.Outcome)+string(key)]
			if g == nil {
				g = &UndoGroup{Outcome: k.Outcome, From: k.From, To: k.To}
				for j, o := range r.Outcomes {
					if o == changed {
						g.SessionIDs = append(g.SessionIDs, b.SessionIDs[j])
					}
				}
				byKey[string(k.Outcome)+string(key)] = g
				groups = append(groups, g)
			}
			g.UserIDs = append(g.UserIDs, r.UserID)
		}
	}
	return groups
}
