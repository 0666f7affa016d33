package web_test

// The browser tests drive the dashboard in Debian's Chromium with chromedp:
// the real server on httptest, a fresh SQLite store per test, and controls
// found by their accessible role and name, as contract section 11 names
// them. Any JavaScript exception or console error fails the test.

import (
	"context"
	"convene/internal/poll"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto"
	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/dom"
	cdplog "github.com/chromedp/cdproto/log"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// stepTimeout time-boxes every step after the browser started.
const stepTimeout = 15 * time.Second

// chromiumPath returns the browser to drive: $CONVENE_CHROMIUM or Debian's.
func chromiumPath(t *testing.T) string {
	return browserPath(t, "Chromium", "CONVENE_CHROMIUM", "/usr/bin/chromium", "chromium")
}

// browserPath returns $envVar or else debianPath. Without that browser the
// test is skipped, except on CI, where it fails: CI installs every browser.
func browserPath(t *testing.T, name, envVar, debianPath, debianPackage string) string {
	t.Helper()
	path := os.Getenv(envVar)
	if path == "" {
		path = debianPath
	}
	if _, err := exec.LookPath(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("no %s at %s (set %s): %v", name, path, envVar, err)
		}
		t.Skipf("no %s at %s (set %s, or apt-get install %s)", name, path, envVar, debianPackage)
	}
	return path
}

// browser is one headless Chromium tab.
type browser struct {
	t   *testing.T
	ctx context.Context

	mu     sync.Mutex
	errors []string
}

// newBrowser starts Chromium with a window of width x height. Its tab
// records console errors and uncaught exceptions; the test fails on any.
func newBrowser(t *testing.T, width, height int) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "en-US"),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	return newTab(t, allocCtx, width, height)
}

// otherPerson opens a tab of b's browser in a browser context of its own
// (cookies and storage apart, as another person's browser), for tests
// with two people signed in at once.
func (b *browser) otherPerson(width, height int) *browser {
	b.t.Helper()
	return newTab(b.t, b.ctx, width, height, chromedp.WithNewBrowserContext())
}

// newTab opens a tab under parent (an allocator: a new browser) and sets
// it up as newBrowser says.
func newTab(t *testing.T, parent context.Context, width, height int, opts ...chromedp.ContextOption) *browser {
	t.Helper()
	ctx, cancelCtx := chromedp.NewContext(parent, opts...)
	b := &browser{t: t, ctx: ctx}
	t.Cleanup(cancelCtx)
	// The first Run starts the browser: no timeout here, it would kill it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	if err := chromedp.Listen(ctx, b.record); err != nil {
		t.Fatalf("listening to the console: %v", err)
	}
	t.Cleanup(b.checkConsole)
	t.Cleanup(b.dumpOnFailure)
	b.do("set the viewport", chromedp.EmulateViewport(int64(width), int64(height)))
	return b
}

// record keeps JavaScript errors. It runs in chromedp's event loop, so it
// only appends under a lock.
func (b *browser) record(ev any) {
	var msg string
	switch e := ev.(type) {
	case *cdpruntime.EventExceptionThrown:
		d := e.ExceptionDetails
		msg = "exception: " + d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		msg += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber)
	case *cdpruntime.EventConsoleAPICalled:
		if e.Type != cdpruntime.ConsoleAPICalledTypeError {
			return
		}
		parts := make([]string, 0, len(e.Args))
		for _, a := range e.Args {
			if a.Description != "" {
				parts = append(parts, a.Description)
			} else {
				parts = append(parts, string(a.Value))
			}
		}
		msg = "console.error: " + strings.Join(parts, " ")
	case *cdplog.EventEntryAdded:
		// A failed request is the server's answer, checked by the tests;
		// anything else at error level (a CSP violation, say) is a bug.
		if e.Entry.Level != cdplog.EntryLevelError || e.Entry.Source == cdplog.EntrySourceNetwork {
			return
		}
		msg = fmt.Sprintf("browser log (%s): %s %s", e.Entry.Source, e.Entry.Text, e.Entry.URL)
	default:
		return
	}
	b.mu.Lock()
	b.errors = append(b.errors, msg)
	b.mu.Unlock()
}

func (b *browser) checkConsole() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("JavaScript error in the page: %s", e)
	}
}

// do runs steps, time-boxed, and fails the test on the first error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := tryEval[T](b, expr)
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// tryEval is eval that returns its error.
func tryEval[T any](b *browser, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr))
}

// waitFor polls a JavaScript condition until it holds.
func (b *browser) waitFor(what, cond string) {
	b.t.Helper()
	// A page in the middle of a navigation may have no document.body yet:
	// a condition that throws has simply not held yet.
	expr := "(() => { try { return !!(" + cond + "); } catch { return false; } })()"
	poll.Until(b.t, stepTimeout, what+" ("+cond+")", func() bool {
		held, err := tryEval[bool](b, expr)
		if err != nil && !isNavigationUnderway(err) {
			b.t.Fatalf("evaluating %s: %v", expr, err)
		}
		return err == nil && held
	})
}

