package notify_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"convene/internal/notify"
)

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		in   string
		want notify.SMTPConfig
	}{
		{"smtp://mail.example.com:587", notify.SMTPConfig{Host: "mail.example.com", Port: 587, TLS: "starttls"}},
		{"smtp://u%40x:p%3Aw@mail.example.com:465", notify.SMTPConfig{Host: "mail.example.com", Port: 465, Username: "u@x", Password: "p:w", TLS: "tls"}},
		{"smtp://localhost:1025", notify.SMTPConfig{Host: "localhost", Port: 1025, TLS: "none"}},
		{"smtp://localhost:2525?tls=none", notify.SMTPConfig{Host: "localhost", Port: 2525, TLS: "none"}},
		{"smtp://mail.example.com?tls=tls", notify.SMTPConfig{Host: "mail.example.com", Port: 465, TLS: "tls"}},
		{"smtp://mail.example.com", notify.SMTPConfig{Host: "mail.example.com", Port: 587, TLS: "starttls"}},
		{"smtp://user:pw@[::1]:25?tls=STARTTLS", notify.SMTPConfig{Host: "::1", Port: 25, Username: "user", Password: "pw", TLS: "starttls"}},
	}
	for _, tt := range tests {
		got, err := notify.ParseSMTPURL(tt.in)
		if err != nil {
			t.Errorf("ParseSMTPURL(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseSMTPURL(%q) = %+v, want %+v", tt.in, got, tt.want)
		}
	}
}

func TestParseSMTPURLRejects(t *testing.T) {
	tests := []struct{ in, wantInErr string }{
		{"http://mail.example.com", "scheme"},
		{"mail.example.com:25", "scheme"},
		{"smtp://:25", "missing host"},
		{"smtp://mail.example.com:99999", "port"},
		{"smtp://mail.example.com:25?tls=maybe", "tls="},
		{"smtp://mail.example.com:25?tsl=none", "unknown parameter"},
		{"smtp://user:secret@mail.example.com:25?tls=maybe", "xxxxx"},
	}
	for _, tt := range tests {
		_, err := notify.ParseSMTPURL(tt.in)
		if err == nil {
			t.Errorf("ParseSMTPURL(%q) = nil error, want one", tt.in)
			continue
		}
		if !strings.Contains(err.Error(), tt.wantInErr) {
			t.Errorf("ParseSMTPURL(%q) = %q, want it to mention %q", tt.in, err, tt.wantInErr)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("ParseSMTPURL(%q) error %q shows the password", tt.in, err)
		}
	}
}

