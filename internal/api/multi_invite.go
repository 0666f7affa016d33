package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"

	"convene/internal/httpd"

	"github.com/danielgtaylor/huma/v2"

	"convene"
)

// contactList is the contacts of a multi-invite: pasted text, or an array
// with one entry per item.
type contactList struct {
	text *string
	list []string
}

// UnmarshalJSON takes a string or an array of strings.
func (c *contactList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		c.text = &s
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		c.list = []string{}
		return json.Unmarshal(b, &c.list)
	}
	return errors.New("contacts must be a string or an array of strings")
}

// Schema describes contactList in the OpenAPI document.
func (contactList) Schema(huma.Registry) *huma.Schema {
	return &huma.Schema{
		Description: "pasted text (entries separated by commas, semicolons or new lines), or one entry per item",
		OneOf: []*huma.Schema{
			{Type: huma.TypeString},
			{Type: huma.TypeArray, Items: &huma.Schema{Type: huma.TypeString}},
		},
	}
}

type multiInviteInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"the same key with the same body answers the first result again"`
	Body           struct {
		SessionChoice
		Contacts contactList `json:"contacts"`
		Access   string      `json:"access,omitempty" enum:"collaborate,view" doc:"collaborate by default"`
		// Contract section 14: convene.AuthorizeUnregistered says who may use which.
		Unregistered string `json:"unregistered,omitempty" enum:"skip,request,register,guest" doc:"what to do with contacts nobody has: skip (the default), request (an access request each), register (Tenant Admins: register them as members and grant), guest (one guest invitation each, when the tenant allows guests)"`
	}
}

// PairJSON is one person x session outcome. A filtered page (outcome=,
// q=) also names the contact, its status and the session's title, and
// lists skipped entries, which have no session.
type PairJSON struct {
	UserID       string `json:"user_id,omitempty"`
	SessionID    string `json:"session_id,omitempty" doc:"absent for a skipped entry"`
	Outcome      string `json:"outcome" enum:"added,upgraded,unchanged,skipped,changed,not_member,owner" doc:"changed, not_member and owner: a bulk access change's"`
	Contact      string `json:"contact,omitempty" doc:"the entry as typed (filtered pages)"`
	Status       string `json:"status,omitempty" doc:"the entry's status (filtered pages)"`
	SessionTitle string `json:"session_title,omitempty" doc:"the session's title, absent when deleted since (filtered pages)"`
	Reason       string `json:"reason,omitempty" doc:"why an entry was skipped (filtered pages)"`
}

// BatchResultJSON is what a multi-invite did for one entry.
type BatchResultJSON struct {
	Input  string  `json:"input"`
	Status string  `json:"status" enum:"registered,unregistered,disabled,duplicate,registered_now,requested,invited"`
	Reason string  `json:"reason,omitempty"`
	UserID *string `json:"user_id,omitempty"`
	// RequestID names the access request of a "requested" entry.
	RequestID *string        `json:"request_id,omitempty" doc:"the access request made for a requested entry"`
	Counts    convene.Counts `json:"counts"`
	Sessions  *[]PairJSON    `json:"sessions,omitempty" doc:"absent when pairs_inline is false"`
}

// BatchJSON is the answer of a multi-invite (contract section 7).
type BatchJSON struct {
	BatchID     string            `json:"batch_id" doc:"empty in a preview, which writes no batch"`
	Access      string            `json:"access" enum:"collaborate,view,remove" doc:"a bulk access change's action (its access, or remove)"`
	Kind        string            `json:"kind" enum:"grant,access" doc:"grant: a multi-invite; access: a bulk access change (POST /api/v1/access/bulk)"`
	Counts      convene.Counts    `json:"counts"`
	PairsInline bool              `json:"pairs_inline" doc:"false when the batch has more than 10,000 pairs: read them from the pairs endpoint"`
	Results     []BatchResultJSON `json:"results"`
	UndoneAt    *string           `json:"undone_at" doc:"when the batch was undone (POST .../undo); null until then"`
}

type batchOutput struct{ Body BatchJSON }

type batchPath struct {
	BatchID string `path:"batch_id" maxLength:"40"`
}

type pairsInput struct {
	BatchID string `path:"batch_id" maxLength:"40"`
	Cursor  string `query:"cursor" maxLength:"40"`
	Limit   int    `query:"limit" minimum:"0" maximum:"10000" doc:"page size, 1000 by default"`
	// The filters of contract section 14 (batch_history.go).
	Outcome string `query:"outcome" enum:"added,upgraded,unchanged,skipped,changed,not_member,owner" doc:"only the pairs of this outcome; skipped lists the entries the batch skipped; changed, not_member and owner: a bulk access change's"`
	Q       string `query:"q" maxLength:"200" doc:"only the pairs whose contact or session title holds this text, case ignored"`
	// Detail asks for the rows a filtered page gives without filtering:
	// the batch page of the dashboard lists every row by its contact.
	Detail bool `query:"detail" doc:"true: every row as a filtered page gives it (contact, status, session title, and the skipped entries), unfiltered"`
}

func batchView(b *convene.Batch) BatchJSON {
	inline := b.Pairs() <= convene.MaxInlinePairs
	kind, access := batchKindView(b)
	out := BatchJSON{BatchID: optIDString(b.ID), Access: access, Kind: kind, Counts: b.Counts, PairsInline: inline,
		Results: make([]BatchResultJSON, 0, len(b.Results)), UndoneAt: optTime(b.UndoneAt)}
	for _, r := range b.Results {
		res := BatchResultJSON{Input: r.Input, Status: string(r.Status), Reason: r.Reason, UserID: optID(r.UserID), RequestID: optID(r.RequestID), Counts: r.Counts}
		if inline {
			pairs := make([]PairJSON, 0, len(r.Outcomes))
			for i, o := range r.Outcomes {
				pairs = append(pairs, PairJSON{SessionID: httpd.FormatID(b.SessionIDs[i]), Outcome: string(o)})
			}
			res.Sessions = &pairs
		}
		out.Results = append(out.Results, res)
	}
	return out
}

// batchKindView is how a batch names its kind and access in an answer: a
// multi-invite ("grant") its access, a bulk access change ("access") its
// action.
func batchKindView(b *convene.Batch) (kind, access string) {
	if b.Action != "" {
		return "access", string(b.Action)
	}
	return "grant", string(b.Access)
}

// grantRequest turns the body into a request for the access engine.
func grantRequest(in *multiInviteInput) (convene.GrantRequest, error) {
	req := convene.GrantRequest{Access: convene.Access(in.Body.Access), IdempotencyKey: in.IdempotencyKey,
		Unregistered: convene.UnregisteredMode(in.Body.Unregistered)}
	if req.Access == "" {
		req.Access = convene.AccessCollaborate
	}
	if err := httpd.CheckLine("Idempotency-Key", req.IdempotencyKey, convene.MaxIdempotencyKeyLen); err != nil {
		return req, err
	}
	var err error
	if req.SessionIDs, req.SessionQuery, err = in.Body.parse(); err != nil {
		return req, err
	}
	contacts, err := contactEntries(in.Body.Contacts.text, in.Body.Contacts.list, "contacts")
	if err != nil {
		return req, err
	}
	req.Contacts = contacts
	return req, req.Validate()
}

func (s *Server) multiInvite(ctx context.Context, in *multiInviteInput) (*batchOutput, error) {
	a, err := s.authorize(ctx, convene.PermMultiInvite)
	if err != nil {
		return nil, err
	}
	if err := s.AllowInvite(ctx, a, "multi-invites"); err != nil {
		return nil, err
	}
	req, err := grantRequest(in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	start := s.Now()
	b, err := s.store.Grant(ctx, req)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	if !b.CreatedAt.Before(start) { // not a replay of an earlier batch
		s.RecordBatch(b)
	}
	return &batchOutput{batchView(b)}, nil
}

func (s *Server) getBatch(ctx context.Context, in *batchPath) (*batchOutput, error) {
	b, err := s.batch(ctx, in.BatchID)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &batchOutput{batchView(b)}, nil
}

func (s *Server) listBatchPairs(ctx context.Context, in *pairsInput) (*pageOutput[PairJSON], error) {
	if in.Outcome != "" || in.Q != "" || in.Detail {
		return s.filteredPairs(ctx, in)
	}
	b, err := s.batch(ctx, in.BatchID)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	limit := in.Limit
	if limit == 0 {
		limit = 1000
	}
	pairs, next, err := b.PairsPage(in.Cursor, limit)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(pairs, next, func(p convene.Pair) PairJSON {
		return PairJSON{UserID: httpd.FormatID(p.UserID), SessionID: httpd.FormatID(p.SessionID), Outcome: string(p.Outcome)}
	}), nil
}

// batch finds the multi-invite of a path's batch id for a signed-in
// caller: ENOTFOUND when it is no id or not theirs to see.
func (s *Server) batch(ctx context.Context, raw string) (*convene.Batch, error) {
	_, id, err := actorAndID(ctx, raw, "batch")
	if err != nil {
		return nil, err
	}
	return s.store.FindBatch(ctx, id)
}
