package api

import (
	"context"

	"convene"
	"convene/internal/httpd"
)

// UndoPairJSON is what an undo did to one pair the multi-invite changed.
type UndoPairJSON struct {
	SessionID string `json:"session_id"`
	Outcome   string `json:"outcome" enum:"removed,downgraded,kept,restored" doc:"restored: undoing a bulk access change"`
}

// UndoResultJSON is what an undo did for one person of the multi-invite.
type UndoResultJSON struct {
	Input    string             `json:"input"`
	UserID   string             `json:"user_id"`
	Counts   convene.UndoCounts `json:"counts"`
	Sessions *[]UndoPairJSON    `json:"sessions,omitempty" doc:"the pairs the multi-invite added or upgraded; absent when pairs_inline is false"`
}

// UndoJSON is the answer of undoing a multi-invite.
type UndoJSON struct {
	BatchID     string             `json:"batch_id"`
	UndoneAt    string             `json:"undone_at"`
	Counts      convene.UndoCounts `json:"counts"`
	PairsInline bool               `json:"pairs_inline" doc:"false when the multi-invite changed more than 10,000 pairs: only the counts are given"`
	Results     []UndoResultJSON   `json:"results"`
}

func undoView(u *convene.Undo) UndoJSON {
	inline := u.Pairs() <= convene.MaxInlinePairs
	out := UndoJSON{BatchID: httpd.FormatID(u.BatchID), UndoneAt: timeJSON(u.UndoneAt), Counts: u.Counts, PairsInline: inline,
		Results: make([]UndoResultJSON, 0, len(u.Results))}
	for _, r := range u.Results {
		res := UndoResultJSON{Input: r.Input, UserID: httpd.FormatID(r.UserID), Counts: r.Counts}
		if inline {
			pairs := []UndoPairJSON{}
			for i, o := range r.Outcomes {
				if o != "" {
					pairs = append(pairs, UndoPairJSON{SessionID: httpd.FormatID(u.SessionIDs[i]), Outcome: string(o)})
				}
			}
			res.Sessions = &pairs
		}
		out.Results = append(out.Results, res)
	}
	return out
}

type undoOutput struct{ Body UndoJSON }

// undoBatch undoes a multi-invite: the store reverts what is still as the
// batch left it (convene.PlanUndo decides) and says what it did.
func (s *Server) undoBatch(ctx context.Context, in *batchPath) (*undoOutput, error) {
	a, id, err := actorAndID(ctx, in.BatchID, "batch")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	if err := s.AllowInvite(ctx, a, "multi-invites"); err != nil {
		return nil, err
	}
	u, err := s.store.UndoBatch(ctx, id)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &undoOutput{undoView(u)}, nil
}
