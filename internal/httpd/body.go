package httpd

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"convene"
)

// maxJSONDepth bounds the nesting of a request body; none of ours nests
// more than three levels.
const maxJSONDepth = 32

// checkBody reads the body of an unsafe /api/v1 request whole, within the
// size limit (413, whoever asks), and finds what huma's decoder would let
// through, for checkedBody to refuse:
// invalid UTF-8 (which encoding/json silently replaces), duplicate object
// keys (where encoding/json silently keeps the last, matching keys without
// regard to case), null values (which it takes as "absent": no field of
// this API is nullable) and trailing data.
// Schema checks (types, unknown fields, required fields) are huma's.
func (s *Server) checkBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") || r.Body == nil || r.Body == http.NoBody ||
			r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions || isUpload(r) {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > s.cfg.MaxBodyBytes {
			s.WriteProblem(w, r, tooLarge(s.cfg.MaxBodyBytes))
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &mbe):
			s.WriteProblem(w, r, tooLarge(s.cfg.MaxBodyBytes))
			return
		case err != nil:
			s.WriteProblem(w, r, convene.FieldErrorf("body", "could not be read"))
			return
		}
		if len(bytes.TrimSpace(body)) > 0 && !rawUpload(r) {
			// Answered by checkedBody once the caller is known to be
			// allowed to learn how an operation validates.
			infoFrom(r.Context()).bodyErr = checkJSON(body)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// rawUpload tells the bodies read whole here that are files, not JSON:
// CSV (the users' import), which its operation parses itself.
func rawUpload(r *http.Request) bool { return kindOf(r) == textBody }

// isUpload reports a multipart body: a file upload, which its handler
// streams under its own limit (MaxFileBytes, or the import's row cap)
// instead of having it read whole here. A JSON operation still refuses it
// (415).
func isUpload(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == "multipart/form-data"
}

func tooLarge(limit int64) error {
	return convene.Errorf(convene.ETOOLARGE, "the request body is larger than %d bytes", limit)
}

// checkJSON returns EINVALID naming the place where body is not one
// well-formed JSON value in valid UTF-8 without duplicate keys.
func checkJSON(body []byte) error {
	if !utf8.Valid(body) {
		return convene.FieldErrorf("body", "is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := walkJSON(dec, "", 0); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return convene.FieldErrorf("body", "must hold one JSON value and nothing after it")
	}
	return nil
}

func walkJSON(dec *json.Decoder, path string, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return syntaxError(err)
	}
	if tok == nil {
		return convene.FieldErrorf(fieldOr(path), "must not be null")
	}
	delim, ok := tok.(json.Delim)
	if !ok {
		return nil
	}
	if depth >= maxJSONDepth {
		return convene.FieldErrorf(fieldOr(path), "is nested too deeply")
	}
	switch delim {
	case '{':
		seen := map[string]bool{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return syntaxError(err)
			}
			key, _ := tok.(string)
			child := key
			if path != "" {
				child = path + "." + key
			}
			folded := strings.ToLower(key)
			if folded != key {
				// encoding/json would take "TITLE" for "title".
				return convene.FieldErrorf(child, "is not a field of this request (field names are lower case)")
			}
			if seen[folded] {
				return convene.FieldErrorf(child, "appears more than once")
			}
			seen[folded] = true
			if err := walkJSON(dec, child, depth+1); err != nil {
				return err
			}
		}
	case '[':
		for i := 0; dec.More(); i++ {
			if err := walkJSON(dec, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
				return err
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing delimiter
		return syntaxError(err)
	}
	return nil
}

func syntaxError(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return convene.FieldErrorf("body", "is not valid JSON (at byte %d)", se.Offset)
	}
	return convene.FieldErrorf("body", "is not valid JSON")
}

func fieldOr(path string) string {
	if path == "" {
		return "body"
	}
	return path
}
