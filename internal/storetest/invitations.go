package storetest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"convene"
	"convene/internal/auth"
)

// RunInvitations runs the conformance tests of guest invitations and
// password links. open's stores must offer SetClock(func() time.Time).
func RunInvitations(t *testing.T, open Opener) {
	t.Run("InviteAndAccept", func(t *testing.T) { testInviteAndAccept(t, open) })
	t.Run("AcceptRefusals", func(t *testing.T) { testAcceptRefusals(t, open) })
	t.Run("AcceptConcurrent", func(t *testing.T) { testAcceptConcurrent(t, open) })
	t.Run("RegisteredMeanwhile", func(t *testing.T) { testRegisteredMeanwhile(t, open) })
	t.Run("PasswordLinks", func(t *testing.T) { testPasswordLinks(t, open) })
	t.Run("UserWithPasswordLink", func(t *testing.T) { testUserWithPasswordLink(t, open) })
	t.Run("TenantWithPasswordLink", func(t *testing.T) { testTenantWithPasswordLink(t, open) })
}

// clocked is a fixture whose store runs on a clock the test moves.
type clocked struct {
	*Fixture
	mu  sync.Mutex
	now time.Time
}

func newClocked(t testing.TB, open Opener) *clocked {
	t.Helper()
	c := &clocked{now: time.Now().UTC()}
	store := open(t)
	setClock(t, store, c.clock)
	c.Fixture = AddTenant(t, store, "acme")
	c.AllowGuests(t)
	return c
}

