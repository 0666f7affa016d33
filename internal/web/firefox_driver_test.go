package web_test

// A small WebDriver BiDi client, enough to drive Firefox through the
// dashboard the way the chromedp tests drive Chromium: real pointer and key
// input, elements found by accessible role and name, and every JavaScript
// error in the page collected. Firefox speaks BiDi itself
// (--remote-debugging-port), so no geckodriver is needed.

import (
	"bufio"
	"context"
	"convene/internal/poll"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// firefox is one headless Firefox with one tab, driven over BiDi.
type firefox struct {
	t    *testing.T
	ctx  context.Context
	conn *websocket.Conn
	tab  string // the browsing context every command goes to

	mu      sync.Mutex
	nextID  int
	pending map[int]chan bidiReply
	errors  []string
}

type bidiReply struct {
	Type    string          `json:"type"` // "success" or "error"
	Result  json.RawMessage `json:"result"`
	Error   string          `json:"error"`
	Message string          `json:"message"`
}

// firefoxPrefs quiet the background traffic of a fresh profile (updates,
// telemetry, remote settings), which this machine's closed network refuses.
const firefoxPrefs = `
user_pref("app.update.disabledForTesting", true);
user_pref("app.normandy.enabled", false);
user_pref("browser.shell.checkDefaultBrowser", false);
user_pref("browser.startup.homepage_override.mstone", "ignore");
user_pref("datareporting.policy.dataSubmissionEnabled", false);
user_pref("toolkit.telemetry.enabled", false);
user_pref("network.captive-portal-service.enabled", false);
user_pref("network.connectivity-service.enabled", false);
user_pref("messaging-system.rsexperimentloader.enabled", false);
user_pref("services.settings.server", "http://127.0.0.1:9/");
user_pref("browser.safebrowsing.update.enabled", false);
user_pref("intl.accept_languages", "en-US");
`

// newFirefox starts headless Firefox (CONVENE_FIREFOX, or Debian's
// firefox-esr) with a fresh profile and a width x height viewport. Without
// Firefox the test is skipped, except under CI, where it fails.
func newFirefox(t *testing.T, width, height int) *firefox {
	t.Helper()
	path := browserPath(t, "Firefox", "CONVENE_FIREFOX", "/usr/bin/firefox-esr", "firefox-esr")
	profile := t.TempDir()
	if err := os.WriteFile(filepath.Join(profile, "user.js"), []byte(firefoxPrefs), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, path, "--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", "0", "about:blank")
	cmd.Env = append(os.Environ(), "MOZ_CRASHREPORTER_DISABLE=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting Firefox: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })

	wsURL := listeningURL(t, stderr)
	conn, _, err := websocket.Dial(ctx, wsURL+"/session", nil)
	if err != nil {
		t.Fatalf("connecting to Firefox at %s: %v", wsURL, err)
	}
	conn.SetReadLimit(64 << 20) // screenshots arrive in one message
	t.Cleanup(func() { conn.CloseNow() })
	f := &firefox{t: t, ctx: ctx, conn: conn, pending: map[int]chan bidiReply{}}
	go f.read()

	f.call("session.new", map[string]any{"capabilities": map[string]any{}}, nil)
	var tree struct {
		Contexts []struct {
			Context string `json:"context"`
		} `json:"contexts"`
	}
	f.call("browsingContext.getTree", map[string]any{}, &tree)
	if len(tree.Contexts) == 0 {
		t.Fatal("Firefox has no tab")
	}
	f.tab = tree.Contexts[0].Context
	f.call("session.subscribe", map[string]any{"events": []string{"log.entryAdded"}}, nil)
	f.call("browsingContext.setViewport", map[string]any{"context": f.tab, "viewport": map[string]int{"width": width, "height": height}}, nil)
	t.Cleanup(f.checkConsole)
	return f
}

// listeningURL reads Firefox's stderr until it says where BiDi listens, and
// drains the rest in the background.
func listeningURL(t *testing.T, stderr io.Reader) string {
	t.Helper()
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			if rest, ok := strings.CutPrefix(lines.Text(), "WebDriver BiDi listening on "); ok {
				found <- strings.TrimSpace(rest)
			}
		}
	}()
	select {
	case u := <-found:
		return u
	case <-time.After(60 * time.Second):
		t.Fatal("Firefox did not open its BiDi port within 60s")
		return ""
	}
}

