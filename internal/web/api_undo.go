package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"convene"
)

// UndoPairJSON is what an undo did to one pair the multi-invite changed.
type UndoPairJSON struct {
	SessionID string `json:"session_id"`
	Outcome   string `json:"outcome" enum:"removed,downgraded,kept"`
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
	out := UndoJSON{BatchID: formatID(u.BatchID), UndoneAt: timeJSON(u.UndoneAt), Counts: u.Counts, PairsInline: inline,
		Results: make([]UndoResultJSON, 0, len(u.Results))}
	for _, r := range u.Results {
		res := UndoResultJSON{Input: r.Input, UserID: formatID(r.UserID), Counts: r.Counts}
		if inline {
			pairs := []UndoPairJSON{}
			for i, o := range r.Outcomes {
				if o != "" {
					pairs = append(pairs, UndoPairJSON{SessionID: formatID(u.SessionIDs[i]), Outcome: string(o)})
				}
			}
			res.Sessions = &pairs
		}
		out.Results = append(out.Results, res)
	}
	return out
}

// registerUndo adds the undo of a multi-invite: beyond contract section 7,
// nothing of the multi-invite itself changes shape.
func (s *Server) registerUndo(api huma.API) {
	huma.Register(api, s.op(http.MethodPost, "/api/v1/invitations/batches/{batch_id}/undo", "undoBatch",
		"Undo a multi-invite: remove the pairs it added and set the pairs it upgraded back to view, unless changed since (its author, Session and Tenant Admins)",
		"invitations", 401, 403, 404, 409, 422, 429, 503),
		func(ctx context.Context, in *batchPath) (*struct{ Body UndoJSON }, error) {
			a, err := s.signedIn(ctx)
			if err != nil {
				return nil, err
			}
			id, err := pathID(in.BatchID, "batch")
			if err != nil {
				return nil, s.err(ctx, err)
			}
			if err := s.allowActor(ctx, s.limits.invite, a, "multi-invites"); err != nil {
				return nil, err
			}
			u, err := s.store.UndoBatch(ctx, id)
			if err != nil {
				return nil, s.err(ctx, err)
			}
			return &struct{ Body UndoJSON }{undoView(u)}, nil
		})
}
