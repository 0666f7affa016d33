package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// The TLS modes of an SMTP connection.
const (
	TLSNone     = "none"     // plain text, for local relays and test servers
	TLSStartTLS = "starttls" // STARTTLS required (the default, port 587)
	TLSImplicit = "tls"      // TLS from the first byte (port 465)
)

// SMTPConfig says how to reach a mail server.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // "" for no authentication
	Password string
	TLS      string        // TLSNone, TLSStartTLS or TLSImplicit
	Timeout  time.Duration // per connection; 0 means 30 s
}

// ParseSMTPURL parses smtp://[user:pass@]host[:port][?tls=none|starttls|tls].
// Without tls the mode follows the port: tls on 465, none on 25 and 1025
// without credentials (local relays), starttls otherwise. Without a port it
// follows the mode: 465 for tls, 25 for none, 587 for starttls. User and
// password are percent-decoded.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return SMTPConfig{}, fmt.Errorf("smtp URL: %w (want smtp://[user:pass@]host:port[?tls=none|starttls|tls])", err)
	}
	if u.Scheme != "smtp" {
		return SMTPConfig{}, fmt.Errorf("smtp URL %q: scheme must be smtp:// (or use \"log\")", redactURL(u))
	}
	c := SMTPConfig{Host: u.Hostname()}
	if c.Host == "" {
		return SMTPConfig{}, fmt.Errorf("smtp URL %q: missing host", redactURL(u))
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return SMTPConfig{}, fmt.Errorf("smtp URL %q: port %q is not a number from 1 to 65535", redactURL(u), p)
		}
	}
	q := u.Query()
	for k := range q {
		if k != "tls" {
			return SMTPConfig{}, fmt.Errorf("smtp URL %q: unknown parameter %q (only tls=none|starttls|tls)", redactURL(u), k)
		}
	}
	c.TLS = strings.ToLower(q.Get("tls"))
	switch c.TLS {
	case TLSNone, TLSStartTLS, TLSImplicit:
	case "":
		c.TLS = defaultTLS(c.Port, c.Username)
	default:
		return SMTPConfig{}, fmt.Errorf("smtp URL %q: tls=%q, want none, starttls or tls", redactURL(u), c.TLS)
	}
	if c.Port == 0 {
		c.Port = map[string]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[c.TLS]
	}
	return c, nil
}

func defaultTLS(port int, user string) string {
	switch {
	case port == 465:
		return TLSImplicit
	case (port == 25 || port == 1025) && user == "":
		return TLSNone
	}
	return TLSStartTLS
}

// redactURL hides the password of u for error messages.
func redactURL(u *url.URL) string { return u.Redacted() }

// SMTPSender sends email through one SMTP server, one connection per
// message (a job queue sends at a modest rate, and a fresh connection
// recovers from a restarted server by itself).
type SMTPSender struct {
	cfg  SMTPConfig
	from *mail.Address
}

// NewSMTPSender returns a sender for cfg whose emails come from from
// ("Convene <noreply@example.com>" or a bare address).
func NewSMTPSender(cfg SMTPConfig, from string) (*SMTPSender, error) {
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("mail-from %q: %w", from, err)
	}
	addr.Name = HeaderSafe(addr.Name)
	if cfg.Host == "" || cfg.Port == 0 {
		return nil, errors.New("smtp: host and port are required")
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &SMTPSender{cfg: cfg, from: addr}, nil
}

var _ EmailSender = (*SMTPSender)(nil)

// SendEmail sends m as multipart/alternative (text, then HTML when m has
// one). The name and subject are put on one line first, and go-mail
// encodes them, so neither can add a header.
func (s *SMTPSender) SendEmail(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return err
	}
	client, err := gomail.NewClient(s.cfg.Host, s.options()...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("smtp %s: %w", net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)), err)
	}
	return nil
}

func (s *SMTPSender) options() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		// Over TLS the best mechanism the server offers; without TLS only
		// PLAIN to a relay on this machine (go-mail refuses it elsewhere),
		// so that a password never crosses a network in clear.
		auth := gomail.SMTPAuthAutoDiscover
		if s.cfg.TLS == TLSNone {
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// build turns m into a go-mail message.
func (s *SMTPSender) build(m Message) (*gomail.Msg, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil || strings.ContainsAny(m.To, "\r\n") {
		return nil, Permanent(fmt.Errorf("recipient %q is not an email address", m.To))
	}
	to.Name = HeaderSafe(m.ToName)
	msg := gomail.NewMsg()
	msg.FromMailAddress(s.from)
	msg.ToMailAddress(to)
	msg.Subject(HeaderSafe(m.Subject))
	msg.SetDate()
	if m.ID != "" {
		msg.SetMessageIDWithValue(MessageID(m.ID, s.from.Address))
	} else {
		msg.SetMessageID()
	}
	msg.SetBulk()
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

var unsafeIDChars = regexp.MustCompile(`[^A-Za-z0-9.\-_]`)

// MessageID returns the Message-ID (without angle brackets) of the message
// with id sent from the address from: the same for every re-send.
func MessageID(id, from string) string {
	domain := "convene.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 && at < len(from)-1 {
		domain = unsafeIDChars.ReplaceAllString(from[at+1:], "")
	}
	return "convene." + unsafeIDChars.ReplaceAllString(id, "") + "@" + domain
}
