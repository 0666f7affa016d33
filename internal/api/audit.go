package api

import (
	"context"

	"convene/internal/httpd"

	"convene"
)

// AuditJSON is one audit event.
type AuditJSON struct {
	ID        string  `json:"id"`
	At        string  `json:"at"`
	Actor     *string `json:"actor" doc:"id of the user who acted; null for the system"`
	Action    string  `json:"action" example:"member.added"`
	SessionID *string `json:"session_id"`
	UserID    *string `json:"user_id"`
	Before    string  `json:"before"`
	After     string  `json:"after"`
	BatchID   *string `json:"batch_id"`
}

type auditInput struct {
	Session string `query:"session" maxLength:"40" doc:"a session id"`
	User    string `query:"user" maxLength:"40" doc:"a user id"`
	Batch   string `query:"batch" maxLength:"40" doc:"a multi-invite's batch id"`
	Cursor  string `query:"cursor" maxLength:"200"`
	Limit   int    `query:"limit" minimum:"0" maximum:"500" doc:"page size, 100 by default"`
}

// queryID parses an optional id filter: 0 when absent, EINVALID when it is
// no id.
func queryID(field, raw string) (int64, error) {
	if raw == "" {
		return 0, nil
	}
	id, ok := httpd.ParseID(raw)
	if !ok {
		return 0, convene.FieldErrorf(field, "is not an id")
	}
	return id, nil
}

func (s *Server) listAudit(ctx context.Context, in *auditInput) (*pageOutput[AuditJSON], error) {
	if _, err := s.authorize(ctx, convene.PermReadAudit); err != nil {
		return nil, err
	}
	f, err := auditFilter(in)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	events, next, err := s.store.FindAuditEvents(ctx, f)
	if err != nil {
		return nil, s.Err(ctx, err)
	}
	return pageOf(events, next, auditView), nil
}

func auditFilter(in *auditInput) (f convene.AuditFilter, err error) {
	f = convene.AuditFilter{Cursor: in.Cursor, Limit: in.Limit}
	if f.SessionID, err = queryID("session", in.Session); err != nil {
		return f, err
	}
	if f.UserID, err = queryID("user", in.User); err != nil {
		return f, err
	}
	f.BatchID, err = queryID("batch", in.Batch)
	return f, err
}

func auditView(e *convene.AuditEvent) AuditJSON {
	return AuditJSON{
		ID: httpd.FormatID(e.ID), At: timeJSON(e.At), Actor: optID(e.ActorID), Action: e.Action,
		SessionID: optID(e.SessionID), UserID: optID(e.UserID), Before: e.Before, After: e.After, BatchID: optID(e.BatchID),
	}
}