func (c *clocked) clock() time.Time        { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clocked) advance(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// tokens claims every due job and, as the delivery worker does, mints the
// secret of each link job's message (a stale one, whose link was used or
// replaced since, fails and mints none). It returns the secrets by the id
// of their invitation or password link.
func (c *clocked) tokens(t testing.TB) map[int64]string {
	t.Helper()
	bg := context.Background()
	jobs, err := c.Store.ClaimJobs(bg, c.clock().Add(time.Second), 1000, time.Minute)
	if err != nil {
		t.Fatalf("ClaimJobs: %v", err)
	}
	out := map[int64]string{}
	for _, j := range jobs {
		if j.Kind != convene.JobGuestInvitation && j.Kind != convene.JobSetPassword {
			continue
		}
		id, secret, err := MintJob(t, c.Store, j)
		if err != nil {
			if err := c.Store.RetryJob(bg, j.ID, err.Error(), time.Time{}); err != nil {
				t.Fatalf("RetryJob: %v", err)
			}
			continue
		}
		out[id] = secret
		j.Channel, j.Recipient, j.Subject, j.Body = "email", "x", "x", "x"
		if err := c.Store.CompleteJob(bg, j); err != nil {
			t.Fatalf("CompleteJob: %v", err)
		}
	}
	return out
}

// onlyToken returns the secret of a map of one (or "" when empty).
func onlyToken(tokens map[int64]string) string {
	for _, secret := range tokens {
		return secret
	}
	return ""
}

// MintJob mints the secret of link job j as the delivery worker does, and
// returns the id of its invitation or password link and the secret. It
// fails t when the payload does not name the link or carries a secret.
func MintJob(t testing.TB, store convene.Store, j *convene.Job) (id int64, secret string, err error) {
	t.Helper()
	var p struct {
		InvitationID int64 `json:"invitation_id"`
		Sent         int   `json:"sent"`
		LinkID       int64 `json:"link_id"`
	}
	if err := json.Unmarshal(j.Payload, &p); err != nil || p.InvitationID+p.LinkID == 0 || containsToken(j.Payload) {
		t.Fatalf("job %d payload %s: want the link's id and no secret (%v)", j.ID, j.Payload, err)
	}
	secret, hash := auth.NewSecret()
	if j.Kind == convene.JobGuestInvitation {
		_, err = store.MintInvitationLink(context.Background(), p.InvitationID, p.Sent, hash)
		return p.InvitationID, secret, err
	}
	_, _, err = store.MintPasswordLink(context.Background(), p.LinkID, hash)
	return p.LinkID, secret, err
}

func testInviteAndAccept(t *testing.T, open Opener) {
	c := newClocked(t, open)
	owner := c.User(t, "Olive", "olive@acme.test", "", convene.RoleMember)
	member := c.User(t, "Mo", "mo@acme.test", "", convene.RoleMember)
	s := c.Session(t, owner, "Plans")
	other := c.Session(t, owner, "Other")

	res := c.Invite(t, owner, s, convene.AccessView, "mo@acme.test", "guest@example.test", "+1 324 576 8342", "GUEST@example.test")
	want := []convene.Outcome{convene.OutcomeAdded, convene.OutcomeInvited, convene.OutcomeInvited, convene.OutcomeSkipped}
	for i, r := range res {
		if r.Outcome != want[i] {
			t.Errorf("result %d (%s): outcome %q (%s), want %q", i, r.Input, r.Outcome, r.Reason, want[i])
		}
	}
	if res[0].UserID != member.ID || res[1].InvitationID == 0 || res[3].Reason == "" {
		t.Errorf("results = %+v", res)
	}
	_, err := c.Store.InviteToSession(As(member), s.ID, []string{"x@example.test"}, convene.AccessView)
	wantCode(t, err, convene.EFORBIDDEN)
	_, err = c.Store.InviteToSession(As(owner), s.ID, []string{"not a contact"}, convene.AccessView)
	wantCode(t, err, convene.EINVALID)

	pending, err := c.Store.FindInvitations(As(owner), convene.InvitationFilter{SessionID: s.ID})
	if err != nil || len(pending) != 2 {
		t.Fatalf("FindInvitations(session) = %d, %v; want 2", len(pending), err)
	}
	if all, err := c.Store.FindInvitations(c.Sys(), convene.InvitationFilter{}); err != nil || len(all) != 2 {
		t.Errorf("FindInvitations(tenant) = %d, %v; want 2", len(all), err)
	}
	tokens := c.tokens(t)
	token := tokens[res[1].InvitationID]
	if token == "" || len(tokens) != 2 {
		t.Fatalf("link jobs: %v, want one per invitation", tokens)
	}
	jobs := c.Jobs(t)
	for _, j := range jobs {
		if j.Kind == convene.JobGuestInvitation && j.Status == convene.JobSent && json.Valid(j.Payload) && containsToken(j.Payload) {
			t.Errorf("sent job %d still carries its token: %s", j.ID, j.Payload)
		}
	}

	inv, err := c.Store.FindInvitationByToken(context.Background(), auth.HashSecret(token))
	if err != nil || inv.Contact != "guest@example.test" || inv.SessionTitle != "Plans" || inv.InviterName != "Olive" || inv.State(c.clock()) != convene.InvitationPending {
		t.Fatalf("FindInvitationByToken = %+v, %v", inv, err)
	}
	acc, err := c.Store.AcceptInvitation(context.Background(), auth.HashSecret(token), "Gus Guest", "hash")
	if err != nil {
		t.Fatalf("AcceptInvitation: %v", err)
	}
	if !acc.Created || acc.User.Role != convene.RoleGuest || acc.User.Email != "guest@example.test" || acc.Access != convene.AccessView {
		t.Errorf("acceptance = %+v, user %+v", acc, acc.User)
	}
	if got := c.Access(t, s.ID)[acc.User.ID]; got != convene.AccessView {
		t.Errorf("guest's access to the session = %q, want view", got)
	}
	if got := c.Access(t, other.ID)[acc.User.ID]; got != "" {
		t.Errorf("guest's access to another session = %q, want none", got)
	}
	if evs, _ := c.Store.SessionEventsAfter(c.Sys(), s.ID, 0, 1000); len(evs) < 2 ||
		evs[len(evs)-2].Name != convene.EventMemberChanged || evs[len(evs)-1].AccessOf() != convene.AccessView || evs[len(evs)-1].UserID != acc.User.ID {
		t.Errorf("the session's events end with %s, want the guest's member.changed and access view", describe(evs))
	}
	_, err = c.Store.AcceptInvitation(context.Background(), auth.HashSecret(token), "Again", "hash")
	wantCode(t, err, convene.EUNAVAILABLE)
	if inv, _ := c.Store.FindInvitationByToken(context.Background(), auth.HashSecret(token)); inv.Status != convene.InvitationAccepted {
		t.Errorf("after accepting: status %q", inv.Status)
	}
}

func containsToken(payload []byte) bool {
	var m map[string]any
	_ = json.Unmarshal(payload, &m)
	_, ok := m["token"]
	return ok
}

// jobs returns every job of the fixture's tenant.
func (c *clocked) jobs(t testing.TB) []*convene.Job {
	t.Helper()
	jobs, err := c.Store.FindJobs(c.Sys(), convene.JobFilter{Limit: 1000})
	if err != nil {
		t.Fatalf("FindJobs: %v", err)
	}
	return jobs
}

func testAcceptRefusals(t *testing.T, open Opener) {
	c := newClocked(t, open)
	owner := c.User(t, "Olive", "olive@acme.test", "", convene.RoleMember)
	s := c.Session(t, owner, "Plans")
	bg := context.Background()
	accept := func(token string) error {
		_, err := c.Store.AcceptInvitation(bg, auth.HashSecret(token), "Gus", "hash")
		return err
	}

	// Expiry, with the injected clock.
	r := c.Invite(t, owner, s, convene.AccessCollaborate, "a@example.test")
	token := c.tokens(t)[r[0].InvitationID]
	c.advance(convene.DefaultInvitationTTL + time.Second)
	wantCode(t, accept(token), convene.EUNAVAILABLE)
	if got, _ := c.Store.FindInvitations(As(owner), convene.InvitationFilter{SessionID: s.ID, Status: convene.InvitationExpired}); len(got) != 1 {
		t.Errorf("%d expired invitations listed, want 1", len(got))
	}

	// Resend: a new token works, the old one is dead.
	if _, err := c.Store.ResendInvitation(As(owner), r[0].InvitationID); err != nil {
		t.Fatalf("ResendInvitation: %v", err)
	}
	fresh := c.tokens(t)[r[0].InvitationID]
	if fresh == "" || fresh == token {
		t.Fatalf("resend queued token %q", fresh)
	}
	wantCode(t, accept(token), convene.ENOTFOUND)

	// Revoke.
	if err := c.Store.RevokeInvitation(As(owner), r[0].InvitationID); err != nil {
		t.Fatalf("RevokeInvitation: %v", err)
	}
	wantCode(t, accept(fresh), convene.EUNAVAILABLE)
	wantCode(t, c.Store.RevokeInvitation(As(owner), r[0].InvitationID), convene.EUNAVAILABLE)

	// The inviter lost the right to add people.
	r = c.Invite(t, owner, s, convene.AccessCollaborate, "b@example.test")
	token = c.tokens(t)[r[0].InvitationID]
	c.Disable(t, owner)
	wantCode(t, accept(token), convene.EUNAVAILABLE)

	// Guests turned off after the invitation.
	r = c.Invite(t, c.Admin, s, convene.AccessCollaborate, "c@example.test")
	token = c.tokens(t)[r[0].InvitationID]
	no := false
	if _, err := c.Store.UpdateTenant(c.Sys(), convene.TenantUpdate{GuestsAllowed: &no}); err != nil {
		t.Fatal(err)
	}
	wantCode(t, accept(token), convene.EUNAVAILABLE)
	res := c.Invite(t, c.Admin, s, convene.AccessCollaborate, "d@example.test")
	if res[0].Outcome != convene.OutcomeSkipped || res[0].Reason == "" {
		t.Errorf("invite with guests off: %+v, want skipped with a reason", res[0])
	}
	wantCode(t, accept("no such token"), convene.ENOTFOUND)
}

func testAcceptConcurrent(t *testing.T, open Opener) {
	const n = 50
	c := newClocked(t, open)
	s := c.Session(t, c.Admin, "Plans")
	r := c.Invite(t, c.Admin, s, convene.AccessCollaborate, "race@example.test")
	hash := auth.HashSecret(c.tokens(t)[r[0].InvitationID])
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[string]int{}
	for range n {
		wg.Go(func() {
			_, err := c.Store.AcceptInvitation(context.Background(), hash, "Racer", "hash")
			mu.Lock()
			codes[convene.ErrorCode(err)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[""] != 1 || codes[convene.EUNAVAILABLE] != n-1 {
		t.Errorf("outcomes of %d concurrent accepts: %v, want 1 success and %d EUNAVAILABLE", n, codes, n-1)
	}
	if got := len(c.Access(t, s.ID)); got != 2 {
		t.Errorf("session has %d members, want owner + 1 guest", got)
	}
}

func testRegisteredMeanwhile(t *testing.T, open Opener) {
	c := newClocked(t, open)
	s := c.Session(t, c.Admin, "Plans")
	r := c.Invite(t, c.Admin, s, convene.AccessCollaborate, "late@example.test")
	token := c.tokens(t)[r[0].InvitationID]
	u := c.User(t, "Late", "late@example.test", "", convene.RoleMember)
	acc, err := c.Store.AcceptInvitation(context.Background(), auth.HashSecret(token), "Ignored", "hash")
	if err != nil {
		t.Fatalf("AcceptInvitation: %v", err)
	}
	if acc.Created || acc.User.ID != u.ID || acc.User.Role != convene.RoleMember {
		t.Errorf("acceptance = %+v, want the existing member", acc)
	}
	if got := c.Access(t, s.ID)[u.ID]; got != convene.AccessCollaborate {
		t.Errorf("access = %q, want collaborate", got)
	}
}

func testPasswordLinks(t *testing.T, open Opener) {
	c := newClocked(t, open)
	u := c.User(t, "Pat", "pat@acme.test", "", convene.RoleMember)
	bg := context.Background()
	// Sent: no secret exists until the message goes out with it.
	secret, err := c.Store.CreatePasswordLink(c.Sys(), convene.PasswordLinkRequest{UserID: u.ID, Purpose: convene.PasswordLinkSet, Send: true})
	if err != nil || secret != "" {
		t.Fatalf("CreatePasswordLink(send) = %q, %v; want no secret", secret, err)
	}
	_, err = c.Store.CreatePasswordLink(As(u), convene.PasswordLinkRequest{UserID: u.ID, Purpose: convene.PasswordLinkSet})
	wantCode(t, err, convene.EFORBIDDEN)
	tokens := c.tokens(t)
	if len(tokens) != 1 {
		t.Errorf("%d link jobs, want 1", len(tokens))
	}
	secret = onlyToken(tokens)
	if _, got, err := c.Store.FindPasswordLink(bg, auth.HashSecret(secret)); err != nil || got.ID != u.ID {
		t.Fatalf("FindPasswordLink = %v, %v", got, err)
	}
	if _, err := c.Store.UsePasswordLink(bg, auth.HashSecret(secret), "newhash"); err != nil {
		t.Fatalf("UsePasswordLink: %v", err)
	}
	_, err = c.Store.UsePasswordLink(bg, auth.HashSecret(secret), "again")
	wantCode(t, err, convene.ENOTFOUND)

	// Reset: the same answer with or without an account; a link only for one.
	if err := c.Store.RequestPasswordReset(c.Sys(), "nobody@acme.test"); err != nil {
		t.Errorf("RequestPasswordReset(unknown) = %v, want nil", err)
	}
	if tokens := c.tokens(t); len(tokens) != 0 {
		t.Errorf("reset of an unknown login queued %d jobs", len(tokens))
	}
	if err := c.Store.RequestPasswordReset(c.Sys(), "pat@acme.test"); err != nil {
		t.Fatalf("RequestPasswordReset: %v", err)
	}
	tokens = c.tokens(t)
	if len(tokens) != 1 {
		t.Fatalf("%d reset jobs, want 1", len(tokens))
	}
	reset := onlyToken(tokens)
	c.advance(convene.ResetPasswordLinkTTL + time.Second)
	_, err = c.Store.UsePasswordLink(bg, auth.HashSecret(reset), "late")
	wantCode(t, err, convene.ENOTFOUND)
}
