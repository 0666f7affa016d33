package convene

import "time"

// UndoGroup is a set of pairs an undo reverts with the same statements: the
// users whose pairs of one kind lie in the same sessions. Only the pairs
// still as the batch left them (access From, the batch recorded on the
// membership; for From "" no membership at all) are reverted, to To.
type UndoGroup struct {
	Outcome    UndoOutcome // UndoRemoved, UndoDowngraded or UndoRestored
	SessionIDs []int64
	UserIDs    []int64
	From       Access // what the batch left: its access, collaborate for an upgrade, "" for a removal
	To         Access // "" (no membership) for removed, view for downgraded, the access before for restored
}

// AuditAction is the audit action of reverting one pair of g.
func (g *UndoGroup) AuditAction() string {
	switch {
	case g.Outcome == UndoRemoved:
		return AuditMemberRemoved
	case g.Outcome == UndoRestored && g.From == "":
		return AuditMemberAdded
	}
	return AuditAccessChanged
}

// UndoPlan is what undoing a batch does, decided from the batch alone:
// for a multi-invite, every pair it added is removed and every pair it
// upgraded is downgraded; for an access change, every pair it changed
// gets its access before again; in Groups, except the pairs the store
// finds changed since, which it reports with Keep. Undo then gives the
// result.
type UndoPlan struct {
	Groups   []*UndoGroup
	undo     *Undo
	row, col map[int64]int // user id -> result, session id -> outcome index
}

// undoKind is one kind of pair an undo reverts: its group's shape, and
// which pairs of a result belong to it.
type undoKind struct {
	group UndoGroup
	match func(r *BatchResult, j int) bool
}

// undoKinds returns the kinds of pairs undoing b reverts.
func undoKinds(b *Batch) []undoKind {
	is := func(o Outcome) func(*BatchResult, int) bool {
		return func(r *BatchResult, j int) bool { return r.Outcomes[j] == o }
	}
	if b.Action == "" {
		return []undoKind{
			{UndoGroup{Outcome: UndoRemoved, From: b.Access}, is(OutcomeAdded)},
			{UndoGroup{Outcome: UndoDowngraded, From: AccessCollaborate, To: AccessView}, is(OutcomeUpgraded)},
		}
	}
	var kinds []undoKind
	for _, before := range []Access{AccessCollaborate, AccessView} {
		kinds = append(kinds, undoKind{UndoGroup{Outcome: UndoRestored, From: b.Action.Access(), To: before},
			func(r *BatchResult, j int) bool { return r.Outcomes[j] == OutcomeChanged && r.Before[j] == before }})
	}
	return kinds
}

// PlanUndo plans the undo of b, done at at by user by (0 for the system).
func PlanUndo(b *Batch, at time.Time, by int64) *UndoPlan {
	kinds := undoKinds(b)
	p := &UndoPlan{Groups: undoGroups(b, kinds), undo: &Undo{BatchID: b.ID, UndoneAt: at, UndoneBy: by, SessionIDs: b.SessionIDs},
		row: map[int64]int{}, col: make(map[int64]int, len(b.SessionIDs))}
	for j, id := range b.SessionIDs {
		p.col[id] = j
	}
	for i := range b.Results {
		br := &b.Results[i]
		if !br.Status.Granted() {
			continue
		}
		res := UndoResult{Input: br.Input, UserID: br.UserID, Outcomes: make([]UndoOutcome, len(br.Outcomes))}
		for j := range br.Outcomes {
			for _, k := range kinds {
				if k.match(br, j) {
					res.Outcomes[j] = k.group.Outcome
				}
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
		u.Counts.Restored += res.Counts.Restored
	}
	return u
}

// undoGroups groups the pairs of b of each of kinds. A typical batch makes
// one or two groups; there are never more than one per kind and person,
// whatever the number of sessions, so that the store's statements stay
// set-based.
func undoGroups(b *Batch, kinds []undoKind) []*UndoGroup {
	byKey := map[string]*UndoGroup{}
	var groups []*UndoGroup
	key := make([]byte, len(b.SessionIDs))
	for i := range b.Results {
		r := &b.Results[i]
		for ki, k := range kinds {
			var in []int64
			for j := range r.Outcomes {
				key[j] = '0'
				if k.match(r, j) {
					key[j] = '1'
					in = append(in, b.SessionIDs[j])
				}
			}
			if len(in) == 0 {
				continue
			}
			g := byKey[string(rune('a'+ki))+string(key)]
			if g == nil {
				g = &UndoGroup{Outcome: k.group.Outcome, From: k.group.From, To: k.group.To, SessionIDs: in}
				byKey[string(rune('a'+ki))+string(key)] = g
				groups = append(groups, g)
			}
			g.UserIDs = append(g.UserIDs, r.UserID)
		}
	}
	return groups
}
