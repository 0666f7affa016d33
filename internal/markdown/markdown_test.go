package markdown_test

import (
	"strings"
	"testing"

	"convene/internal/markdown"
)

// TestRenderHostileInput: whatever a note holds, what comes out has no
// script, no event handler, no raw HTML and no javascript: link.
func TestRenderHostileInput(t *testing.T) {
	r := markdown.New()
	tests := []struct {
		name, src string
		mustNot   []string // substrings that must not appear (lower case)
	}{
		{"script tag", "hi <script>alert(1)</script>", []string{"<script", "alert(1)</script"}},
		{"script block", "<script>\nalert(1)\n</script>", []string{"<script"}},
		{"inline html with handler", `<img src=x onerror="alert(1)">`, []string{"<img", "onerror"}},
		{"iframe", `<iframe src="https://evil.test"></iframe>`, []string{"<iframe"}},
		{"javascript link", "[click](javascript:alert(1))", []string{"javascript:"}},
		{"javascript link, mixed case and entity", "[click](JaVaScRiPt&#58;alert(1))", []string{"javascript:", "javascript&#58;"}},
		{"vbscript link", "[x](vbscript:msgbox)", []string{"vbscript:"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"data:text/html"}},
		{"javascript autolink", "<javascript:alert(1)>", []string{`href="javascript`}},
		{"image with javascript", "![x](javascript:alert(1))", []string{"javascript:"}},
		{"style tag", "<style>body{display:none}</style>", []string{"<style"}},
		{"html comment smuggling", "<!-- --><script>alert(1)</script>", []string{"<script"}},
		{"attribute injection in link title", `[x](https://a.test "t\" onmouseover=\"alert(1)")`, []string{"onmouseover=\""}},
		{"svg", `<svg onload=alert(1)>`, []string{"<svg", "onload"}},
		{"inline style", "| a |\n|:-|\n| 1 |", []string{"style="}},
		{"remote image", "![x](https://tracker.test/pixel.png)", []string{"tracker.test"}},
		{"protocol-relative image", "![x](//tracker.test/pixel.png)", []string{"tracker.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.ToLower(r.Render(tt.src))
			for _, bad := range tt.mustNot {
				if strings.Contains(got, bad) {
					t.Errorf("Render(%q) = %q, holds %q", tt.src, got, bad)
				}
			}
		})
	}
}

// TestRenderMarkdown: what a note's author writes renders as they meant
// it, links with rel="noopener nofollow ugc".
func TestRenderMarkdown(t *testing.T) {
	r := markdown.New()
	tests := []struct {
		name, src string
		want      []string // substrings that must appear
	}{
		{"emphasis", "**bold** and *it*", []string{"<strong>bold</strong>", "<em>it</em>"}},
		{"list", "- one\n- two", []string{"<ul>", "<li>one</li>", "<li>two</li>"}},
		{"heading", "# Agenda", []string{"<h1>Agenda</h1>"}},
		{"link", "[docs](https://example.test/a?b=1&c=2)", []string{`<a href="https://example.test/a?b=1&amp;c=2" rel="noopener nofollow ugc">docs</a>`}},
		{"bare link", "see https://example.test now", []string{`<a href="https://example.test" rel="noopener nofollow ugc">https://example.test</a>`}},
		{"angle autolink", "<https://example.test>", []string{`href="https://example.test" rel="noopener nofollow ugc"`}},
		{"relative link", "[files](/sessions/1)", []string{`<a href="/sessions/1" rel="noopener nofollow ugc">files</a>`}},
		{"strikethrough", "~~gone~~", []string{"<del>gone</del>"}},
		{"table", "| a | b |\n|:-|-:|\n| 1 | 2 |", []string{"<table>", `<th align="left">a</th>`, `<td align="right">2</td>`}},
		{"image of this server", "![chart](/api/v1/sessions/1/files/2)", []string{`<img src="/api/v1/sessions/1/files/2" alt="chart">`}},
		{"code", "`x < y`", []string{"<code>x &lt; y</code>"}},
		{"task list", "- [x] done", []string{`<input checked="" disabled="" type="checkbox"`}},
		{"escaped text", "1 < 2 & 3 > 2", []string{"1 &lt; 2 &amp; 3 &gt; 2"}},
		{"remote image keeps its alt text", "![a *chart*](https://tracker.test/p.png)", []string{"<p>a chart</p>"}},
		{"raw html shown as nothing, text kept", "before <b>bold</b> after", []string{"before", "bold", "after"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Render(tt.src)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q) = %q, want it to hold %q", tt.src, got, w)
				}
			}
		})
	}
}

// TestRenderEmpty: an empty body renders as nothing.
func TestRenderEmpty(t *testing.T) {
	if got := markdown.New().Render(""); got != "" {
		t.Errorf("Render(\"\") = %q, want \"\"", got)
	}
}
