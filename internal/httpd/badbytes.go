package httpd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"convene"
)

// Bad bytes: a NUL byte or invalid UTF-8 anywhere in a request is refused
// once, here, with 422 (contract section 12). PostgreSQL refuses both in
// text ("invalid byte sequence for encoding UTF8") where SQLite stores them,
// so letting them through would make one request answer differently on the
// two databases, and fail a rate limiter's or a query's statement after the
// request was half handled. Refusing before authentication costs a stranger
// nothing to learn: the rule is the same for every operation.

// interpretedHeaders are the request headers whose values the server reads
// as text. (net/http already answers 400 to a NUL in any header; invalid
// UTF-8 passes it.)
var interpretedHeaders = []string{"Authorization", "Idempotency-Key", "If-Match", "Last-Event-ID"}

// refuseBadBytes checks the path, the query, the interpreted headers and a
// JSON or form body. The body is read once, within MaxBodyBytes, and
// handed on as the same bytes; other bodies (file uploads) stream on
// unread.
func (s *Server) refuseBadBytes(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := s.badPath(r)
		if err == nil {
			query, _ := url.ParseQuery(r.URL.RawQuery) // what huma and r.FormValue read
			err = badValues(query, "query", "query parameter")
		}
		if err == nil {
			err = badHeaders(r.Header)
		}
		if err == nil {
			err = s.badBody(r)
		}
		if err != nil {
			s.refuse(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// badText says what is wrong with text, "" when nothing is.
func badText(text string) string {
	switch {
	case strings.IndexByte(text, 0) >= 0:
		return "contains a NUL byte"
	case !utf8.ValidString(text):
		return "is not valid UTF-8"
	}
	return ""
}

// CheckText is EINVALID for field when text holds a NUL byte or invalid
// UTF-8: for text the middleware cannot see, such as a file in a
// multipart form.
func CheckText(field, text string) error {
	if msg := badText(text); msg != "" {
		return badInput(field, field, msg)
	}
	return nil
}

// badInput is EINVALID for field, with a detail that says where it is.
func badInput(where, field, msg string) error {
	return &convene.Error{Code: convene.EINVALID, Message: where + ": " + msg,
		Fields: []convene.FieldError{{Field: field, Message: msg}}}
}

// badPath checks the path as sent and as decoded (%00, %FF, %C0%80).
func (s *Server) badPath(r *http.Request) error {
	for _, p := range []string{r.URL.Path, r.URL.RawPath} {
		if msg := badText(p); msg != "" {
			if field := s.pathParam(r); field != "path" {
				return badInput("path parameter "+field, field, msg)
			}
			return badInput("path", "path", msg)
		}
	}
	return nil
}

// pathParam names the parameter of the matching route that holds the
// first bad segment of the path, or answers "path".
func (s *Server) pathParam(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	_, pattern, _ = strings.Cut(pattern, "/") // drop the method and host
	names := strings.Split(pattern, "/")
	for i, seg := range strings.Split(strings.TrimPrefix(r.URL.Path, "/"), "/") {
		if badText(seg) == "" {
			continue
		}
		if i < len(names) && strings.HasPrefix(names[i], "{") {
			return strings.TrimSuffix(strings.Trim(names[i], "{}"), "...")
		}
		break
	}
	return "path"
}

// badValues checks every name and value of a query or form.
func badValues(vals url.Values, field, label string) error {
	for _, k := range slices.Sorted(maps.Keys(vals)) {
		if msg := badText(k); msg != "" {
			return badInput(field, field, "has a "+label+" whose name "+msg)
		}
		for _, v := range vals[k] {
			if msg := badText(v); msg != "" {
				return badInput(label+" "+k, k, msg)
			}
		}
	}
	return nil
}

func badHeaders(h http.Header) error {
	for _, name := range interpretedHeaders {
		for _, v := range h.Values(name) {
			if msg := badText(v); msg != "" {
				return badInput("header "+name, name, msg)
			}
		}
	}
	return nil
}

// refuse answers err: a problem document on the API, the error page on the
// dashboard, whose forms post here too.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, err error) {
	if isAPIPath(r.URL.Path) {
		s.WriteProblem(w, r, err)
		return
	}
	title := "This request could not be read"
	s.errorPage(w, r, PageStatus(convene.ErrorCode(err)), title,
		"The "+convene.ErrorMessage(err)+". Check what was typed or pasted, then try again.")
}

// isAPIPath tells the answers in problem documents from the pages.
func isAPIPath(path string) bool { return strings.HasPrefix(path, "/api/") || path == "/healthz" }

// bodyKind is how a request body is checked: as JSON, as a form, or not.
type bodyKind int

const (
	unscanned bodyKind = iota
	jsonBody
	formBody
	textBody // CSV (the users' import): text, checked as a whole
)

// kindOf reads the media type as loosely as huma does: it takes any body
// whose type ends in "json" as JSON, and an API body without a type too.
func kindOf(r *http.Request) bodyKind {
	mt, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	switch {
	case strings.Contains(mt, "json"), mt == "" && isAPIPath(r.URL.Path):
		return jsonBody
	case mt == "application/x-www-form-urlencoded":
		return formBody
	case mt == "text/csv", mt == "text/plain":
		return textBody
	}
	return unscanned
}

// badBody checks a JSON or form body, leaving the bytes read in r.Body.
func (s *Server) badBody(r *http.Request) error {
	kind := kindOf(r)
	if kind == unscanned || r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	body, whole, err := s.peekBody(r)
	switch {
	case err != nil:
		return convene.FieldErrorf("body", "could not be read")
	case !whole && isAPIPath(r.URL.Path):
		return nil // checkBody answers 413, after authentication as ever
	case !whole:
		return tooLarge(s.cfg.MaxBodyBytes)
	case kind == formBody:
		form, _ := url.ParseQuery(string(body)) // what r.PostFormValue reads
		return badValues(form, "form", "form field")
	case kind == textBody:
		return CheckText("body", string(body))
	}
	return badJSON(body)
}

// peekBody reads r's body up to the size limit and puts what it read back
// in front of the rest, so that the handlers read the same bytes and the
// network is read once. whole is false when the body is over the limit.
func (s *Server) peekBody(r *http.Request) (body []byte, whole bool, err error) {
	limit := s.cfg.MaxBodyBytes
	if r.ContentLength > limit {
		return nil, false, nil
	}
	rest := r.Body
	body, err = io.ReadAll(io.LimitReader(rest, limit+1))
	if err != nil {
		return nil, false, err
	}
	if int64(len(body)) > limit {
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), rest), rest}
		return body, false, nil
	}
	r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
	return body, true, nil
}

