package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultTwilioBaseURL is Twilio's API.
const DefaultTwilioBaseURL = "https://api.twilio.com"

// TwilioConfig says how to reach a Twilio-style SMS API.
type TwilioConfig struct {
	AccountSID string
	AuthToken  string
	From       string // the sending number, E.164
	BaseURL    string // "" means DefaultTwilioBaseURL; tests and proxies set their own
	Client     *http.Client
}

// TwilioSender sends SMS by posting To, From and Body form-encoded to
// <base>/2010-04-01/Accounts/<sid>/Messages.json with basic auth.
type TwilioSender struct {
	cfg      TwilioConfig
	endpoint string
}

// NewTwilioSender checks cfg and returns a sender.
func NewTwilioSender(cfg TwilioConfig) (*TwilioSender, error) {
	var missing []string
	for _, f := range []struct{ name, v string }{
		{"CONVENE_TWILIO_ACCOUNT_SID", cfg.AccountSID},
		{"CONVENE_TWILIO_AUTH_TOKEN", cfg.AuthToken},
		{"CONVENE_TWILIO_FROM", cfg.From},
	} {
		if f.v == "" {
			missing = append(missing, f.name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("sms twilio: %s must be set", strings.Join(missing, ", "))
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultTwilioBaseURL
	}
	base, err := url.Parse(cfg.BaseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("sms twilio: base URL %q must be an http(s) URL", cfg.BaseURL)
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 30 * time.Second}
	}
	endpoint := strings.TrimRight(cfg.BaseURL, "/") + "/2010-04-01/Accounts/" + url.PathEscape(cfg.AccountSID) + "/Messages.json"
	return &TwilioSender{cfg: cfg, endpoint: endpoint}, nil
}

var _ SMSSender = (*TwilioSender)(nil)

// SendSMS posts m.Text (cut to MaxSMSLen characters) to m.To. An answer
// other than 2xx is an error carrying the API's message; a 4xx other than
// 429 is permanent (retrying the same request cannot succeed).
func (s *TwilioSender) SendSMS(ctx context.Context, m Message) error {
	form := url.Values{"To": {m.To}, "From": {s.cfg.From}, "Body": {truncate(m.Text, MaxSMSLen)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("sms twilio: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.SetBasicAuth(s.cfg.AccountSID, s.cfg.AuthToken)
	resp, err := s.cfg.Client.Do(req)
	if err != nil {
		return fmt.Errorf("sms twilio: %w", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	err = fmt.Errorf("sms twilio: %s: %s", resp.Status, apiMessage(body))
	if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
		return Permanent(err)
	}
	return err
}

// apiMessage returns the message of a Twilio error answer
// ({"code":21211,"message":"..."}), or the start of the body.
func apiMessage(body []byte) string {
	var e struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) == nil && e.Message != "" {
		if e.Code != 0 {
			return fmt.Sprintf("%s (code %d)", e.Message, e.Code)
		}
		return e.Message
	}
	s := strings.TrimSpace(string(body))
	if s == "" {
		return "no message"
	}
	return truncate(HeaderSafe(s), 200)
}

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying cannot fix: the worker fails the
// job at once instead of trying again.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

// IsPermanent reports whether err was marked by Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}
