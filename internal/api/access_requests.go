package api

import (
	"context"
	"fmt"

	"convene"
	"convene/internal/httpd"
)

// Access requests (contract section 14): what the request mode of a
// multi-invite leaves for people nobody has yet, granted once they
// register, or approved or declined by a Tenant Admin.

// SessionRefJSON names a session of a request.
type SessionRefJSON struct {
	ID    string `json:"id"`
	Title string `json:"title" doc:"empty when the session was deleted since"`
}

// AccessRequestJSON is one access request.
type AccessRequestJSON struct {
	ID          string           `json:"id"`
	Contact     string           `json:"contact"`
	Kind        string           `json:"kind" enum:"email,phone"`
	RequestedBy string           `json:"requested_by" doc:"id of the user who asked"`
	Access      string           `json:"access" enum:"collaborate,view"`
	Sessions    []SessionRefJSON `json:"sessions"`
	BatchID     string           `json:"batch_id"`
	Status      string           `json:"status" enum:"pending,granted,declined"`
	Reason      string           `json:"reason,omitempty" doc:"why a granted request granted less than it asked"`
	UserID      *string          `json:"user_id,omitempty" doc:"the person it was granted to"`
	CreatedAt   string           `json:"created_at"`
}

func accessRequestView(r *convene.AccessRequest) AccessRequestJSON {
	out := AccessRequestJSON{ID: httpd.FormatID(r.ID), Contact: r.Contact, Kind: string(r.Kind), RequestedBy: httpd.FormatID(r.RequestedBy),
		Access: string(r.Access), Sessions: make([]SessionRefJSON, 0, len(r.Sessions)), BatchID: httpd.FormatID(r.BatchID),
		Status: string(r.Status), Reason: r.Reason, UserID: optID(r.UserID), CreatedAt: timeJSON(r.CreatedAt)}
	for _, s := range r.Sessions {
		out.Sessions = append(out.Sessions, SessionRefJSON{ID: httpd.FormatID(s.ID), Title: s.Title})
	}
	return out
}

type accessRequestsInput struct {
	Status string `query:"status" enum:"pending,granted,declined" doc:"pending by default"`
	Cursor string `query:"cursor" maxLength:"200" doc:"the next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"0" maximum:"500" doc:"page size, 100 by default"`
}

// listAccessRequests answers the tenant's requests to a Tenant Admin, and
// a Session Admin's own to them.
func (s *Server) listAccessRequests(ctx context.Context, in *accessRequestsInput) (*pageOutput[AccessRequestJSON], error) {
	f := convene.AccessRequestFilter{Status: convene.AccessRequestStatus(in.Status), Cursor: in.Cursor, Limit: in.Limit}
	items, next, err := s.store.FindAccessRequests(ctx, f)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(items, next, accessRequestView), nil
}

type requestIDsInput struct {
	Body struct {
		IDs []string `json:"ids" doc:"ids of pending requests, at most 1000"`
	}
}

type accessRequestsOutput struct {
	Body struct {
		Items []AccessRequestJSON `json:"items" doc:"the requests as they are after the call"`
	}
}

// approveAccessRequests registers the person of each request and grants
// it, all or none.
func (s *Server) approveAccessRequests(ctx context.Context, in *requestIDsInput) (*accessRequestsOutput, error) {
	return s.decideAccessRequests(ctx, in, s.store.ApproveAccessRequests)
}

// declineAccessRequests declines each request, all or none.
func (s *Server) declineAccessRequests(ctx context.Context, in *requestIDsInput) (*accessRequestsOutput, error) {
	return s.decideAccessRequests(ctx, in, s.store.DeclineAccessRequests)
}

func (s *Server) decideAccessRequests(ctx context.Context, in *requestIDsInput,
	decide func(context.Context, []int64) ([]*convene.AccessRequest, error)) (*accessRequestsOutput, error) {
	ids := make([]int64, 0, len(in.Body.IDs))
	for i, raw := range in.Body.IDs {
		id, ok := httpd.ParseID(raw)
		if !ok {
			return nil, s.Err(ctx, convene.FieldErrorf(fmt.Sprintf("ids[%d]", i), "is not a request id"))
		}
		ids = append(ids, id)
	}
	reqs, err := decide(ctx, ids)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	out := &accessRequestsOutput{}
	out.Body.Items = viewAll(reqs, accessRequestView)
	return out, nil
}
