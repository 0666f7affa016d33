package web_test

// Rows of the authorization matrix and the malformed-request table for the
// guest invitations and password links (contract section 8), added from
// here through the extension points of matrix_test.go and malformed_test.go.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"convene"
	"convene/internal/storetest"
	"convene/internal/web"
)

const (
	a202 = http.StatusAccepted
	u422 = http.StatusUnprocessableEntity
)

// guestContact is a fresh email address nobody in acme is registered with.
func (e *env) guestContact() string {
	return fmt.Sprintf("guest%d@example.test", e.seq.Add(1))
}

// invitation has the owner of a fresh session invite a fresh unregistered
// contact as a guest, view only, and returns the invitation and its secret
// (read from the queued message, which no worker sends in these tests).
func (e *env) invitation() (*convene.Session, int64, string) {
	e.t.Helper()
	e.fx.AllowGuests(e.t) // the matrix's PATCH of the tenant turns them off
	s := e.session()
	res := e.fx.Invite(e.t, e.users["owner"], s, convene.AccessView, e.guestContact())
	if len(res) != 1 || res[0].Outcome != convene.OutcomeInvited {
		e.t.Fatalf("InviteToSession: %+v, want one invitation", res)
	}
	return s, res[0].InvitationID, e.invitationToken(res[0].InvitationID)
}

// invitationToken delivers the newest queued message of an invitation as
// the worker would, minting its secret, and returns the secret.
func (e *env) invitationToken(invID int64) string {
	e.t.Helper()
	j := e.queuedInvitationJob(invID)
	if j == nil {
		e.t.Fatalf("no queued message of invitation %d", invID)
	}
	_, secret, err := storetest.MintJob(e.t, e.fx.Store, j)
	if err != nil {
		e.t.Fatalf("MintInvitationLink: %v", err)
	}
	j.Channel, j.Recipient, j.Subject, j.Body = "email", "x", "x", "x"
	if err := e.fx.Store.CompleteJob(e.fx.Sys(), j); err != nil {
		e.t.Fatalf("CompleteJob: %v", err)
	}
	return secret
}

// queuedInvitationJob returns the newest queued message of an invitation,
// or nil.
func (e *env) queuedInvitationJob(invID int64) *convene.Job {
	e.t.Helper()
	jobs, err := e.fx.Store.FindJobs(e.fx.Sys(), convene.JobFilter{Status: convene.JobQueued, Limit: 1000})
	if err != nil {
		e.t.Fatalf("FindJobs: %v", err)
	}
	for _, j := range jobs { // newest first
		var p invitationJob
		if j.Kind == convene.JobGuestInvitation && json.Unmarshal(j.Payload, &p) == nil && p.InvitationID == invID {
			return j
		}
	}
	return nil
}

// invitationJob is the payload of a guest invitation's message.
type invitationJob struct {
	InvitationID int64 `json:"invitation_id"`
}

// passwordLink registers a fresh member without a password and returns the
// secret of a set-password link for them.
func (e *env) passwordLink() string {
	e.t.Helper()
	u := e.fresh(convene.RoleMember)
	secret, err := e.fx.Store.CreatePasswordLink(e.fx.Sys(), convene.PasswordLinkRequest{UserID: u.ID, Purpose: convene.PasswordLinkSet})
	if err != nil {
		e.t.Fatalf("CreatePasswordLink: %v", err)
	}
	return secret
}

// onInvitation answers a path under a fresh pending invitation.
func onInvitation(suffix string) cell {
	return func(e *env) (string, any) {
		_, invID, _ := e.invitation()
		return "/api/v1/invitations/" + id(invID) + suffix, nil
	}
}

