package notify_test

import (
	"bytes"
	"io"
	"net"
	"net/mail"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"convene/internal/poll"
)

// received is one message an in-process SMTP server accepted.
type received struct {
	From string
	To   []string
	Raw  []byte
	Msg  *mail.Message
	Body []byte // the body, as read from Msg
}

// mailServer is a real SMTP server (emersion/go-smtp) on 127.0.0.1 that
// records what arrives.
type mailServer struct {
	Addr     string
	User     string // when set, AUTH PLAIN with User/Pass is required
	Pass     string
	srv      *smtp.Server
	mu       sync.Mutex
	messages []received
	arrived  chan struct{}
}

// startMailServer starts a server on addr ("127.0.0.1:0" for any port),
// stopped at the end of the test.
func startMailServer(t testing.TB, addr string) *mailServer {
	t.Helper()
	ms := &mailServer{arrived: make(chan struct{}, 1000)}
	ms.start(t, addr)
	return ms
}

func (ms *mailServer) start(t testing.TB, addr string) {
	t.Helper()
	var l net.Listener
	poll.UntilNil(t, 5*time.Second, "listening on "+addr+" (a port may linger briefly after a Close)", func() (err error) {
		l, err = net.Listen("tcp", addr)
		return err
	})
	ms.Addr = l.Addr().String()
	ms.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{ms: ms}, nil }))
	ms.srv.Domain = "localhost"
	ms.srv.AllowInsecureAuth = true
	ms.srv.ReadTimeout = 10 * time.Second
	ms.srv.WriteTimeout = 10 * time.Second
	go ms.srv.Serve(l)
	t.Cleanup(func() { ms.srv.Close() })
}

// Messages returns what arrived so far.
func (ms *mailServer) Messages() []received {
	ms.mu.Lock()
	defer ms.mu.Unlock()
	return append([]received(nil), ms.messages...)
}

// wait waits until at least n messages arrived, or fails t.
func (ms *mailServer) wait(t testing.TB, n int, timeout time.Duration) []received {
	t.Helper()
	deadline := time.After(timeout)
	for len(ms.Messages()) < n {
		select {
		case <-ms.arrived:
		case <-deadline:
			t.Fatalf("SMTP server: %d messages arrived within %v, want %d", len(ms.Messages()), timeout, n)
		}
	}
	return ms.Messages()
}

type smtpSession struct {
	ms     *mailServer
	authed bool
	from   string
	to     []string
}

func (s *smtpSession) AuthMechanisms() []string {
	if s.ms.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != s.ms.User || pass != s.ms.Pass {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.ms.User != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	rec := received{From: s.from, To: s.to, Raw: raw}
	if rec.Msg, err = mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		rec.Body, _ = io.ReadAll(rec.Msg.Body)
	}
	s.ms.mu.Lock()
	s.ms.messages = append(s.ms.messages, rec)
	s.ms.mu.Unlock()
	s.ms.arrived <- struct{}{}
	return nil
}

func (s *smtpSession) Reset()        { s.from, s.to = "", nil }
func (s *smtpSession) Logout() error { return nil }
