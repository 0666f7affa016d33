package web_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"convene"
	"convene/internal/notify"
	"convene/internal/phone"
	"convene/internal/web"
)

// guestApp is a server whose messages really go out: a notify worker sends
// them through an SMTP sender to an in-process SMTP server (inbox, of
// invitations_test.go), with links to the server itself. Olive, a member,
// owns "Quarterly plans" and "Secret roadmap"; Ada is the Tenant Admin.
type guestApp struct {
	*app
	inbox  *inbox
	olive  *convene.User
	plans  *convene.Session
	secret *convene.Session
}

func newGuestApp(t *testing.T) *guestApp {
	t.Helper()
	g := &guestApp{app: newAcme(t)}
	store, ctx := g.Store, context.Background()
	g.olive = g.user("Olive Owner", "olive@acme.test", "", convene.RoleMember)
	g.plans, g.secret = &convene.Session{Title: "Quarterly plans", Description: "Targets for the next quarter."}, &convene.Session{Title: "Secret roadmap"}
	for _, s := range []*convene.Session{g.secret, g.plans} {
		if err := store.CreateSession(convene.NewContextWithUser(ctx, g.olive), s); err != nil {
			t.Fatalf("CreateSession: %v", err)
		}
		g.sessionIDs[s.Title] = s.ID
	}

	// The public URL is the test server's own, so it must listen first.
	quiet := slog.New(slog.DiscardHandler)
	srv := httptest.NewUnstartedServer(nil)
	publicURL := "http://" + srv.Listener.Addr().String()
	srv.Config.Handler = web.New(store, web.Config{PublicURL: publicURL, Phones: phone.Numbering{}, Logger: quiet}).Handler()
	srv.Start()
	t.Cleanup(srv.Close)
	g.srv = srv

	in, addr := startInbox(t)
	cfg, err := notify.ParseSMTPURL("smtp://" + addr + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	sender, err := notify.NewSMTPSender(cfg, "noreply@convene.test")
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = notify.NewWorker(store, notify.Config{PublicURL: publicURL, Email: sender, PollInterval: 20 * time.Millisecond, Logger: quiet}).Run(wctx)
	}()
	t.Cleanup(func() { stop(); <-done })
	g.inbox = in
	return g
}

// inviteLinkIn returns the invitation link of the n-th message, waiting for
// it (bounded by waitMessage), as a path on the test server.
func (g *guestApp) inviteLinkIn(n int) string {
	g.t.Helper()
	text := g.inbox.waitMessage(g.t, n)
	link := regexp.MustCompile(regexp.QuoteMeta(g.srv.URL) + `/invite/[A-Za-z0-9_-]+`).FindString(text)
	if link == "" {
		g.t.Fatalf("no invitation link to %s in message %d:\n%s", g.srv.URL, n, text)
	}
	if !strings.Contains(text, "Quarterly plans") {
		g.t.Errorf("message %d does not name the session:\n%s", n, text)
	}
	return link
}

// inviteFromSessionPage invites contact to the open session page with the
// given access label ("Collaborate" or "View only") and waits for the
// summary and the pending row.
func inviteFromSessionPage(b *browser, contact, access string) {
	b.t.Helper()
	b.typeInto("textbox", "Emails or phone numbers", contact+"\r")
	b.waitFor("the not-registered chip", `document.querySelector("#session-invite .chip--unregistered")`)
	if got := eval[string](b, `document.querySelector("#session-invite .chip").textContent`); got != "(!)"+contact+"not registered" {
		b.t.Errorf("chip reads %q", got)
	}
	value := map[string]string{"Collaborate": "collaborate", "View only": "view"}[access]
	b.doOnFreshNode("choose "+access, chromedp.Click(chromedp.JSPath(fmt.Sprintf(`document.querySelector("#session-invite input[name=session-invite-access][value=%s]")`, value))))
	b.click("button", "Invite")
	b.waitFor("the summary", fmt.Sprintf(`document.querySelector("#session-invite-result li[data-outcome=invited]")?.textContent === %q`,
		contact+"invited as a guest ("+access+")"))
	b.waitRole("button", "Revoke invitation to "+contact)
	if n := eval[int](b, `document.querySelectorAll("#session-invite .chip").length`); n != 0 {
		b.t.Errorf("%d chips left after inviting, want none", n)
	}
}

func signOut(b *browser) {
	b.t.Helper()
	b.click("button", "Sign out")
	b.waitRole("button", "Sign in")
}

func heading(b *browser) string {
	return eval[string](b, `document.querySelector("h1")?.textContent.trim() || ""`)
}

