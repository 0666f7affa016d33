package notify

import (
	"context"
	"log/slog"
)

// LogSender is the development sender of both channels: it writes every
// message, links included, to the log, which is then the message that
// carries them (keep such a log off shared disks). What was sent also stays
// visible on the outbox page, which lists completed jobs from the store
// with each link's secret redacted: the database never holds one.
type LogSender struct {
	Logger *slog.Logger // nil means slog.Default()
}

var (
	_ EmailSender = LogSender{}
	_ SMSSender   = LogSender{}
)

// SendEmail logs m.
func (s LogSender) SendEmail(ctx context.Context, m Message) error { return s.log(ctx, m) }

// SendSMS logs m.
func (s LogSender) SendSMS(ctx context.Context, m Message) error {
	m.Text = truncate(m.Text, MaxSMSLen)
	return s.log(ctx, m)
}

func (s LogSender) log(ctx context.Context, m Message) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	l.InfoContext(ctx, "message (log sender: not delivered)", "id", m.ID, "channel", m.Channel,
		"to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}
