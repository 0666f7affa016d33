// Package notify delivers Convene's messages: email over SMTP, SMS through a
// Twilio-style HTTP API, or both to the log in development.
//
// Messages are never sent from a request. A change that must tell someone
// writes a convene.Job in its own transaction; the Worker claims due jobs,
// renders each into a Message, sends it with the sender for its channel and
// records the outcome (sent, or queued again with backoff, or failed and
// why). A crash between the change and the sending therefore loses nothing.
//
// Exactly once, and its one gap: a job is marked sent right after the
// sender returns. If the process dies after the SMTP server or SMS API
// accepted a message but before that mark is written (a window of one
// database write), the job's lease runs out and the message is sent again.
// Every email carries a Message-ID derived from the job, so that mail
// systems and people can recognise the repeat.
package notify

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The channels a message travels by.
const (
	ChannelEmail = "email"
	ChannelSMS   = "sms"
)

// MaxSMSLen bounds an SMS body in characters: ten concatenated segments,
// the most Twilio accepts.
const MaxSMSLen = 1600

// Message is one rendered message to one person.
type Message struct {
	// ID identifies the message stably across re-sends (e.g. "job-42");
	// emails derive their Message-ID from it.
	ID      string
	Channel string // ChannelEmail or ChannelSMS
	To      string // an email address, or an E.164 phone number
	ToName  string // the recipient's name, for the email's To header
	Subject string // emails only
	Text    string // the plain text body; the whole body of an SMS
	HTML    string // the HTML alternative of an email; optional
}

// EmailSender sends emails.
type EmailSender interface {
	SendEmail(ctx context.Context, m Message) error
}

// SMSSender sends text messages.
type SMSSender interface {
	SendSMS(ctx context.Context, m Message) error
}

// HeaderSafe returns s on one line: CR, LF and every other control
// character become spaces, runs of spaces collapse, and the ends are
// trimmed. Names and titles pass through it before they reach a header, so
// that none can add a header of its own.
func HeaderSafe(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// truncate returns s cut to at most n runes, ending in "…" when cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