// TestBrowserGuestInvitation: the owner invites an unregistered address to
// one session, view only; the email reaches the SMTP server; its link shows
// the invitation, registers the guest and lands them in that session, read
// only, and only there; the link is then used up. A revoked link is refused.
func TestBrowserGuestInvitation(t *testing.T) {
	g := newGuestApp(t)
	b := newBrowser(t, 1280, 900)
	plansURL := fmt.Sprintf("%s/sessions/%d", g.srv.URL, g.plans.ID)

	// The owner invites gus@example.test, view only.
	signIn(b, g.app, "olive@acme.test")
	b.navigate(plansURL)
	b.waitRole("heading", "Pending invitations")
	b.waitFor("no pending invitations yet", `document.getElementById("pending-state").textContent.includes("No pending invitations")`)
	inviteFromSessionPage(b, "gus@example.test", "View only")
	row := eval[string](b, `document.querySelector("#pending-list li").textContent`)
	if !strings.Contains(row, "gus@example.test") || !strings.Contains(row, "View only") {
		t.Errorf("pending row reads %q", row)
	}

	// The message arrives; its link opens, signed out, on the invitation.
	link := g.inviteLinkIn(1)
	signOut(b)
	b.navigate(link)
	b.waitRole("button", "Join the session")
	if h := heading(b); h != "Join “Quarterly plans”" {
		t.Errorf("invitation heading %q", h)
	}
	text := eval[string](b, `document.querySelector(".auth-card").innerText`)
	for _, want := range []string{"Olive Owner invited you to view the session Quarterly plans in Acme Corp", "View only"} {
		if !strings.Contains(text, want) {
			t.Errorf("the invitation page does not say %q:\n%s", want, text)
		}
	}
	if got := eval[string](b, `(() => { const e = document.getElementById("invite-contact"); return e.value + (e.readOnly ? " readonly" : ""); })()`); got != "gus@example.test readonly" {
		t.Errorf("email field: %q, want the invited address, read-only", got)
	}
	b.screenshot("guest-invitation")
	checkAccessible(t, b.ctx, "the guest invitation page")

	// Register: lands in the session, view only.
	b.typeInto("textbox", "Your name", "Gus Guest")
	b.typeInto("textbox", "Password", testPassword)
	b.click("button", "Join the session")
	b.waitFor("the session page", fmt.Sprintf(`location.pathname === "/sessions/%d" && document.querySelectorAll("#members-list li").length === 2`, g.plans.ID))
	if h := heading(b); h != "Quarterly plans" {
		t.Errorf("landed on %q", h)
	}
	if n := eval[int](b, `document.querySelectorAll("#members-list input, #members-list button, #session-invite, #pending-card").length`); n != 0 {
		t.Errorf("the guest sees %d controls to change access or invite, want none", n)
	}
	if got := eval[string](b, `document.querySelector(".page-head .badge")?.textContent || ""`); got != "You: View only" {
		t.Errorf("the guest's badge reads %q", got)
	}
	me := eval[string](b, `document.querySelector(".me-text")?.textContent || ""`)
	if me != "Gus GuestGuest" {
		t.Errorf("header shows %q, want the guest signed in", me)
	}

	// All Sessions shows that session and only that one.
	b.click("link", "← All Sessions")
	b.waitRole("searchbox", "Search sessions")
	waitTitles(b, "Quarterly plans")

	// The link is used up.
	signOut(b)
	b.navigate(link)
	b.waitFor("the refusal", `document.querySelector("h1")?.textContent === "Invitation already used"`)
	if n := eval[int](b, `document.querySelectorAll("form, input").length`); n != 0 {
		t.Errorf("the used link still shows a form")
	}
	b.waitRole("link", "Sign in")
	if text := eval[string](b, `document.body.innerText`); !strings.Contains(text, "This invitation was already used") {
		t.Errorf("the used link says:\n%s", text)
	}

	// Revoke: the owner invites another address and revokes it at once.
	signIn(b, g.app, "olive@acme.test")
	b.navigate(plansURL)
	b.waitRole("heading", "Pending invitations")
	inviteFromSessionPage(b, "rita@example.test", "Collaborate")
	link2 := g.inviteLinkIn(2)
	b.click("button", "Revoke invitation to rita@example.test")
	b.waitFor("the row gone", `!document.querySelector("#pending-list li") && document.getElementById("pending-state").textContent.includes("No pending invitations")`)
	b.waitFor("the toast", `document.getElementById("toast")?.textContent.startsWith("The invitation to rita@example.test was revoked")`)
	signOut(b)
	b.navigate(link2)
	b.waitFor("the refusal", `document.querySelector("h1")?.textContent === "Invitation withdrawn"`)
	if n := eval[int](b, `document.querySelectorAll("form, input").length`); n != 0 {
		t.Errorf("the revoked link still shows a form")
	}
	if text := eval[string](b, `document.body.innerText`); !strings.Contains(text, "withdrawn") || !strings.Contains(text, "Ask the person who invited you") {
		t.Errorf("the revoked link says:\n%s", text)
	}

	// Nobody registered through the revoked link; Gus is a guest.
	gus, err := g.Store.FindUserByLogin(g.Sys(), "gus@example.test")
	if err != nil || gus.Role != convene.RoleGuest || gus.Name != "Gus Guest" {
		t.Errorf("gus = %+v, %v; want the guest Gus Guest", gus, err)
	}
	if _, err := g.Store.FindUserByLogin(g.Sys(), "rita@example.test"); convene.ErrorCode(err) != convene.ENOTFOUND {
		t.Errorf("rita: %v, want not found", err)
	}
}