var escapedNUL = []byte(`\u0000`)

// badJSON names the first string or field name of body that holds a NUL
// (raw or escaped) or invalid UTF-8. encoding/json would replace invalid
// UTF-8 by U+FFFD, hiding it: to find where it is, the body is decoded a
// second time with each invalid byte turned into an escaped NUL. A body
// that is not JSON is refused here only when the bytes are bad; the rest
// is checkBody's, after authentication.
func badJSON(body []byte) error {
	rawNUL := bytes.IndexByte(body, 0) >= 0
	if rawNUL || bytes.Contains(body, escapedNUL) {
		if err := stringWithNUL(body, "contains a NUL byte"); err != nil {
			return err
		}
		if rawNUL {
			return badInput("body", "body", "contains a NUL byte")
		}
	}
	if !utf8.Valid(body) {
		if err := stringWithNUL(invalidAsNUL(body), "is not valid UTF-8"); err != nil {
			return err
		}
		return badInput("body", "body", "is not valid UTF-8")
	}
	return nil
}

// stringWithNUL decodes body and returns msg for the first string or field
// name, in key order, that holds a NUL; nil when there is none or body is
// not JSON.
func stringWithNUL(body []byte, msg string) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil
	}
	path, inName, found := findNUL(v, "")
	if !found {
		return nil
	}
	if inName {
		msg = "has a field whose name " + msg
	}
	return convene.FieldErrorf(fieldOr(path), "%s", msg)
}

// findNUL returns the path of the first string under v that holds a NUL,
// and whether it is a field name (then path is the object's).
func findNUL(v any, path string) (at string, inName, found bool) {
	switch v := v.(type) {
	case string:
		return path, false, strings.IndexByte(v, 0) >= 0
	case []any:
		for i, item := range v {
			if at, inName, found = findNUL(item, fmt.Sprintf("%s[%d]", path, i)); found {
				return at, inName, found
			}
		}
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if strings.IndexByte(k, 0) >= 0 {
				return path, true, true
			}
			if at, inName, found = findNUL(v[k], strings.TrimPrefix(path+"."+k, ".")); found {
				return at, inName, found
			}
		}
	}
	return "", false, false
}

// invalidAsNUL returns body with each byte that is not part of valid UTF-8
// replaced by an escaped NUL.
func invalidAsNUL(body []byte) []byte {
	out := make([]byte, 0, len(body)+16)
	for len(body) > 0 {
		r, size := utf8.DecodeRune(body)
		if r == utf8.RuneError && size == 1 {
			out = append(out, escapedNUL...)
		} else {
			out = append(out, body[:size]...)
		}
		body = body[size:]
	}
	return out
}