func init() {
	matrix = append(matrix,
		// The owner and Session and Tenant Admins invite to a session; a
		// non-member does not see it, members who do not own it may not.
		row{route{"POST", "/api/v1/sessions/{id}/invitations"}, func(e *env) (string, any) {
			e.fx.AllowGuests(e.t)
			s := e.session()
			return "/api/v1/sessions/" + id(s.ID) + "/invitations", map[string]any{"contacts": e.guestContact() + ", member@acme.test", "access": "view"}
		}, [10]int{ok200, ok200, ok200, n404, f403, f403, f403, u401, n404, u401}},
		row{route{"GET", "/api/v1/sessions/{id}/invitations"}, func(e *env) (string, any) {
			s, _, _ := e.invitation()
			return "/api/v1/sessions/" + id(s.ID) + "/invitations", nil
		}, [10]int{ok200, ok200, ok200, n404, f403, f403, f403, u401, n404, u401}},
		// The workspace's pending invitations: admins see all, members those
		// of the sessions they own (none, for most), guests none at all.
		row{route{"GET", "/api/v1/invitations"}, fixed("/api/v1/invitations", nil),
			[10]int{ok200, ok200, ok200, ok200, ok200, ok200, f403, u401, ok200, u401}},
		row{route{"POST", "/api/v1/invitations/{id}/resend"}, onInvitation("/resend"),
			[10]int{ok200, ok200, ok200, n404, f403, f403, f403, u401, n404, u401}},
		row{route{"DELETE", "/api/v1/invitations/{id}"}, onInvitation(""),
			[10]int{n204, n204, n204, n404, f403, f403, f403, u401, n404, u401}},
		// Accepting is public: the token is the credential, whoever sends it
		// (a disabled user's bearer token is refused before anything else).
		row{route{"POST", "/api/v1/invitations/accept"}, func(e *env) (string, any) {
			_, _, token := e.invitation()
			return "/api/v1/invitations/accept", map[string]string{"token": token, "name": "Gus Guest", "password": "a long password"}
		}, [10]int{ok200, ok200, ok200, ok200, ok200, ok200, ok200, u401, ok200, ok200}},
		// ... and a token that is not one is not found, for everyone.
		row{route{"POST", "/api/v1/invitations/accept"}, fixed("/api/v1/invitations/accept",
			map[string]string{"token": "not-a-token", "name": "Gus Guest", "password": "a long password"}),
			[10]int{n404, n404, n404, n404, n404, n404, n404, u401, n404, n404}},
		// A used (accepted) invitation is gone.
		row{route{"POST", "/api/v1/invitations/accept"}, func(e *env) (string, any) {
			_, _, token := e.invitation()
			body := map[string]string{"token": token, "name": "Gus Guest", "password": "a long password"}
			wantStatus(e.t, e.do("anon", "POST", "/api/v1/invitations/accept", body), http.StatusOK, "first acceptance")
			return "/api/v1/invitations/accept", body
		}, [10]int{410, 410, 410, 410, 410, 410, 410, u401, 410, 410}},
		// A reset request answers the same whether or not the account exists.
		row{route{"POST", "/api/v1/auth/password-reset"}, fixed("/api/v1/auth/password-reset", map[string]string{"tenant": "acme", "login": "member@acme.test"}),
			[10]int{a202, a202, a202, a202, a202, a202, a202, u401, a202, a202}},
		row{route{"POST", "/api/v1/auth/password-reset"}, fixed("/api/v1/auth/password-reset", map[string]string{"tenant": "nowhere", "login": "nobody@example.test"}),
			[10]int{a202, a202, a202, a202, a202, a202, a202, u401, a202, a202}},
		row{route{"POST", "/api/v1/auth/set-password"}, func(e *env) (string, any) {
			return "/api/v1/auth/set-password", map[string]string{"token": e.passwordLink(), "password": "a long password"}
		}, [10]int{n204, n204, n204, n204, n204, n204, n204, u401, n204, n204}},
		row{route{"POST", "/api/v1/auth/set-password"}, fixed("/api/v1/auth/set-password", map[string]string{"token": "not-a-token", "password": "a long password"}),
			[10]int{n404, n404, n404, n404, n404, n404, n404, u401, n404, n404}},
	)

	moreWriteRoutes = append(moreWriteRoutes, func(e *env) []writeRoute {
		s := e.session()
		_, pending, _ := e.invitation()
		_, _, token := e.invitation()
		return []writeRoute{
			{route: route{"POST", "/api/v1/sessions/{id}/invitations"}, params: map[string]string{"id": id(s.ID)},
				body: map[string]any{"contacts": "new.guest@example.test", "access": "view"}, required: []string{"contacts"}},
			{route: route{"POST", "/api/v1/invitations/{id}/resend"}, params: map[string]string{"id": id(pending)}},
			{route: route{"DELETE", "/api/v1/invitations/{id}"}, params: map[string]string{"id": id(pending)}},
			{route: route{"POST", "/api/v1/invitations/accept"}, body: map[string]any{"token": token, "name": "Gus Guest", "password": "a long password"},
				required: []string{"token", "name", "password"}},
			// Answers 202 to any well-formed request, and sends nothing
			// unless the workspace and login name an account.
			{route: route{"POST", "/api/v1/auth/password-reset"}, body: map[string]any{"tenant": "acme", "login": "member@acme.test"},
				required: []string{"tenant", "login"}, readOnly: true},
			{route: route{"POST", "/api/v1/auth/set-password"}, body: map[string]any{"token": e.passwordLink(), "password": "a long password"},
				required: []string{"token", "password"}},
		}
	})
}

