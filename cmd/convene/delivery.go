package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"convene"
	"convene/internal/notify"
)

// deliveryConfig holds the settings of email and SMS delivery and of the
// outbox worker (contract section 1: --smtp, --mail-from, --sms and the
// CONVENE_TWILIO_* variables, which the flags below read as usual).
type deliveryConfig struct {
	SMTP     string // "log" or smtp://[user:pass@]host:port[?tls=none|starttls|tls]
	MailFrom string
	SMS      string // "log" or "twilio"

	TwilioAccountSID string
	TwilioAuthToken  string
	TwilioFrom       string
	TwilioBaseURL    string

	PollInterval time.Duration
}

// bind binds the delivery flags of serve and demo.
func (d *deliveryConfig) bind(fs *flag.FlagSet) {
	fs.StringVar(&d.SMTP, "smtp", "log", `email delivery: "log" (log and outbox page only) or smtp://[user:pass@]host:port[?tls=none|starttls|tls]`)
	fs.StringVar(&d.MailFrom, "mail-from", "Convene <convene@localhost>", "sender address of emails")
	fs.StringVar(&d.SMS, "sms", "log", `SMS delivery: "log" or "twilio" (reads the CONVENE_TWILIO_* variables)`)
	fs.StringVar(&d.TwilioAccountSID, "twilio-account-sid", "", "Twilio account SID, for --sms twilio")
	fs.StringVar(&d.TwilioAuthToken, "twilio-auth-token", "", "Twilio auth token, for --sms twilio (prefer the environment variable)")
	fs.StringVar(&d.TwilioFrom, "twilio-from", "", "Twilio sending number (E.164), for --sms twilio")
	fs.StringVar(&d.TwilioBaseURL, "twilio-base-url", notify.DefaultTwilioBaseURL, "base URL of the Twilio-style API, for --sms twilio")
	fs.DurationVar(&d.PollInterval, "delivery-poll", time.Second, "how often the delivery worker looks for due messages")
}

// senders builds the email and SMS senders the flags describe.
func (d *deliveryConfig) senders(log *slog.Logger) (notify.EmailSender, notify.SMSSender, error) {
	var email notify.EmailSender = notify.LogSender{Logger: log}
	if s := strings.TrimSpace(d.SMTP); s != "" && s != "log" {
		cfg, err := notify.ParseSMTPURL(s)
		if err != nil {
			return nil, nil, usageErrorf("--smtp: %v", err)
		}
		if email, err = notify.NewSMTPSender(cfg, d.MailFrom); err != nil {
			return nil, nil, usageErrorf("--mail-from: %v", err)
		}
	}
	var sms notify.SMSSender = notify.LogSender{Logger: log}
	switch strings.ToLower(strings.TrimSpace(d.SMS)) {
	case "", "log":
	case "twilio":
		s, err := notify.NewTwilioSender(notify.TwilioConfig{
			AccountSID: d.TwilioAccountSID, AuthToken: d.TwilioAuthToken,
			From: d.TwilioFrom, BaseURL: d.TwilioBaseURL,
		})
		if err != nil {
			return nil, nil, usageErrorf("--sms twilio: %v", err)
		}
		sms = s
	default:
		return nil, nil, usageErrorf(`--sms must be "log" or "twilio", got %q`, d.SMS)
	}
	return email, sms, nil
}

// startDelivery starts the background worker that sends queued messages.
// It runs until ctx is cancelled; wait blocks until it has stopped, and is
// called after the HTTP server has shut down and before the store is
// closed.
func startDelivery(ctx context.Context, d *deliveryConfig, store convene.Store, publicURL string, log *slog.Logger) (wait func(), err error) {
	email, sms, err := d.senders(log)
	if err != nil {
		return nil, err
	}
	w := notify.NewWorker(store, notify.Config{
		PublicURL:    publicURL,
		Email:        email,
		SMS:          sms,
		Logger:       log,
		PollInterval: d.PollInterval,
	})
	log.Info("delivery worker started", "email", describeSMTP(d.SMTP), "sms", d.SMS)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := w.Run(ctx); err != nil {
			log.Error("delivery worker stopped", "err", err)
		}
	})
	return wg.Wait, nil
}

// describeSMTP names the email delivery for the log, without a password.
func describeSMTP(s string) string {
	cfg, err := notify.ParseSMTPURL(s)
	if err != nil {
		return s // "log"
	}
	return fmt.Sprintf("smtp://%s:%d (tls %s)", cfg.Host, cfg.Port, cfg.TLS)
}