// newSMTPSender returns a sender to ms without TLS.
func newSMTPSender(t testing.TB, addr, userinfo string) *notify.SMTPSender {
	t.Helper()
	cfg, err := notify.ParseSMTPURL("smtp://" + userinfo + addr + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 5 * time.Second
	s, err := notify.NewSMTPSender(cfg, "Convene <noreply@convene.test>")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSMTPSenderSendsTextAndHTML(t *testing.T) {
	ms := startMailServer(t, "127.0.0.1:0")
	s := newSMTPSender(t, ms.Addr, "")
	m := notify.Message{
		ID: "job-7", Channel: notify.ChannelEmail,
		To: "eve@example.test", ToName: "Eve\r\nBcc: x@evil.test",
		Subject: "Plans \r\nBcc: y@evil.test for Zoë",
		Text:    "Hello Eve,\nopen https://convene.test/sessions/1\n",
		HTML:    "<p>Hello Eve, <a href=\"https://convene.test/sessions/1\">open</a></p>",
	}
	if err := s.SendEmail(context.Background(), m); err != nil {
		t.Fatalf("SendEmail: %v", err)
	}
	got := ms.wait(t, 1, 5*time.Second)[0]
	if got.Msg == nil {
		t.Fatalf("message does not parse:\n%s", got.Raw)
	}
	if want := []string{"eve@example.test"}; strings.Join(got.To, ",") != strings.Join(want, ",") {
		t.Errorf("RCPT TO = %v, want %v", got.To, want)
	}
	if got.From != "noreply@convene.test" {
		t.Errorf("MAIL FROM = %q", got.From)
	}
	h := got.Msg.Header
	for _, k := range []string{"Bcc", "Cc"} {
		if v := h.Get(k); v != "" {
			t.Errorf("header %s = %q: injected", k, v)
		}
	}
	if strings.Contains(string(got.Raw), "\nBcc:") || strings.Contains(string(got.Raw), "evil.test>") {
		t.Errorf("raw message carries an injected header:\n%s", got.Raw)
	}
	to, err := h.AddressList("To")
	if err != nil || len(to) != 1 || to[0].Address != "eve@example.test" || to[0].Name != "Eve Bcc: x@evil.test" {
		t.Errorf("To = %v (%v), want one address eve@example.test named on one line", to, err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
	if want := "Plans Bcc: y@evil.test for Zoë"; subject != want {
		t.Errorf("Subject = %q, want %q", subject, want)
	}
	if got, want := h.Get("Message-Id"), "<"+notify.MessageID("job-7", "noreply@convene.test")+">"; got != want {
		t.Errorf("Message-ID = %q, want %q", got, want)
	}
	parts := bodyParts(t, got)
	if parts["text/plain"] != m.Text {
		t.Errorf("text part = %q, want %q", parts["text/plain"], m.Text)
	}
	if parts["text/html"] != m.HTML {
		t.Errorf("html part = %q, want %q", parts["text/html"], m.HTML)
	}
}

func TestSMTPSenderAuthenticates(t *testing.T) {
	ms := &mailServer{User: "mailer", Pass: "s3cret:pw", arrived: make(chan struct{}, 10)}
	ms.start(t, "127.0.0.1:0")
	msg := notify.Message{ID: "job-1", Channel: notify.ChannelEmail, To: "a@example.test", Subject: "hi", Text: "hi"}
	if err := newSMTPSender(t, ms.Addr, "mailer:s3cret%3Apw@").SendEmail(context.Background(), msg); err != nil {
		t.Fatalf("SendEmail with the right password: %v", err)
	}
	if err := newSMTPSender(t, ms.Addr, "mailer:wrong@").SendEmail(context.Background(), msg); err == nil {
		t.Errorf("SendEmail with a wrong password succeeded")
	}
	if n := len(ms.Messages()); n != 1 {
		t.Errorf("%d messages arrived, want 1", n)
	}
}

func TestSMTPSenderErrors(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nobody listens there now
	s := newSMTPSender(t, addr, "")
	err = s.SendEmail(context.Background(), notify.Message{Channel: "email", To: "a@example.test", Text: "x"})
	if err == nil || notify.IsPermanent(err) {
		t.Errorf("SendEmail to a closed port = %v, want a temporary error", err)
	}
	err = s.SendEmail(context.Background(), notify.Message{Channel: "email", To: "a@example.test\r\nBcc: b@evil.test", Text: "x"})
	if !notify.IsPermanent(err) {
		t.Errorf("SendEmail to a header-injecting address = %v, want a permanent error", err)
	}
}

// bodyParts returns the decoded parts of a multipart/alternative message
// by content type.
func bodyParts(t testing.TB, r received) map[string]string {
	t.Helper()
	mt, params, err := mime.ParseMediaType(r.Msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q (%v), want multipart/alternative", r.Msg.Header.Get("Content-Type"), err)
	}
	out := map[string]string{}
	mr := multipart.NewReader(strings.NewReader(string(r.Body)), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return out
		} else if err != nil {
			t.Fatalf("multipart: %v", err)
		}
		var body io.Reader = p // multipart decodes quoted-printable itself
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			body = base64.NewDecoder(base64.StdEncoding, p)
		} else if strings.EqualFold(p.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
			body = quotedprintable.NewReader(p)
		}
		b, err := io.ReadAll(body)
		if err != nil {
			t.Fatalf("part %s: %v", p.Header.Get("Content-Type"), err)
		}
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = strings.ReplaceAll(string(b), "\r\n", "\n")
	}
}

var _ = mail.ParseAddress