// isNavigationUnderway tells whether an evaluation failed only because the
// page was being replaced while it ran: the browser destroys the old
// document's JavaScript context (or detaches its target) and answers -32000.
// The next poll runs in the new document.
func isNavigationUnderway(err error) bool {
	var cdpErr *cdproto.Error
	if !errors.As(err, &cdpErr) || cdpErr.Code != -32000 {
		return false
	}
	return strings.Contains(cdpErr.Message, "navigated or closed") ||
		strings.Contains(cdpErr.Message, "context was destroyed") ||
		strings.Contains(cdpErr.Message, "Cannot find context")
}

// byRole finds elements by their computed accessible role and name, as a
// screen reader (and an outside test) would. Content a modal dialog makes
// inert is ignored for accessibility and so never matches.
func byRole(role, name string) chromedp.QueryOption {
	return chromedp.ByFunc(func(ctx context.Context, t *chromedp.Target, n *chromedp.Node) ([]cdp.NodeID, error) {
		res, err := cdp.Call(ctx, t, accessibility.QueryAXTree, accessibility.QueryAXTreeParams{
			NodeID: n.NodeID, AccessibleName: name, Role: role,
		})
		if err != nil {
			return nil, err
		}
		var ids []cdp.BackendNodeID
		for _, ax := range res.Nodes {
			if !ax.Ignored && ax.BackendDOMNodeID != 0 {
				ids = append(ids, ax.BackendDOMNodeID)
			}
		}
		if len(ids) == 0 {
			return nil, nil
		}
		pushed, err := cdp.Call(ctx, t, dom.PushNodesByBackendIDsToFrontend, dom.PushNodesByBackendIDsToFrontendParams{BackendNodeIDs: ids})
		return pushed.NodeIDs, err
	})
}

func label(role, name string) string { return role + " " + fmt.Sprintf("%q", name) }

// click clicks the control with this role and accessible name.
func (b *browser) click(role, name string) {
	b.t.Helper()
	b.doOnFreshNode("click "+label(role, name), chromedp.Click(label(role, name), byRole(role, name), chromedp.NodeVisible))
}

// typeInto types text into the field with this role and accessible name.
func (b *browser) typeInto(role, name, text string) {
	b.t.Helper()
	b.doOnFreshNode("type into "+label(role, name), chromedp.SendKeys(label(role, name), text, byRole(role, name), chromedp.NodeVisible))
}

// doOnFreshNode runs a step that finds a node and acts on it, looking the
// node up again when the DevTools node id went stale in between. That
// happens just after a navigation: chromedp re-reads the new document, which
// invalidates every node id handed out before, including one byRole pushed
// a moment earlier. The action itself failed before touching the page, so
// repeating it is safe; any other error fails the test at once.
func (b *browser) doOnFreshNode(what string, step chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	poll.UntilNil(b.t, stepTimeout, what+" on a node that is not stale", func() error {
		ctx, cancel := context.WithDeadline(b.ctx, deadline)
		defer cancel()
		err := chromedp.Do(ctx, step)
		if err != nil && !isStaleNode(err) {
			b.t.Fatalf("%s: %v", what, err)
		}
		return err
	})
}

// isStaleNode reports whether Chromium refused a node id it no longer knows.
func isStaleNode(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Could not find node with given id") ||
		strings.Contains(msg, "No node with given id found")
}

// waitRole waits until a control with this role and name is there.
func (b *browser) waitRole(role, name string) {
	b.t.Helper()
	b.do("wait for "+label(role, name), chromedp.WaitReady(label(role, name), byRole(role, name)))
}

// key sends one key press to the focused element.
func (b *browser) key(k string, opts ...chromedp.KeyOption) {
	b.t.Helper()
	b.do("press key", chromedp.KeyEvent(k, opts...))
}

func (b *browser) navigate(url string) {
	b.t.Helper()
	b.do("navigate to "+url, chromedp.Navigate(url))
}

// screenshot saves a PNG of the viewport as docs/screenshots/<name>.png when
// CONVENE_SCREENSHOTS=1 (the pictures of the README), and otherwise only
// takes it, so that the step is exercised on every run.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	saveScreenshot(b.t, name, png)
}

// saveScreenshot writes png as docs/screenshots/<name>.png when
// CONVENE_SCREENSHOTS=1 (scripts/test.sh sets it), and otherwise drops it.
func saveScreenshot(t *testing.T, name string, png []byte) {
	t.Helper()
	if os.Getenv("CONVENE_SCREENSHOTS") != "1" {
		return
	}
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "docs", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// clearField empties a text field as a person deleting its text would: the
// value goes, and the page hears an input event.
func clearField(css string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		const el = document.querySelector(%q);
		el.focus();
		el.value = "";
		el.dispatchEvent(new Event("input", {bubbles: true}));
	})()`, css))
}

// dumpOnFailure logs where the browser was and what it showed, so that a
// failure on CI can be understood without rerunning it.
func (b *browser) dumpOnFailure() {
	if !b.t.Failed() {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href + "\n" + document.body.innerText`))
	if err == nil {
		b.t.Logf("the page at the failure:\n%s", text)
	}
}

// evalAwait evaluates a JavaScript expression whose value is a promise.
func evalAwait[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}