// read delivers command replies and records JavaScript errors.
func (f *firefox) read() {
	for {
		_, data, err := f.conn.Read(f.ctx)
		if err != nil {
			f.mu.Lock()
			for id, ch := range f.pending {
				ch <- bidiReply{Type: "error", Error: "connection", Message: err.Error()}
				delete(f.pending, id)
			}
			f.mu.Unlock()
			return
		}
		var msg struct {
			bidiReply
			ID     *int   `json:"id"`
			Method string `json:"method"`
			Params struct {
				Level  string `json:"level"`
				Type   string `json:"type"`
				Text   string `json:"text"`
				Source struct {
					Context string `json:"context"`
				} `json:"source"`
			} `json:"params"`
		}
		if json.Unmarshal(data, &msg) != nil {
			continue
		}
		f.mu.Lock()
		switch {
		case msg.ID != nil:
			if ch, ok := f.pending[*msg.ID]; ok {
				ch <- msg.bidiReply
				delete(f.pending, *msg.ID)
			}
		case msg.Method == "log.entryAdded" && msg.Params.Level == "error" && msg.Params.Source.Context == f.tab:
			f.errors = append(f.errors, msg.Params.Type+": "+msg.Params.Text)
		}
		f.mu.Unlock()
	}
}

// call sends one command and decodes its result into out (when not nil).
func (f *firefox) call(method string, params any, out any) {
	f.t.Helper()
	if err := f.try(method, params, out); err != nil {
		f.t.Fatalf("%s: %v", method, err)
	}
}

// try is call that returns the error instead of failing the test.
func (f *firefox) try(method string, params any, out any) error {
	f.mu.Lock()
	f.nextID++
	id := f.nextID
	reply := make(chan bidiReply, 1)
	f.pending[id] = reply
	f.mu.Unlock()
	data, err := json.Marshal(map[string]any{"id": id, "method": method, "params": params})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(f.ctx, stepTimeout)
	defer cancel()
	if err := f.conn.Write(ctx, websocket.MessageText, data); err != nil {
		return err
	}
	select {
	case r := <-reply:
		if r.Type == "error" {
			return fmt.Errorf("%s: %s", r.Error, r.Message)
		}
		if out != nil {
			return json.Unmarshal(r.Result, out)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("no answer within %s", stepTimeout)
	}
}

// checkConsole fails the test on any JavaScript error the page logged.
func (f *firefox) checkConsole() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, e := range f.errors {
		f.t.Errorf("JavaScript error in the page (Firefox): %s", e)
	}
}

func (f *firefox) navigate(url string) {
	f.t.Helper()
	f.call("browsingContext.navigate", map[string]any{"context": f.tab, "url": url, "wait": "complete"}, nil)
}

