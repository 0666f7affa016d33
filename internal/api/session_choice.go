package api

import (
	"fmt"

	"convene"
	"convene/internal/httpd"
)

// SessionQueryJSON selects sessions by search (contract section 15).
type SessionQueryJSON struct {
	Q string `json:"q" maxLength:"200" doc:"matches the title anywhere, as GET /api/v1/sessions does; empty: every session"`
}

// SessionChoice is how a bulk call names its sessions: by id, or by a
// search resolved when the call is applied; exactly one of the two.
type SessionChoice struct {
	SessionIDs   []string          `json:"session_ids,omitempty" doc:"ids of the sessions, at most 1000; or give session_query"`
	SessionQuery *SessionQueryJSON `json:"session_query,omitempty" doc:"instead of session_ids: every session matching when the call is applied that the caller may manage (more than 1000: 413)"`
}

// parse returns the ids or the query of c, checked: 413 past 1,000 ids,
// 422 for an id that is none, for both or neither.
func (c *SessionChoice) parse() ([]int64, *convene.SessionQuery, error) {
	if len(c.SessionIDs) > convene.MaxGrantSessions {
		return nil, nil, convene.Errorf(convene.ETOOLARGE, "at most %d sessions per call, got %d", convene.MaxGrantSessions, len(c.SessionIDs))
	}
	var ids []int64
	for i, raw := range c.SessionIDs {
		id, ok := httpd.ParseID(raw)
		if !ok {
			return nil, nil, convene.FieldErrorf(fmt.Sprintf("session_ids[%d]", i), "is not a session id")
		}
		ids = append(ids, id)
	}
	var q *convene.SessionQuery
	if c.SessionQuery != nil {
		if err := httpd.CheckLine("session_query.q", c.SessionQuery.Q, 200); err != nil {
			return nil, nil, err
		}
		q = &convene.SessionQuery{Q: c.SessionQuery.Q}
	}
	return ids, q, convene.ValidateSessionChoice(ids, q)
}