// TestInvitationMatrixSideEffects checks what the status codes of the matrix
// cannot: a refused call leaves the invitation as it was.
func TestInvitationMatrixSideEffects(t *testing.T) {
	e := newEnv(t, unlimited)
	s, invID, token := e.invitation()
	for _, p := range []string{"member", "collab", "viewer", "guest", "disabled", "other", "anon"} {
		e.do(p, "POST", "/api/v1/invitations/"+id(invID)+"/resend", nil)
		e.do(p, "DELETE", "/api/v1/invitations/"+id(invID), nil)
	}
	r := e.do("owner", "GET", "/api/v1/sessions/"+id(s.ID)+"/invitations", nil)
	wantStatus(t, r, http.StatusOK, "list")
	var list struct {
		Items []struct {
			ID        string `json:"id"`
			Status    string `json:"status"`
			SentCount int    `json:"sent_count"`
		} `json:"items"`
	}
	r.decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].ID != id(invID) || list.Items[0].Status != "pending" || list.Items[0].SentCount != 1 {
		t.Fatalf("after refused resends and revokes: %s", r.body)
	}
	if j := e.queuedInvitationJob(invID); j != nil {
		t.Errorf("a refused resend queued a new link: %s", j.Payload)
	}
	// Resend: the old link stops working, the new one works.
	wantStatus(t, e.do("owner", "POST", "/api/v1/invitations/"+id(invID)+"/resend", nil), http.StatusOK, "resend")
	fresh := e.invitationToken(invID)
	if fresh == token {
		t.Fatalf("resend kept the old secret")
	}
	body := map[string]string{"token": token, "name": "Gus Guest", "password": "a long password"}
	wantProblem(t, e.do("anon", "POST", "/api/v1/invitations/accept", body), http.StatusNotFound, "old link after resend")
	body["token"] = fresh
	wantStatus(t, e.do("anon", "POST", "/api/v1/invitations/accept", body), http.StatusOK, "new link after resend")
	// Accepted: neither resend nor revoke applies any more.
	wantProblem(t, e.do("owner", "POST", "/api/v1/invitations/"+id(invID)+"/resend", nil), http.StatusGone, "resend accepted")
	wantProblem(t, e.do("owner", "DELETE", "/api/v1/invitations/"+id(invID), nil), http.StatusGone, "revoke accepted")
	// Invalid input of the invite call is a 422 naming the entry.
	p := wantProblem(t, e.do("owner", "POST", "/api/v1/sessions/"+id(s.ID)+"/invitations", map[string]any{"contacts": "bob@, x@example.test"}),
		u422, "invalid contact")
	if len(p.Entries) == 0 && len(p.Errors) == 0 {
		t.Errorf("invalid contact: no entries or errors in the problem")
	}
}

// TestPasswordResetOddInput: the reset request answers 202 to anything
// well-formed, and queues a message only for an account that exists (the
// malformed-request table's snapshot does not see the queue).
func TestPasswordResetOddInput(t *testing.T) {
	e := newEnv(t, unlimited)
	queued := func() int {
		jobs, err := e.fx.Store.FindJobs(e.fx.Sys(), convene.JobFilter{Limit: 1000})
		if err != nil {
			t.Fatalf("FindJobs: %v", err)
		}
		return len(jobs)
	}
	for _, body := range []map[string]string{
		{"tenant": "acme", "login": "member@acme.test\r\nBcc: evil@example.test"},
		{"tenant": "acme", "login": "member@acme.test\x00"},
		{"tenant": "acme\r\n", "login": "nobody@acme.test"},
		{"tenant": "acme", "login": "disabled@acme.test"},
		{"tenant": "globex", "login": "member@acme.test"},
		{"tenant": "", "login": ""},
	} {
		before := queued()
		r := e.do("anon", "POST", "/api/v1/auth/password-reset", body)
		if r.status != http.StatusAccepted && r.status != http.StatusUnprocessableEntity {
			t.Errorf("%q: status %d; body %s", body, r.status, r.body)
		}
		if n := queued(); n != before {
			t.Errorf("%q: %d messages queued, want none", body, n-before)
		}
	}
	before := queued()
	wantStatus(t, e.do("anon", "POST", "/api/v1/auth/password-reset", map[string]string{"tenant": "ACME ", "login": "Member@Acme.test"}), a202, "reset")
	if n := queued(); n != before+1 {
		t.Errorf("a reset of an existing account queued %d messages, want 1", n-before)
	}
}

// TestInvitationRateLimit: inviting and resending send messages, and share
// the multi-invite's budget; over it, 429 with Retry-After and nothing sent.
func TestInvitationRateLimit(t *testing.T) {
	e := newEnv(t, unlimited, func(c *web.Config) { c.InviteRate, c.InviteBurst = rate.Every(time.Hour), 2 })
	s, invID, _ := e.invitation() // through the store: no budget spent
	path := "/api/v1/sessions/" + id(s.ID) + "/invitations"
	wantStatus(t, e.do("owner", "POST", path, map[string]any{"contacts": e.guestContact()}), http.StatusOK, "first invite")
	wantStatus(t, e.do("owner", "POST", "/api/v1/invitations/"+id(invID)+"/resend", nil), http.StatusOK, "first resend")
	before := e.snapshot(t)
	wantRateLimited(t, e.do("owner", "POST", path, map[string]any{"contacts": e.guestContact()}), "third call")
	wantProblem(t, e.do("owner", "POST", "/api/v1/invitations/"+id(invID)+"/resend", nil), http.StatusTooManyRequests, "fourth call")
	e.wantNoWrites(t, before, "a refused invite")
	// Someone else's budget is their own.
	wantStatus(t, e.do("admin", "POST", path, map[string]any{"contacts": e.guestContact()}), http.StatusOK, "the admin's invite")
}