// evalJSON evaluates a JavaScript expression in the page and decodes its
// JSON into a T.
func evalJSON[T any](f *firefox, expr string) T {
	f.t.Helper()
	var v T
	s, err := f.evalString("JSON.stringify(" + expr + ")")
	if err == nil {
		err = json.Unmarshal([]byte(s), &v)
	}
	if err != nil {
		f.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// evalString evaluates expr, which must give a string.
func (f *firefox) evalString(expr string) (string, error) {
	var res struct {
		Type   string `json:"type"`
		Result struct {
			Value string `json:"value"`
		} `json:"result"`
		ExceptionDetails struct {
			Text string `json:"text"`
		} `json:"exceptionDetails"`
	}
	err := f.try("script.evaluate", map[string]any{
		"expression": expr, "target": map[string]string{"context": f.tab}, "awaitPromise": true,
	}, &res)
	if err != nil {
		return "", err
	}
	if res.Type == "exception" {
		return "", fmt.Errorf("exception: %s", res.ExceptionDetails.Text)
	}
	return res.Result.Value, nil
}

// waitFor polls a JavaScript condition until it holds.
func (f *firefox) waitFor(what, cond string) {
	f.t.Helper()
	poll.UntilNil(f.t, stepTimeout, what+" ("+cond+")", func() error {
		s, err := f.evalString(`(() => { try { return String(!!(` + cond + `)); } catch { return "false"; } })()`)
		if err == nil && s != "true" {
			err = fmt.Errorf("it evaluates to %s", s)
		}
		return err
	})
}

// node is a BiDi reference to an element of the page.
type node struct {
	SharedID string `json:"sharedId"`
}

// byRole waits for the first element with this computed role and
// accessible name, found in Firefox's accessibility tree as a screen reader
// would find it.
func (f *firefox) byRole(role, name string) node { return f.byRoleIn(nil, role, name) }

// byRoleIn is byRole inside within (a group, say), or the whole page when
// within is nil.
func (f *firefox) byRoleIn(within *node, role, name string) node {
	f.t.Helper()
	params := map[string]any{
		"context": f.tab,
		"locator": map[string]any{"type": "accessibility", "value": accessible(role, name)},
	}
	if within != nil {
		params["startNodes"] = []node{*within}
	}
	var found struct {
		Nodes []node `json:"nodes"`
	}
	poll.UntilNil(f.t, stepTimeout, "a "+label(role, name), func() error {
		err := f.try("browsingContext.locateNodes", params, &found)
		if err == nil && len(found.Nodes) == 0 {
			err = errors.New("none on the page yet")
		}
		return err
	})
	return found.Nodes[0]
}

// accessible is the locator value for role and name; an empty role matches
// any role (a password field has none in ARIA, and browsers differ in
// what they report).
func accessible(role, name string) map[string]string {
	if role == "" {
		return map[string]string{"name": name}
	}
	return map[string]string{"role": role, "name": name}
}

// click scrolls the control with this role and name into view and clicks
// its centre with the mouse.
func (f *firefox) click(role, name string) {
	f.t.Helper()
	f.clickNode(f.byRole(role, name))
}

func (f *firefox) clickNode(n node) {
	f.t.Helper()
	f.call("script.callFunction", map[string]any{
		"functionDeclaration": `(el) => el.scrollIntoView({block: "center"})`,
		"arguments":           []node{n},
		"target":              map[string]string{"context": f.tab},
		"awaitPromise":        false,
	}, nil)
	f.call("input.performActions", map[string]any{"context": f.tab, "actions": []any{map[string]any{
		"type": "pointer", "id": "mouse", "parameters": map[string]string{"pointerType": "mouse"},
		"actions": []any{
			map[string]any{"type": "pointerMove", "x": 0, "y": 0, "origin": map[string]any{"type": "element", "element": n}},
			map[string]any{"type": "pointerDown", "button": 0},
			map[string]any{"type": "pointerUp", "button": 0},
		},
	}}}, nil)
}

// Keys of the WebDriver key table.
const (
	keyEnter     = "\uE007"
	keyEscape    = "\uE00C"
	keyBackspace = "\uE003"
)

// keys types text (one key per character; a WebDriver key code is one key)
// into whatever has the focus.
func (f *firefox) keys(text string) {
	f.t.Helper()
	var actions []any
	for _, r := range text {
		actions = append(actions, map[string]any{"type": "keyDown", "value": string(r)}, map[string]any{"type": "keyUp", "value": string(r)})
	}
	f.call("input.performActions", map[string]any{"context": f.tab, "actions": []any{map[string]any{
		"type": "key", "id": "keyboard", "actions": actions,
	}}}, nil)
}

// typeInto clicks the field with this role and name, then types text.
func (f *firefox) typeInto(role, name, text string) {
	f.t.Helper()
	f.click(role, name)
	f.keys(text)
}

// screenshot takes a PNG of the viewport, saved as the chromedp tests' are.
func (f *firefox) screenshot(name string) {
	f.t.Helper()
	var shot struct {
		Data string `json:"data"`
	}
	f.call("browsingContext.captureScreenshot", map[string]any{"context": f.tab}, &shot)
	png, err := base64.StdEncoding.DecodeString(shot.Data)
	if err != nil || len(png) == 0 {
		f.t.Fatalf("screenshot %s: %d bytes, %v", name, len(png), err)
	}
	saveScreenshot(f.t, name, png)
}
