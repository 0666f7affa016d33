// Package markdown renders the Markdown of notes (contract section 13) to
// HTML that is safe to put into a page as it is: CommonMark with GitHub's
// tables, strikethrough, task lists and bare-link autolinks; raw HTML is
// dropped, links to javascript:, vbscript:, data: and file: lose their
// target, and every link carries rel="noopener nofollow ugc", since the
// text is anyone's. The server renders, so that every client (and a page
// without JavaScript) shows the same thing, and no browser-side parser
// needs to be trusted.
package markdown

import (
	"bytes"
	"html"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkRel is the rel of every link in rendered text: the page opened gets
// no handle on ours (noopener), search engines give it no credit
// (nofollow), and it is marked user content (ugc).
const linkRel = "noopener nofollow ugc"

// Renderer turns Markdown into safe HTML. It is safe for concurrent use;
// build one (New) and keep it.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a Renderer. goldmark without html.WithUnsafe already omits
// raw HTML and dangerous link targets; bluemonday's user-content policy
// runs after it as a second wall, so that a parser bug alone cannot put
// a script into a page.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(
			// align="…" rather than style="…": the dashboard's
			// Content-Security-Policy refuses inline styles.
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough, extension.TaskList, extension.Linkify),
		goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(linkRelTransformer{}, 100))),
	)
	return &Renderer{md: md, policy: policy()}
}

// policy is bluemonday's user-generated-content policy, keeping the rel
// the renderer set, the alignment of table cells and the (disabled)
// checkboxes of task lists. Images load from this server only (a relative
// address, such as a file of the session): the page's policy blocks any
// other, and a remote image would tell its host who reads the note; one
// from elsewhere keeps its alt text.
func policy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	p.AllowAttrs("align").Matching(regexp.MustCompile(`^(left|right|center)$`)).OnElements("th", "td")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	p.RequireNoFollowOnLinks(true)
	return p
}

// Render returns the HTML of src. Markdown has no syntax errors: any text
// renders, at worst as a paragraph of itself.
func (r *Renderer) Render(src string) string {
	var out bytes.Buffer
	if err := r.md.Convert([]byte(src), &out); err != nil {
		// Convert fails only when writing to out fails, and a
		// bytes.Buffer does not: the text then shows as it is, escaped.
		return "<p>" + html.EscapeString(src) + "</p>"
	}
	return r.policy.Sanitize(out.String())
}

// linkRelTransformer sets rel on every link and autolink of a document,
// and turns an image from another server into its alt text.
type linkRelTransformer struct{}

func (linkRelTransformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	var remote []*ast.Image
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.AutoLink:
			n.SetAttributeString("rel", []byte(linkRel))
		case *ast.Image:
			if !ownServer(n.Destination) {
				remote = append(remote, n)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, img := range remote {
		img.Parent().ReplaceChild(img.Parent(), img, ast.NewString(altText(img, reader.Source())))
	}
}

// ownServer reports an address on this server: a path, not "//host".
func ownServer(dest []byte) bool {
	return len(dest) > 1 && dest[0] == '/' && dest[1] != '/' && dest[1] != '\\'
}

// altText is the plain text of an image's description.
func altText(img *ast.Image, source []byte) []byte {
	var b bytes.Buffer
	_ = ast.Walk(img, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(source))
		}
		return ast.WalkContinue, nil
	})
	return b.Bytes()
}
