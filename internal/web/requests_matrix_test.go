package web_test

import (
	"fmt"

	"convene"
)

// The authorization matrix of the routes of contract section 14 (people
// who are not registered yet): the preview, the history of batches,
// access requests and the CSV import of users.

// csvText is a request body sent as text/csv (see env.request).
type csvText string

// ask makes, as acme's admin, an access request for a fresh unregistered
// contact into a fresh session, and returns the multi-invite.
func (e *env) ask() *convene.Batch { return e.unregistered(convene.UnregisteredRequest) }

// unregistered multi-invites, as acme's admin, a fresh unregistered
// contact into a fresh session with mode.
func (e *env) unregistered(mode convene.UnregisteredMode) *convene.Batch {
	e.t.Helper()
	s := e.session()
	contact := fmt.Sprintf("asked%d@example.test", e.seq.Add(1))
	return e.fx.Grant(e.t, e.users["admin"], convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{contact},
		Unregistered: mode})
}

// onRequest answers path with a body naming a fresh access request.
func onRequest(path string) cell {
	return func(e *env) (string, any) {
		return path, map[string]any{"ids": []string{id(e.ask().Results[0].RequestID)}}
	}
}

// onSkippedBatch answers a path under a fresh multi-invite that skipped
// somebody not registered.
func onSkippedBatch(suffix string) cell {
	return func(e *env) (string, any) {
		return "/api/v1/invitations/batches/" + id(e.unregistered(convene.UnregisteredSkip).ID) + suffix, nil
	}
}

func init() {
	onlyAdmins := [10]int{ok200, ok200, f403, f403, f403, f403, f403, u401, ok200, u401}
	matrix = append(matrix,
		row{route{"POST", "/api/v1/invitations/bulk/preview"}, func(e *env) (string, any) {
			s := e.session()
			return "/api/v1/invitations/bulk/preview", map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "member@acme.test, nobody@acme.test", "unregistered": "request"}
		}, [10]int{ok200, ok200, f403, f403, f403, f403, f403, u401, n404, u401}},
		row{route{"GET", "/api/v1/invitations/batches"}, fixed("/api/v1/invitations/batches?limit=5", nil), onlyAdmins},
		row{route{"GET", "/api/v1/invitations/batches/{batch_id}/pairs.csv"}, onBatch("/pairs.csv"),
			[10]int{ok200, ok200, n404, n404, n404, n404, n404, u401, n404, u401}},
		row{route{"POST", "/api/v1/invitations/batches/{batch_id}/retry"}, onSkippedBatch("/retry"),
			[10]int{ok200, ok200, n404, n404, n404, n404, n404, u401, n404, u401}},
		row{route{"GET", "/api/v1/access-requests"}, fixed("/api/v1/access-requests?status=pending", nil), onlyAdmins},
		row{route{"POST", "/api/v1/access-requests/approve"}, onRequest("/api/v1/access-requests/approve"),
			[10]int{ok200, f403, f403, f403, f403, f403, f403, u401, n404, u401}},
		row{route{"POST", "/api/v1/access-requests/decline"}, onRequest("/api/v1/access-requests/decline"),
			[10]int{ok200, n404, f403, f403, f403, f403, f403, u401, n404, u401}},
		row{route{"POST", "/api/v1/users/import"}, func(e *env) (string, any) {
			return "/api/v1/users/import", csvText(fmt.Sprintf("email,name\r\nimported%d@example.test,Imported\r\n", e.seq.Add(1)))
		}, [10]int{ok200, f403, f403, f403, f403, f403, f403, u401, ok200, u401}},
	)
}

// The write routes of section 14 in the malformed-request table. The
// import's valid body is a CSV file; the table sends JSON, which it
// refuses (415) like every other malformed body.
func init() {
	moreWriteRoutes = append(moreWriteRoutes, func(e *env) []writeRoute {
		s := e.session()
		skipped := e.unregistered(convene.UnregisteredSkip)
		ids := func() map[string]any { return map[string]any{"ids": []string{id(e.ask().Results[0].RequestID)}} }
		return []writeRoute{
			{route: route{"POST", "/api/v1/invitations/bulk/preview"}, body: map[string]any{"session_ids": []string{id(s.ID)}, "contacts": "member@acme.test",
				"access": "view", "unregistered": "request"}, required: []string{"session_ids", "contacts"}, readOnly: true},
			{route: route{"POST", "/api/v1/invitations/batches/{batch_id}/retry"}, params: map[string]string{"batch_id": id(skipped.ID)},
				body: map[string]any{"unregistered": "skip"}},
			{route: route{"POST", "/api/v1/access-requests/approve"}, body: ids(), required: []string{"ids"}},
			{route: route{"POST", "/api/v1/access-requests/decline"}, body: ids(), required: []string{"ids"}},
			{route: route{"POST", "/api/v1/users/import"}, body: map[string]any{"email": "json@example.test"}},
		}
	})
}
