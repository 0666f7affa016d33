package web_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// What TestBadBytes sends is read from what the server serves, so that a
// new route, parameter or field is covered without anyone listing it: the
// operations, parameters and body schemas of /api/v1/openapi.json, and the
// dashboard's routes from the mux registrations in the package's source.

// apiOperation is one operation of the OpenAPI document, with its inputs.
type apiOperation struct {
	route  route
	params []apiParam
	bodies map[string]*schema // by content type
}

type apiParam struct {
	In   string `json:"in"`
	Name string `json:"name"`
}

// schema is the part of a JSON Schema that says where strings are.
type schema struct {
	Ref        string             `json:"$ref"`
	Type       any                `json:"type"` // "string" or ["string", "null"]
	Properties map[string]*schema `json:"properties"`
	Items      *schema            `json:"items"`
	OneOf      []*schema          `json:"oneOf"`
	AnyOf      []*schema          `json:"anyOf"`
}

func (s *schema) types() []string {
	switch t := s.Type.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, v := range t {
			out = append(out, v.(string))
		}
		return out
	}
	return nil
}

// apiOperations reads every operation of the served OpenAPI document,
// and the document's named schemas.
func apiOperations(t *testing.T, e *env) ([]apiOperation, map[string]*schema) {
	t.Helper()
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]*schema `json:"schemas"`
		} `json:"components"`
	}
	e.do("anon", http.MethodGet, "/api/v1/openapi.json", nil).decode(t, &doc)
	var ops []apiOperation
	for path, item := range doc.Paths {
		for method, raw := range item {
			var op struct {
				Parameters  []apiParam `json:"parameters"`
				RequestBody struct {
					Content map[string]struct {
						Schema *schema `json:"schema"`
					} `json:"content"`
				} `json:"requestBody"`
			}
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			o := apiOperation{route: route{strings.ToUpper(method), path}, params: op.Parameters, bodies: map[string]*schema{}}
			for ct, c := range op.RequestBody.Content {
				o.bodies[ct] = c.Schema
			}
			ops = append(ops, o)
		}
	}
	slices.SortFunc(ops, func(a, b apiOperation) int { return strings.Compare(a.route.String(), b.route.String()) })
	return ops, doc.Components.Schemas
}

// slot is one string of a request body: its field name as problems spell
// it, and how to build a body holding v there.
type slot struct {
	field string
	body  func(v any) any
}

// stringSlots finds every string a body of schema s can hold, at any depth,
// through arrays and the alternatives of oneOf. A schema it cannot read
// fails t: then nobody knows whether its strings are covered.
func stringSlots(t *testing.T, named map[string]*schema, s *schema, field string, wrap func(any) any) []slot {
	t.Helper()
	if ref, ok := strings.CutPrefix(s.Ref, "#/components/schemas/"); ok {
		s = named[ref]
	}
	var out []slot
	for _, alt := range append(slices.Clone(s.OneOf), s.AnyOf...) {
		out = append(out, stringSlots(t, named, alt, field, wrap)...)
	}
	if len(s.types()) == 0 && len(out) == 0 {
		t.Errorf("the schema of %q names no type: which strings it holds is unknown", field)
	}
	for _, typ := range s.types() {
		switch typ {
		case "string":
			out = append(out, slot{field, wrap})
		case "array":
			out = append(out, stringSlots(t, named, s.Items, field+"[0]", func(v any) any { return wrap([]any{v}) })...)
		case "object":
			for name, p := range s.Properties {
				child := strings.TrimPrefix(field+"."+name, ".")
				out = append(out, stringSlots(t, named, p, child, func(v any) any { return wrap(map[string]any{name: v}) })...)
			}
		case "integer", "number", "boolean", "null":
		default:
			t.Errorf("%q: type %q has no bad-bytes cases", field, typ)
		}
	}
	return out
}

// pageRoute is a dashboard route as registered on the mux.
type pageRoute struct {
	route
	params []string // {name} segments; a pattern ending in "/" takes one more
}

var wildcard = regexp.MustCompile(`\{([a-z_]+)(\.\.\.)?\}`)

// servingPackages are the folders whose source registers routes: the
// plumbing and both surfaces.
var servingPackages = []string{"../httpd", "../api", "../ui"}

// pageRoutes reads every mux.Handle and mux.HandleFunc call of the
// serving packages' source, outside /api/ (the OpenAPI document's part). A pattern
// that is not a string literal fails t: it could not be covered.
func pageRoutes(t *testing.T) []pageRoute {
	t.Helper()
	var files []string
	for _, dir := range servingPackages {
		found, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		files = append(files, found...)
	}
	var out []pageRoute
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if pattern, ok := registration(t, fset, n); ok && !strings.Contains(pattern, "/api/") {
				out = append(out, parsePattern(pattern))
			}
			return true
		})
	}
	slices.SortFunc(out, func(a, b pageRoute) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// registration returns the pattern of a Handle or HandleFunc call.
func registration(t *testing.T, fset *token.FileSet, n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) != 2 {
		return "", false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Handle" && sel.Sel.Name != "HandleFunc") {
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		t.Errorf("%s: a route whose pattern is not a literal cannot be covered", fset.Position(call.Pos()))
		return "", false
	}
	pattern, _ := strconv.Unquote(lit.Value)
	return pattern, true
}

func parsePattern(pattern string) pageRoute {
	method, path, found := strings.Cut(pattern, " ")
	if !found {
		method, path = http.MethodGet, pattern
	}
	path = strings.ReplaceAll(path, "{$}", "")
	r := pageRoute{route: route{method, path}}
	for _, m := range wildcard.FindAllStringSubmatch(path, -1) {
		r.params = append(r.params, m[1])
	}
	if strings.HasSuffix(path, "/") && path != "/" {
		r.path += "{rest}"
		r.params = append(r.params, "rest")
	}
	return r
}

// formFields are the names of every form control of the dashboard's
// templates.
func formFields(t *testing.T) []string {
	t.Helper()
	control := regexp.MustCompile(`<(?:input|textarea|select)\b[^>]*\bname="([^"]+)"`)
	files, _ := filepath.Glob("../ui/templates/*.html")
	var out []string
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range control.FindAllSubmatch(b, -1) {
			if f := string(m[1]); !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	slices.Sort(out)
	return out
}