// TestBrowserOutboxAndPasswordReset: the Tenant Admin finds the outbox in
// the header and sees the message sent; "Forgot your password?" on the
// sign-in page leads to the reset page, which sends a link.
func TestBrowserOutboxAndPasswordReset(t *testing.T) {
	g := newGuestApp(t)
	b := newBrowser(t, 1280, 900)

	// Olive is a member: no Outbox in her header.
	signIn(b, g.app, "olive@acme.test")
	if n := eval[int](b, `document.querySelectorAll(".mainnav a[href='/outbox']").length`); n != 0 {
		t.Errorf("a member's header links to the outbox")
	}
	signOut(b)

	// Forgot your password? The reset link arrives by email and works.
	b.click("link", "Forgot your password?")
	b.waitRole("heading", "Reset your password")
	checkAccessible(t, b.ctx, "the password reset page")
	b.do("clear the workspace", clearField("#reset-workspace"))
	b.typeInto("textbox", "Workspace", "acme")
	b.typeInto("textbox", "Email or phone", "olive@acme.test")
	b.click("button", "Send a reset link")
	b.waitFor("the confirmation", `document.body.innerText.includes("If an account matches, we sent it a link")`)
	text := g.inbox.waitMessage(t, 1)
	link := regexp.MustCompile(regexp.QuoteMeta(g.srv.URL) + `/set-password/[A-Za-z0-9_-]+`).FindString(text)
	if link == "" {
		t.Fatalf("no reset link in:\n%s", text)
	}
	b.navigate(link)
	b.waitRole("heading", "Choose a new password")
	checkAccessible(t, b.ctx, "the set-password page")
	b.typeInto("textbox", "New password", "short")
	b.typeInto("textbox", "Repeat the password", "short")
	b.do("submit without the browser's own checks", chromedp.Evaluate[chromedp.Void](`document.querySelector("form").noValidate = true`))
	b.click("button", "Save password")
	b.waitFor("the refusal, with the form kept", `document.querySelector(".notice-error") && document.getElementById("set-password")`)
	b.typeInto("textbox", "New password", "a new long password")
	b.typeInto("textbox", "Repeat the password", "a new long password")
	b.click("button", "Save password")
	b.waitRole("searchbox", "Search sessions")
	signOut(b)

	// Ada finds the outbox in the header: the reset link was sent.
	signIn(b, g.app, "ada@acme.test")
	b.click("link", "Outbox")
	b.waitRole("heading", "Outbox")
	b.waitFor("the sent message", `document.querySelectorAll("tr[data-status=sent]").length === 1`)
	checkAccessible(t, b.ctx, "Outbox")
	if got := eval[string](b, `document.querySelector(".mainnav a[aria-current=page]")?.textContent || ""`); got != "Outbox" {
		t.Errorf("current navigation item %q, want Outbox", got)
	}
	if to := eval[string](b, `document.querySelector("tr[data-status=sent] td:nth-child(3)").textContent`); !strings.Contains(to, "olive@acme.test") {
		t.Errorf("the outbox row is to %q", to)
	}
	if got := eval[string](b, `document.getElementById("outbox-page")?.textContent || ""`); got != "Page 1 of 1" {
		t.Errorf("the outbox's pager reads %q", got)
	}

	// Filtered: by channel, then by a search over the recipient.
	b.do("choose SMS", chromedp.SetValue(chromedp.CSS(`select[name=channel]`), "sms"))
	b.click("button", "Filter")
	b.waitRole("heading", "No messages match")
	checkAccessible(t, b.ctx, "Outbox filtered to nothing")
	b.do("choose all channels", chromedp.SetValue(chromedp.CSS(`select[name=channel]`), ""))
	b.typeInto("searchbox", "Search messages", "OLIVE")
	b.click("button", "Filter")
	b.waitFor("the search kept in the address", `location.search.includes("q=OLIVE")`)
	b.waitFor("Olive's message", `document.querySelectorAll("tr[data-status=sent]").length === 1`)
	signOut(b) // the outbox page runs the shared script too
}
