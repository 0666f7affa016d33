// Package convene is the domain of Convene, a multi-tenant collaboration-session
// platform: tenants, users, sessions, who may enter which session, and how.
//
// This package holds the types, the rules that need no I/O (contact parsing,
// the role table, what a grant, an invite or an undo does to each entry and
// pair) and one interface per aggregate. It imports nothing but the standard
// library; the stores under internal/ read what a rule needs, call it and
// write what it decided, and cmd/convene wires everything together.
package convene

import (
	"errors"
	"fmt"
)

// Error codes. The web layer maps each to one HTTP status; only EINTERNAL is
// logged as an error, and its message is never shown to a user.
const (
	ECONFLICT     = "conflict"     // a uniqueness rule or an idempotency key clash
	EFORBIDDEN    = "forbidden"    // authenticated, but not allowed
	EINTERNAL     = "internal"     // a bug or an unavailable dependency
	EINVALID      = "invalid"      // the input breaks a validation rule
	ENOTFOUND     = "not_found"    // does not exist, or is not visible to the caller
	ETOOLARGE     = "too_large"    // a request over a documented limit
	EUNAUTHORIZED = "unauthorized" // no valid credentials
	ERATELIMITED  = "rate_limited" // too many attempts; try again later
	EUNAVAILABLE  = "unavailable"  // refused for a state that may change (expired, revoked, turned off)

	// EPRECONDITION: a write named the version it expected, and the thing
	// changed since (optimistic concurrency): nothing was written, and the
	// caller may show both versions. The API answers 412.
	EPRECONDITION = "precondition_failed"
	// EVERSIONREQUIRED: a write that must name the version it expects named
	// none. The API answers 428.
	EVERSIONREQUIRED = "version_required"
)

// Error is a domain error: a machine-readable code and a message a person
// understands. Fields and Entries say, for validation errors, which field or
// which pasted entry was at fault.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Entries []EntryError
}

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// EntryError names one rejected entry of a list of contacts.
type EntryError struct {
	Index  int    `json:"index"`
	Input  string `json:"input"`
	Reason string `json:"reason"`
}

func (e *Error) Error() string {
	return fmt.Sprintf("convene error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID error naming one field.
func FieldErrorf(field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: EINVALID, Message: field + ": " + msg, Fields: []FieldError{{Field: field, Message: msg}}}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first *Error in err's chain, and
// "internal error" for any other error, so that no internal detail leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// AsError returns the first *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
