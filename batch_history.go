package convene

import (
	"context"
	"iter"
	"strconv"
	"strings"
)

// BatchFilter pages through the batches of a tenant, newest first.
type BatchFilter struct {
	Cursor string
	Limit  int // 1-100; 0 means 50
}

// PairFilter selects pairs of one batch.
type PairFilter struct {
	Outcome Outcome // added, upgraded, unchanged, skipped, or a bulk access change's changed, not_member, owner; "" for all
	Query   string  // in the contact or the session title, case ignored
	Cursor  string
	Limit   int // 1-10,000; 0 means 100
}

// Validate checks the outcome named.
func (f PairFilter) Validate() error {
	switch f.Outcome {
	case "", OutcomeAdded, OutcomeUpgraded, OutcomeUnchanged, OutcomeSkipped, OutcomeChanged, OutcomeNotMember, OutcomeOwner:
		return nil
	}
	return FieldErrorf("outcome", "must be added, upgraded, unchanged, skipped, changed, not_member or owner")
}

// Match reports whether row is one the filter selects (cursor and limit aside).
func (f PairFilter) Match(row BatchPairRow) bool {
	if f.Outcome != "" && row.Outcome != f.Outcome {
		return false
	}
	if f.Query == "" {
		return true
	}
	q := strings.ToLower(f.Query)
	return strings.Contains(strings.ToLower(row.Contact), q) || strings.Contains(strings.ToLower(row.SessionTitle), q)
}

// BatchPairRow is one line of a batch's pairs as people read them: one
// per person x session of a granted entry, and one (outcome skipped, no
// session) per entry the batch did not grant.
type BatchPairRow struct {
	Contact      string
	Status       ContactStatus
	UserID       int64
	SessionID    int64
	SessionTitle string // "" when the session was deleted since
	Outcome      Outcome
	Reason       string
}

// BatchEntry is one entry of a stored batch in its compact form, the
// outcomes one letter per session (OutcomeLetters): a million pairs read
// this way take a megabyte, not a million rows.
type BatchEntry struct {
	Input   string
	Status  ContactStatus
	Reason  string
	UserID  int64
	Letters string
	// AccessChange: the entry of a bulk access change, whose letters are
	// AccessLetters, not OutcomeLetters.
	AccessChange bool
}

// outcomes reads the entry's letters as its batch's kind wrote them.
func (e BatchEntry) outcomes() []Outcome {
	if e.AccessChange {
		out, _ := AccessOutcomesFromLetters(e.Letters)
		return out
	}
	return OutcomesFromLetters(e.Letters)
}

// EntryPairs yields the rows of entry e of a batch over sessionIDs, titles
// naming the sessions that still exist, and reports whether yield wanted
// more.
func EntryPairs(e BatchEntry, sessionIDs []int64, titles map[int64]string, yield func(BatchPairRow) bool) bool {
	if !e.Status.Granted() {
		return yield(BatchPairRow{Contact: e.Input, Status: e.Status, UserID: e.UserID, Outcome: OutcomeSkipped, Reason: entryReason(e)})
	}
	outcomes := e.outcomes()
	for j := range min(len(outcomes), len(sessionIDs)) {
		row := BatchPairRow{Contact: e.Input, Status: e.Status, UserID: e.UserID, SessionID: sessionIDs[j], SessionTitle: titles[sessionIDs[j]], Outcome: outcomes[j]}
		if !yield(row) {
			return false
		}
	}
	return true
}

// entryReason is the reason shown for an entry a batch did not grant.
func entryReason(e BatchEntry) string {
	switch {
	case e.Reason != "":
		return e.Reason
	case e.Status == StatusUnregistered:
		return "not registered"
	case e.Status == StatusRequested:
		return "an access request waits for them to register"
	case e.Status == StatusInvited:
		return "invited as a guest"
	}
	return string(e.Status)
}

// Retryable reports whether "retry skipped" sends an entry of status s
// again: one skipped for who the person was (not registered, disabled),
// not a duplicate of an earlier entry, nor one a mode took care of.
func Retryable(s ContactStatus) bool {
	return s == StatusUnregistered || s == StatusDisabled
}

// PairCSVHeader is the header of a batch's pairs as CSV (section 14).
var PairCSVHeader = []string{"contact", "status", "user_id", "session_id", "session_title", "outcome", "reason"}

// CSVRecord is row as a CSV record under PairCSVHeader, its text cells
// escaped by CSVCell.
func (row BatchPairRow) CSVRecord() []string {
	return []string{CSVCell(row.Contact), string(row.Status), idCell(row.UserID), idCell(row.SessionID),
		CSVCell(row.SessionTitle), string(row.Outcome), CSVCell(row.Reason)}
}

func idCell(id int64) string {
	if id == 0 {
		return ""
	}
	return strconv.FormatInt(id, 10)
}

// CSVCell makes text safe to export into a spreadsheet: a cell starting
// with =, +, -, @, a tab or a carriage return is read as a formula by
// Excel, LibreOffice and Sheets (=HYPERLINK(...) exfiltrates), so it gets
// a leading apostrophe, which they show as text. Everything else is as is.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// BatchHistoryService reads and retries past batches (section 14).
type BatchHistoryService interface {
	// FindBatches lists batches newest first, without their results: all
	// of the tenant's to Tenant Admins, their own to everyone else.
	FindBatches(ctx context.Context, f BatchFilter) (items []*Batch, nextCursor string, err error)
	// BatchPairs returns the rows of a batch that f selects (cursor and
	// limit aside) as an iterator that makes them one at a time, for a
	// CSV download of a million pairs. ENOTFOUND as FindBatch.
	BatchPairs(ctx context.Context, id int64, f PairFilter) (iter.Seq[BatchPairRow], error)
	// FindBatchPairs is one page of BatchPairs.
	FindBatchPairs(ctx context.Context, id int64, f PairFilter) (rows []BatchPairRow, nextCursor string, err error)
	// RetryBatch grants again only the entries a batch skipped, resolved
	// afresh, as a new batch whose RetryOf is id, with mode for those
	// still unregistered. As Grant for the errors.
	RetryBatch(ctx context.Context, id int64, mode UnregisteredMode) (*Batch, error)
}
