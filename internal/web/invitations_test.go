package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"convene"
	"convene/internal/notify"
	"convene/internal/phone"
	"convene/internal/poll"
	"convene/internal/sqlite"
	"convene/internal/storetest"
	"convene/internal/web"

	"convene/internal/api/apicheck"
)

// inbox is an in-process SMTP server (emersion/go-smtp) keeping raw messages.
type inbox struct {
	mu   sync.Mutex
	msgs [][]byte
}

type inboxSession struct{ in *inbox }

func (s inboxSession) Reset()                               {}
func (s inboxSession) Logout() error                        { return nil }
func (s inboxSession) Mail(string, *smtp.MailOptions) error { return nil }
func (s inboxSession) Rcpt(string, *smtp.RcptOptions) error { return nil }
func (s inboxSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	s.in.mu.Lock()
	s.in.msgs = append(s.in.msgs, b)
	s.in.mu.Unlock()
	return err
}

func startInbox(t testing.TB) (*inbox, string) {
	in := &inbox{}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return inboxSession{in}, nil }))
	srv.Domain = "localhost"
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return in, l.Addr().String()
}

// waitMessage waits for the n-th message and returns its decoded text.
func (in *inbox) waitMessage(t testing.TB, n int) string {
	t.Helper()
	var raw []byte
	poll.Until(t, 10*time.Second, fmt.Sprintf("message %d to arrive", n), func() bool {
		in.mu.Lock()
		defer in.mu.Unlock()
		if len(in.msgs) >= n {
			raw = in.msgs[n-1]
		}
		return raw != nil
	})
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("message %d: %v", n, err)
	}
	b, _ := io.ReadAll(m.Body)
	return strings.ReplaceAll(strings.ReplaceAll(string(b), "=\r\n", ""), "=3D", "=")
}

var inviteLink = regexp.MustCompile(`https://convene\.example/invite/[A-Za-z0-9_-]+`)

func TestGuestInvitationEndToEnd(t *testing.T) {
	f := storetest.AddTenantWith(t, sqlite.OpenTestDB(t),
		&convene.Tenant{Slug: "acme", Name: "Acme", DefaultRegion: "US", GuestsAllowed: true, InvitationTTL: convene.DefaultInvitationTTL},
		&convene.User{Name: "Olive Owner", Email: "olive@acme.test", Role: convene.RoleAdmin})
	db, ctx, owner := f.Store, context.Background(), f.Admin
	plans := f.Session(t, owner, "Plans")
	f.Session(t, owner, "Secret") // one the guest is not invited to and must not see
	quiet := slog.New(slog.DiscardHandler)
	srv := httptest.NewServer(web.New(db, web.Config{PublicURL: "https://convene.example", Phones: phone.Numbering{}, Logger: quiet}).Handler())
	t.Cleanup(srv.Close)

	in, addr := startInbox(t)
	cfg, _ := notify.ParseSMTPURL("smtp://" + addr + "?tls=none")
	sender, err := notify.NewSMTPSender(cfg, "noreply@convene.example")
	if err != nil {
		t.Fatal(err)
	}
	wctx, stop := context.WithCancel(ctx)
	t.Cleanup(stop)
	go notify.NewWorker(db, notify.Config{PublicURL: "https://convene.example", Email: sender, PollInterval: 20 * time.Millisecond, Logger: quiet}).Run(wctx)

	// The owner invites an unregistered email, view only.
	ownerClient := inviteAPIClient(t, srv, f.Token(t, owner))
	body := `{"contacts":"guest@example.test","access":"view"}`
	resp := ownerClient.post(t, "/api/v1/sessions/"+idString(plans.ID)+"/invitations", body)
	if resp.status != http.StatusOK || !strings.Contains(resp.body, `"outcome":"invited"`) {
		t.Fatalf("invite: %d %s", resp.status, resp.body)
	}
	text := in.waitMessage(t, 1)
	link := inviteLink.FindString(text)
	if link == "" {
		t.Fatalf("no invitation link in:\n%s", text)
	}
	path := strings.TrimPrefix(link, "https://convene.example")

	// Opening the link shows the invitation and does not consume it.
	guest := newWebClient(t, srv)
	for range 2 {
		page := guest.get(t, path)
		if page.status != http.StatusOK || !strings.Contains(page.body, "Olive Owner") || !strings.Contains(page.body, "Plans") ||
			!strings.Contains(page.body, `value="guest@example.test" readonly`) {
			t.Fatalf("GET %s: %d\n%s", path, page.status, page.body)
		}
	}
	// Register: lands in the session, signed in.
	page := guest.form(t, path, url.Values{"name": {"Gus Guest"}, "password": {"correct horse"}, "contact": {"evil@example.test"}})
	if page.status != http.StatusOK || !strings.HasSuffix(page.url, "/sessions/"+idString(plans.ID)) {
		t.Fatalf("register: %d at %s\n%s", page.status, page.url, page.body)
	}
	list := guest.get(t, "/api/v1/sessions")
	if !strings.Contains(list.body, `"Plans"`) || strings.Contains(list.body, `"Secret"`) {
		t.Errorf("guest sees: %s", list.body)
	}
	u, err := db.FindUserByLogin(f.Sys(), "guest@example.test")
	if err != nil || u.Role != convene.RoleGuest || u.Name != "Gus Guest" {
		t.Fatalf("guest user = %+v, %v", u, err)
	}
	ms, _ := db.Members(f.Sys(), plans.ID)
	for _, m := range ms {
		if m.UserID == u.ID && m.Access != convene.AccessView {
			t.Errorf("guest access %q, want view", m.Access)
		}
	}
	// The link is used up.
	again := newWebClient(t, srv).form(t, path, url.Values{"name": {"Mallory"}, "password": {"correct horse"}})
	if again.status != http.StatusGone {
		t.Errorf("reuse: %d, want 410", again.status)
	}
}

// client is a cookie-keeping HTTP client of the test server.
type webClient struct {
	srv *httptest.Server
	c   *http.Client
	tok string
}

type answer struct {
	status    int
	body, url string
}

func newWebClient(t testing.TB, srv *httptest.Server) *webClient {
	jar, _ := cookiejar.New(nil)
	return &webClient{srv: srv, c: apicheck.Client(t, &http.Client{Jar: jar})}
}

// inviteAPIClient is a client that sends token, an API token's secret.
func inviteAPIClient(t testing.TB, srv *httptest.Server, token string) *webClient {
	t.Helper()
	c := newWebClient(t, srv)
	c.tok = token
	return c
}

func (c *webClient) do(t testing.TB, req *http.Request) answer {
	t.Helper()
	if c.tok != "" {
		req.Header.Set("Authorization", "Bearer "+c.tok)
	}
	resp, err := c.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Request.URL.Path}
}

func (c *webClient) get(t testing.TB, path string) answer {
	req, _ := http.NewRequest(http.MethodGet, c.srv.URL+path, nil)
	return c.do(t, req)
}

func (c *webClient) post(t testing.TB, path, body string) answer {
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return c.do(t, req)
}

func (c *webClient) form(t testing.TB, path string, v url.Values) answer {
	req, _ := http.NewRequest(http.MethodPost, c.srv.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(t, req)
}

func idString(id int64) string { b, _ := json.Marshal(id); return string(b) }
