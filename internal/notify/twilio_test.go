package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"convene/internal/notify"
)

// twilioAPI is a local stand-in for Twilio's Messages endpoint that checks
// every request and records the ones it accepted.
type twilioAPI struct {
	t      testing.TB
	srv    *httptest.Server
	mu     sync.Mutex
	forms  []map[string]string
	status int // answer to give; 0 means 201
}

func newTwilioAPI(t testing.TB) *twilioAPI {
	api := &twilioAPI{t: t}
	api.srv = httptest.NewServer(http.HandlerFunc(api.serve))
	t.Cleanup(api.srv.Close)
	return api
}

func (api *twilioAPI) serve(w http.ResponseWriter, r *http.Request) {
	fail := func(format string, args ...any) {
		api.t.Errorf("twilio API: "+format, args...)
		http.Error(w, `{"code":20001,"message":"bad request in test"}`, http.StatusBadRequest)
	}
	if r.Method != http.MethodPost {
		fail("method %s, want POST", r.Method)
		return
	}
	if want := "/2010-04-01/Accounts/AC123/Messages.json"; r.URL.Path != want {
		fail("path %s, want %s", r.URL.Path, want)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		fail("Content-Type %q", ct)
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || user != "AC123" || pass != "tok3n" {
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"code":20003,"message":"Authenticate","status":401}`))
		return
	}
	if err := r.ParseForm(); err != nil {
		fail("form: %v", err)
		return
	}
	form := map[string]string{}
	for k := range r.PostForm {
		form[k] = r.PostForm.Get(k)
	}
	api.mu.Lock()
	status := api.status
	if status == 0 {
		api.forms = append(api.forms, form)
	}
	api.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	switch status {
	case 0:
		w.WriteHeader(http.StatusCreated)
		w.Write([]byte(`{"sid":"SM1","status":"queued"}`))
	default:
		w.WriteHeader(status)
		w.Write([]byte(`{"code":21211,"message":"The 'To' number is not a valid phone number.","status":400}`))
	}
}

func (api *twilioAPI) Forms() []map[string]string {
	api.mu.Lock()
	defer api.mu.Unlock()
	return append([]map[string]string(nil), api.forms...)
}

func newTwilioSender(t testing.TB, api *twilioAPI, token string) *notify.TwilioSender {
	t.Helper()
	s, err := notify.NewTwilioSender(notify.TwilioConfig{AccountSID: "AC123", AuthToken: token, From: "+15005550006", BaseURL: api.srv.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestTwilioSenderPosts(t *testing.T) {
	api := newTwilioAPI(t)
	s := newTwilioSender(t, api, "tok3n")
	long := strings.Repeat("é", 2000)
	for _, body := range []string{"Open https://convene.test/invite/abc & go", long} {
		if err := s.SendSMS(context.Background(), notify.Message{Channel: "sms", To: "+13245768342", Text: body}); err != nil {
			t.Fatalf("SendSMS: %v", err)
		}
	}
	forms := api.Forms()
	if len(forms) != 2 {
		t.Fatalf("%d requests accepted, want 2", len(forms))
	}
	if got := forms[0]; got["To"] != "+13245768342" || got["From"] != "+15005550006" || got["Body"] != "Open https://convene.test/invite/abc & go" {
		t.Errorf("form = %v", got)
	}
	if n := utf8.RuneCountInString(forms[1]["Body"]); n != notify.MaxSMSLen {
		t.Errorf("long body sent with %d characters, want %d", n, notify.MaxSMSLen)
	}
}

func TestTwilioSenderErrors(t *testing.T) {
	api := newTwilioAPI(t)
	msg := notify.Message{Channel: "sms", To: "+13245768342", Text: "hi"}

	err := newTwilioSender(t, api, "wrong").SendSMS(context.Background(), msg)
	if err == nil || !strings.Contains(err.Error(), "Authenticate") || !notify.IsPermanent(err) {
		t.Errorf("wrong token: err = %v, want a permanent error with the API's message", err)
	}

	api.status = http.StatusBadRequest
	err = newTwilioSender(t, api, "tok3n").SendSMS(context.Background(), msg)
	if err == nil || !strings.Contains(err.Error(), "not a valid phone number") {
		t.Errorf("400: err = %v, want the API's message", err)
	}

	api.status = http.StatusServiceUnavailable
	err = newTwilioSender(t, api, "tok3n").SendSMS(context.Background(), msg)
	if err == nil || notify.IsPermanent(err) {
		t.Errorf("503: err = %v, want a temporary error", err)
	}
}

func TestNewTwilioSenderChecksConfig(t *testing.T) {
	_, err := notify.NewTwilioSender(notify.TwilioConfig{AccountSID: "AC1"})
	if err == nil || !strings.Contains(err.Error(), "CONVENE_TWILIO_AUTH_TOKEN") || !strings.Contains(err.Error(), "CONVENE_TWILIO_FROM") {
		t.Errorf("missing token and from: err = %v", err)
	}
	_, err = notify.NewTwilioSender(notify.TwilioConfig{AccountSID: "AC1", AuthToken: "t", From: "+1", BaseURL: "ftp://x"})
	if err == nil {
		t.Errorf("ftp base URL accepted")
	}
}
