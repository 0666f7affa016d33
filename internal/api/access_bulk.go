package api

import (
	"context"

	"convene"
	"convene/internal/httpd"
)

type accessBulkInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"200" doc:"the same key with the same body answers the first result again"`
	Body           struct {
		SessionChoice
		Contacts contactList `json:"contacts"`
		Action   string      `json:"action" enum:"view,collaborate,remove" doc:"the access every member gets (lowering too), or remove; owners are never changed"`
	}
}

// accessChangeRequest turns the body into a request for the access engine.
func accessChangeRequest(in *accessBulkInput) (convene.AccessChangeRequest, error) {
	req := convene.AccessChangeRequest{Action: convene.AccessAction(in.Body.Action), IdempotencyKey: in.IdempotencyKey}
	if err := httpd.CheckLine("Idempotency-Key", req.IdempotencyKey, convene.MaxIdempotencyKeyLen); err != nil {
		return req, err
	}
	var err error
	if req.SessionIDs, req.SessionQuery, err = in.Body.parse(); err != nil {
		return req, err
	}
	if req.Contacts, err = contactEntries(in.Body.Contacts.text, in.Body.Contacts.list, "contacts"); err != nil {
		return req, err
	}
	return req, req.Validate()
}

// changeAccess is the bulk access change (contract section 15), rate
// limited as the multi-invite is: the same bucket, for it writes as much.
func (s *Server) changeAccess(ctx context.Context, in *accessBulkInput) (*batchOutput, error) {
	a, err := s.authorize(ctx, convene.PermMultiInvite)
	if err != nil {
		return nil, err
	}
	if err := s.AllowInvite(ctx, a, "multi-invites"); err != nil {
		return nil, err
	}
	req, err := accessChangeRequest(in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	b, err := s.store.ChangeAccess(ctx, req)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return &batchOutput{batchView(b)}, nil
}
