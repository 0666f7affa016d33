package convene

import "time"

// UndoOutcome is what undoing a multi-invite did to one person x session
// pair that the multi-invite had changed (added or upgraded).
type UndoOutcome string

// The outcomes of an undo.
const (
	// UndoRemoved: the batch added the pair, nobody changed it since, and the
	// membership is gone again.
	UndoRemoved UndoOutcome = "removed"
	// UndoDowngraded: the batch raised view to collaborate, nobody changed it
	// since, and the member is back to view.
	UndoDowngraded UndoOutcome = "downgraded"
	// UndoKept: the pair changed since the batch (access set by hand, a later
	// multi-invite, removal, ownership transfer, the session deleted), so the
	// undo left it alone.
	UndoKept UndoOutcome = "kept"
	// UndoRestored: a bulk access change set or removed the pair, nobody
	// changed it since, and it has the access it had before again.
	UndoRestored UndoOutcome = "restored"
)

// UndoCounts sums the outcomes of an undo, or of one person in it.
type UndoCounts struct {
	Removed    int `json:"removed"`
	Downgraded int `json:"downgraded"`
	Kept       int `json:"kept"`
	Restored   int `json:"restored,omitempty"` // undoing an access change
}

// Add counts one outcome; "" (a pair the batch did not change) counts nothing.
func (c *UndoCounts) Add(o UndoOutcome) {
	switch o {
	case UndoRemoved:
		c.Removed++
	case UndoDowngraded:
		c.Downgraded++
	case UndoKept:
		c.Kept++
	case UndoRestored:
		c.Restored++
	}
}

// Undo is the result of undoing one multi-invite: an outcome for every pair
// the batch added or upgraded. Pairs the batch left unchanged, and skipped
// entries, are no part of it.
type Undo struct {
	BatchID    int64
	UndoneAt   time.Time
	UndoneBy   int64   // the user who undid it; 0 for the system
	SessionIDs []int64 // the batch's sessions, in its order
	Results    []UndoResult
	Counts     UndoCounts
}

// UndoResult is what an undo did for one person of the batch (one per
// registered entry, in the batch's input order).
type UndoResult struct {
	Input  string
	UserID int64
	// Outcomes has one entry per session, in the order of Undo.SessionIDs:
	// "" where the batch did not change the pair.
	Outcomes []UndoOutcome
	Counts   UndoCounts
}

// Pairs returns the number of pairs the undo decided: those the batch changed.
func (u *Undo) Pairs() int {
	return u.Counts.Removed + u.Counts.Downgraded + u.Counts.Kept + u.Counts.Restored
}
