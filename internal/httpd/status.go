package httpd

import (
	"net/http"

	"convene"
)

// codeStatus is how one domain error code is answered on each surface.
type codeStatus struct {
	api  int // the status of the API's problem document (contract section 3)
	page int // the status of a dashboard page showing it; 0: the same as api
}

// statusTable is the one table from domain error codes to HTTP statuses,
// for both surfaces. The API's statuses are fixed by the contract. A page
// differs only where it says so here: a conflict on a page is a link
// (invitation, password link) that can no longer be used, so 410 Gone.
var statusTable = map[string]codeStatus{
	convene.EINVALID:      {api: http.StatusUnprocessableEntity},
	convene.ENOTFOUND:     {api: http.StatusNotFound},
	convene.EFORBIDDEN:    {api: http.StatusForbidden},
	convene.ECONFLICT:     {api: http.StatusConflict, page: http.StatusGone},
	convene.EUNAUTHORIZED: {api: http.StatusUnauthorized},
	convene.ETOOLARGE:     {api: http.StatusRequestEntityTooLarge},
	convene.ERATELIMITED:  {api: http.StatusTooManyRequests},
	convene.EUNAVAILABLE:  {api: http.StatusGone},
	convene.EINTERNAL:     {api: http.StatusInternalServerError},
	// A note's optimistic concurrency (contract section 13): a stale
	// If-Match, and none at all.
	convene.EPRECONDITION:    {api: http.StatusPreconditionFailed},
	convene.EVERSIONREQUIRED: {api: http.StatusPreconditionRequired},
}

// statusOf is the API's status for code; ok is false for a code the table
// does not know.
func statusOf(code string) (status int, ok bool) {
	st, ok := statusTable[code]
	return st.api, ok
}

// PageStatus is the status of a dashboard page that shows an error of
// code: 500 for a code the table does not know.
func PageStatus(code string) int {
	st, ok := statusTable[code]
	switch {
	case !ok:
		return http.StatusInternalServerError
	case st.page != 0:
		return st.page
	}
	return st.api
}
