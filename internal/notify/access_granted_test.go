package notify_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"convene"
	"convene/internal/notify"
	"convene/internal/poll"
	"convene/internal/sqlite"
)

// A person two access requests wait for is told once, over real SMTP,
// when they register: one message listing the sessions of both. A person
// on SMS gets five sessions listed and the rest counted.
func TestGrantedRequestsSendOneMessage(t *testing.T) {
	w := newWorld(t, sqlite.OpenTestDB(t))
	ss := w.sessions(t, 8)
	ask := func(sessions []int64, contacts ...string) {
		w.Grant(t, w.Admin, convene.GrantRequest{SessionIDs: sessions, Contacts: contacts, Unregistered: convene.UnregisteredRequest})
	}
	ask(ss[:2], "eve@acme.test", "+1 324 576 8342")
	ask(ss[2:3], "eve@acme.test")
	ask(ss[2:], "+1 324 576 8342")
	eve := w.User(t, "Eve", "eve@acme.test", "", convene.RoleMember)
	w.User(t, "Dee", "", "+13245768342", convene.RoleMember)

	mail := startMailServer(t, "127.0.0.1:0")
	sms := &recorder{}
	wk := startWorker(t, w.Store, notify.Config{Email: newSMTPSender(t, mail.Addr, ""), SMS: sms})
	got := mail.wait(t, 1, 10*time.Second)
	poll.Until(t, 10*time.Second, "the SMS", func() bool { return len(sms.Messages()) == 1 })
	settle(t, wk)

	if msgs := mail.Messages(); len(msgs) != 1 || msgs[0].To[0] != eve.Email {
		t.Fatalf("emails: %v, want one to %s", recipients(msgs), eve.Email)
	}
	text := bodyParts(t, got[0])["text/plain"]
	for i, id := range ss {
		link := fmt.Sprintf("%s/sessions/%d\n", publicURL, id)
		if strings.Contains(text, link) != (i < 3) {
			t.Errorf("email lists session %d: %v, want %v:\n%s", i, !(i < 3), i < 3, text)
		}
	}
	if !strings.Contains(text, "access to 3 sessions in Acme") {
		t.Errorf("email does not say how many sessions:\n%s", text)
	}
	s := sms.Messages()
	if len(s) != 1 || s[0].To != "+13245768342" || !strings.Contains(s[0].Text, "+3 more") {
		t.Errorf("SMS = %+v, want one to +13245768342 listing 5 of 8 and counting 3 more", s)
	}
	if n := len(w.jobs(t)[convene.JobSent]); n != 2 {
		t.Errorf("%d jobs sent, want 2", n)
	}
}
