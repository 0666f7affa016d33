package api

import (
	"context"
	"encoding/csv"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"convene"
	"convene/internal/httpd"
)

// The history of multi-invites (contract section 14): the list, the
// filtered pairs, the CSV download and the retry of what a batch skipped.

// BatchSummaryJSON is one multi-invite of the history.
type BatchSummaryJSON struct {
	ID        string         `json:"id"`
	Actor     *string        `json:"actor" doc:"id of the user who sent it; null for the system"`
	Kind      string         `json:"kind" enum:"grant,access" doc:"grant: a multi-invite; access: a bulk access change"`
	Access    string         `json:"access" enum:"collaborate,view,remove" doc:"a bulk access change's action (its access, or remove)"`
	CreatedAt string         `json:"created_at"`
	Counts    convene.Counts `json:"counts"`
	People    int            `json:"people" doc:"entries of the batch"`
	Sessions  int            `json:"sessions" doc:"sessions of the batch"`
	UndoneAt  *string        `json:"undone_at" doc:"when it was undone; null until then"`
	RetryOf   *string        `json:"retry_of" doc:"the batch whose skipped entries this one retried; null for none"`
}

func batchSummaryView(b *convene.Batch) BatchSummaryJSON {
	kind, access := batchKindView(b)
	return BatchSummaryJSON{ID: httpd.FormatID(b.ID), Actor: optID(b.ActorID), Kind: kind, Access: access, CreatedAt: timeJSON(b.CreatedAt),
		Counts: b.Counts, People: b.People, Sessions: len(b.SessionIDs), UndoneAt: optTime(b.UndoneAt), RetryOf: optID(b.RetryOf)}
}

type batchesInput struct {
	Cursor string `query:"cursor" maxLength:"200" doc:"the next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"0" maximum:"100" doc:"page size, 50 by default"`
}

// listBatches answers the caller's batches (a Tenant Admin's: the
// tenant's), newest first.
func (s *Server) listBatches(ctx context.Context, in *batchesInput) (*pageOutput[BatchSummaryJSON], error) {
	items, next, err := s.store.FindBatches(ctx, convene.BatchFilter{Cursor: in.Cursor, Limit: in.Limit})
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(items, next, batchSummaryView), nil
}

// filteredPairs is the pairs page of a batch filtered by outcome or q.
func (s *Server) filteredPairs(ctx context.Context, in *pairsInput) (*pageOutput[PairJSON], error) {
	_, id, err := actorAndID(ctx, in.BatchID, "batch")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	f := convene.PairFilter{Outcome: convene.Outcome(in.Outcome), Query: in.Q, Cursor: in.Cursor, Limit: in.Limit}
	rows, next, err := s.store.FindBatchPairs(ctx, id, f)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(rows, next, pairRowView), nil
}

// optIDString is id in decimal, or "" for none (a preview's batch).
func optIDString(id int64) string {
	if id == 0 {
		return ""
	}
	return httpd.FormatID(id)
}

func pairRowView(r convene.BatchPairRow) PairJSON {
	return PairJSON{UserID: optIDString(r.UserID), SessionID: optIDString(r.SessionID), Outcome: string(r.Outcome),
		Contact: r.Contact, Status: string(r.Status), SessionTitle: r.SessionTitle, Reason: r.Reason}
}

type pairsCSVInput struct {
	BatchID string `path:"batch_id" maxLength:"40"`
	Outcome string `query:"outcome" enum:"added,upgraded,unchanged,skipped,changed,not_member,owner" doc:"only the pairs of this outcome"`
	Q       string `query:"q" maxLength:"200" doc:"only the pairs whose contact or session title holds this text"`
}

// csvFlushEvery is how many rows of a CSV download go out together: the
// client sees progress, and a million pairs are never held at once.
const csvFlushEvery = 1000

// pairsCSV streams a batch's pairs as CSV, each cell that a spreadsheet
// would run as a formula escaped (convene.CSVCell). The batch is found
// before the first byte, so an unknown id still answers 404.
func (s *Server) pairsCSV(ctx context.Context, in *pairsCSVInput) (*huma.StreamResponse, error) {
	_, id, err := actorAndID(ctx, in.BatchID, "batch")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	rows, err := s.store.BatchPairs(ctx, id, convene.PairFilter{Outcome: convene.Outcome(in.Outcome), Query: in.Q})
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		_, w := humago.Unwrap(hctx)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="batch-`+httpd.FormatID(id)+`.csv"`)
		writePairsCSV(w, rows)
	}}, nil
}

// writePairsCSV writes the header and rows to w, flushing as it goes.
func writePairsCSV(w http.ResponseWriter, rows func(func(convene.BatchPairRow) bool)) {
	flusher := http.NewResponseController(w)
	cw := csv.NewWriter(w)
	if cw.Write(convene.PairCSVHeader) != nil {
		return
	}
	n := 0
	for row := range rows {
		if cw.Write(row.CSVRecord()) != nil {
			return // the client went away
		}
		if n++; n%csvFlushEvery == 0 {
			cw.Flush()
			_ = flusher.Flush()
		}
	}
	cw.Flush()
}

// csvResponse describes the text/csv answer of op in the OpenAPI document.
func csvResponse(op huma.Operation, doc string) huma.Operation {
	op.Responses = map[string]*huma.Response{"200": {Description: doc,
		Content: map[string]*huma.MediaType{"text/csv": {Schema: &huma.Schema{Type: huma.TypeString}}}}}
	return op
}

type retryInput struct {
	BatchID string `path:"batch_id" maxLength:"40"`
	Body    *struct {
		Unregistered string `json:"unregistered,omitempty" enum:"skip,request,register,guest" doc:"what to do with contacts still not registered; skip by default"`
	}
}

// retryBatch sends again, as a new batch, only the entries a batch
// skipped, resolved afresh.
func (s *Server) retryBatch(ctx context.Context, in *retryInput) (*batchOutput, error) {
	a, id, err := actorAndID(ctx, in.BatchID, "batch")
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	if err := s.AllowInvite(ctx, a, "multi-invites"); err != nil {
		return nil, err
	}
	mode := convene.UnregisteredSkip
	if in.Body != nil && in.Body.Unregistered != "" {
		mode = convene.UnregisteredMode(in.Body.Unregistered)
	}
	b, err := s.store.RetryBatch(ctx, id, mode)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	s.RecordBatch(b)
	return &batchOutput{batchView(b)}, nil
}

// previewInvite decides a multi-invite as the real call would, with the
// same validation and answers, and writes nothing. It spends a contact
// look-up token, not an invitation one: the dialog previews as the person
// edits, and that must not use up the multi-invite it leads to.
func (s *Server) previewInvite(ctx context.Context, in *multiInviteInput) (*batchOutput, error) {
	a, err := s.authorize(ctx, convene.PermMultiInvite)
	if err != nil {
		return nil, err
	}
	if err := s.AllowResolve(ctx, a, "multi-invite previews"); err != nil {
		return nil, err
	}
	req, err := grantRequest(in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	req.DryRun = true
	b, err := s.store.Grant(ctx, req)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &batchOutput{batchView(b)}, nil
}
