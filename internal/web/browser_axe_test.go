package web_test

// The accessibility check of every page the browser tests visit: axe-core's
// WCAG 2.2 AA rules at 1280 px and at 375 px, and no sideways scrolling at
// 375 px (which axe does not report). axe-core is a test dependency that
// scripts/test.sh installs with npm into tools/axe (git-ignored
// node_modules); without it the check is skipped with a note, except on
// CI, where it fails.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// axeTags are the rule sets of WCAG 2.2 AA, as axe-core names them.
const axeTags = `['wcag2a','wcag2aa','wcag21a','wcag21aa','wcag22aa']`

var axeSource = sync.OnceValues(func() (string, error) {
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "tools", "axe", "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(path)
	return string(src), err
})

// axeScript returns axe-core's source, or skips the check (fails on CI)
// when `npm ci --prefix tools/axe` has not run.
func axeScript(t *testing.T) (string, bool) {
	t.Helper()
	src, err := axeSource()
	if err == nil {
		return src, true
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("axe-core is missing (scripts/test.sh runs npm ci --prefix tools/axe): %v", err)
	}
	t.Logf("accessibility check skipped: axe-core is missing (npm ci --prefix tools/axe): %v", err)
	return "", false
}

// axeViolation is the part of axe's report a failure message needs.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// checkAccessible runs axe on the page shown now at 1280 px and at 375 px
// wide, and checks that nothing scrolls sideways at 375 px. It puts the
// viewport back as it was afterwards. Injecting axe needs the page's
// Content-Security-Policy bypassed; that is switched off again at the end,
// so the other steps still see the policy the dashboard sends.
func checkAccessible(t *testing.T, ctx context.Context, pageName string) {
	t.Helper()
	src, ok := axeScript(t)
	if !ok {
		return
	}
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 2*stepTimeout)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			t.Fatalf("%s: accessibility check, %s: %v", pageName, what, err)
		}
	}
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	size, err := chromedp.Run(sctx, chromedp.Evaluate[[]int64](`[innerWidth, innerHeight]`))
	cancel()
	if err != nil {
		t.Fatalf("%s: the viewport: %v", pageName, err)
	}
	run("bypass CSP", bypassCSP(true))
	defer run("restore", bypassCSP(false), chromedp.EmulateViewport(size[0], size[1]))
	// From the top: scrolled down, the sticky top bar covers part of what
	// is under it, which axe counts against that control's target size
	// though the person scrolls it out from under the bar to use it.
	run("scroll to the top", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`scrollTo(0, 0), true`))
		return err
	}))
	for _, width := range []int64{1280, 375} {
		run("resize", chromedp.EmulateViewport(width, 800))
		axeRun(t, ctx, src, fmt.Sprintf("%s at %d px", pageName, width))
		if width == 375 {
			checkNoSidewaysScroll(t, ctx, pageName)
		}
	}
}

// bypassCSP switches Page.setBypassCSP, which lets Runtime.evaluate inject
// a script into a page whose policy allows only its own files.
func bypassCSP(on bool) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: on})
		return err
	})
}

// axeRun injects axe (once per document) and fails the test with every
// violation it reports.
func axeRun(t *testing.T, ctx context.Context, src, where string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, 4*stepTimeout)
	defer cancel()
	script := `(async () => {
		if (!window.axe) { ` + src + `
		}
		const r = await axe.run(document, {runOnly: {type: 'tag', values: ` + axeTags + `}, resultTypes: ['violations']});
		return JSON.stringify(r.violations);
	})()`
	report, err := chromedp.Run(sctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: running axe: %v", where, err)
	}
	var violations []axeViolation
	if err := json.Unmarshal([]byte(report), &violations); err != nil {
		t.Fatalf("%s: axe's report: %v", where, err)
	}
	for _, v := range violations {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, fmt.Sprintf("%v: %s", n.Target, strings.ReplaceAll(n.Summary, "\n", " ")))
		}
		t.Errorf("%s: axe %s (%s): %s\n\t%s", where, v.ID, v.Impact, v.Help, strings.Join(nodes, "\n\t"))
	}
}

// checkNoSidewaysScroll fails when the page is wider than the viewport.
func checkNoSidewaysScroll(t *testing.T, ctx context.Context, pageName string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	widths, err := chromedp.Run(sctx, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, innerWidth]`))
	if err != nil {
		t.Fatalf("%s: measuring the width: %v", pageName, err)
	}
	if widths[0] > widths[1] {
		t.Errorf("%s scrolls sideways at 375 px: %d px wide in a %d px viewport", pageName, widths[0], widths[1])
	}
}
