package httpd

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"convene"
)

// Problem is an RFC 9457 problem document, the body of every error answer
// of /api/v1 (contract section 3).
type Problem struct {
	Type    string               `json:"type" doc:"https://convene.dev/problems/<code>, or about:blank"`
	Title   string               `json:"title"`
	Status  int                  `json:"status"`
	Detail  string               `json:"detail"`
	Errors  []convene.FieldError `json:"errors,omitempty" doc:"the invalid fields"`
	Entries []convene.EntryError `json:"entries,omitempty" doc:"the rejected entries of a list of contacts"`
	Rows    []convene.RowError   `json:"rows,omitempty" doc:"the rejected rows of a CSV import (contract section 14)"`

	headers http.Header
}

func (p *Problem) Error() string { return p.Detail }

// GetStatus makes a Problem a huma.StatusError.
func (p *Problem) GetStatus() int { return p.Status }

// GetHeaders makes a Problem a huma.HeadersError (Retry-After).
func (p *Problem) GetHeaders() http.Header {
	if p.headers == nil {
		p.headers = http.Header{}
	}
	return p.headers
}

// ContentType makes huma answer application/problem+json.
func (p *Problem) ContentType(string) string { return "application/problem+json" }

// codeByStatus answers the code of problems that huma raises itself.
func codeByStatus(status int) string {
	for code, st := range statusTable {
		if st.api == status {
			return code
		}
	}
	return ""
}

func NewProblem(status int, code, detail string) *Problem {
	typ := "about:blank"
	if code != "" {
		typ = "https://convene.dev/problems/" + code
	}
	return &Problem{Type: typ, Title: http.StatusText(status), Status: status, Detail: detail}
}

// problem turns any error into the Problem to answer. Only internal errors
// are logged, and their text never reaches the client.
func (s *Server) problem(ctx context.Context, err error) *Problem {
	var p *Problem
	if errors.As(err, &p) {
		return p
	}
	code := convene.ErrorCode(err)
	status, ok := statusOf(code)
	if !ok {
		code, status = convene.EINTERNAL, http.StatusInternalServerError
	}
	if code == convene.EINTERNAL {
		if errors.Is(err, context.Canceled) {
			s.log.LogAttrs(ctx, slog.LevelInfo, "request canceled", slog.String("request_id", requestID(ctx)))
		} else {
			s.log.LogAttrs(ctx, slog.LevelError, "internal error", slog.String("request_id", requestID(ctx)), slog.Any("error", err))
		}
		return NewProblem(status, code, "internal error")
	}
	p = NewProblem(status, code, convene.ErrorMessage(err))
	if e := convene.AsError(err); e != nil {
		p.Errors, p.Entries = e.Fields, e.Entries
	}
	var ie *convene.ImportError
	if errors.As(err, &ie) {
		p.Rows = ie.Rows
	}
	return p
}

// Err turns a domain error into the problem to answer (huma writes it).
func (s *Server) Err(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	return s.problem(ctx, err)
}

// WriteProblem answers err as application/problem+json. Handlers outside
// huma (the dashboard's, the middleware) use it.
func (s *Server) WriteProblem(w http.ResponseWriter, r *http.Request, err error) {
	p := s.problem(r.Context(), err)
	for k, vs := range p.headers {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// rateLimited is ERATELIMITED with a Retry-After of at least one second.
func rateLimited(retry time.Duration, what string) *Problem {
	p := NewProblem(http.StatusTooManyRequests, convene.ERATELIMITED, "too many "+what+"; try again later")
	secs := int((retry + time.Second - 1) / time.Second)
	p.GetHeaders().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	return p
}

// humaError is huma.NewError in the contract's shape: huma raises it for
// invalid parameters and bodies. Bad input is 422 here, never 400.
func humaError(status int, msg string, errs ...error) huma.StatusError {
	if status == http.StatusBadRequest {
		status = http.StatusUnprocessableEntity
	}
	p := NewProblem(status, codeByStatus(status), msg)
	if status >= 500 {
		p.Detail = "internal error"
		return p
	}
	var parts []string
	for _, err := range errs {
		if err == nil {
			continue
		}
		fe := convene.FieldError{Message: err.Error()}
		var d huma.ErrorDetailer
		if errors.As(err, &d) {
			det := d.ErrorDetail()
			fe = convene.FieldError{Field: fieldName(det.Location), Message: det.Message}
			if name, ok := requiredProperty(det.Message); ok {
				fe.Field = strings.TrimPrefix(fe.Field+"."+name, "body.")
				fe.Message = "is required"
			}
		}
		p.Errors = append(p.Errors, fe)
		if fe.Field != "" {
			parts = append(parts, fe.Field+": "+fe.Message)
		} else {
			parts = append(parts, fe.Message)
		}
	}
	if len(parts) > 0 {
		p.Detail = msg + ": " + strings.Join(parts, "; ")
	}
	return p
}

// fieldName turns huma's location ("body.title", "query.limit") into the
// field a client sent ("title", "limit").
func fieldName(loc string) string {
	for _, prefix := range []string{"body.", "query.", "path.", "header."} {
		if rest, ok := strings.CutPrefix(loc, prefix); ok {
			return rest
		}
	}
	return loc
}

// requiredProperty reads the field out of huma's message for a missing one.
func requiredProperty(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, "expected required property ")
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, " to be present")
	return name, ok
}

func init() {
	// huma builds its own errors (validation, body limits) through this
	// hook; it is set once, before any server exists, and never changes.
	huma.NewError = humaError
}
