package convene

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"time"
)

// Limits of one multi-invite (contract section 7).
const (
	MaxGrantContacts = 1000
	MaxGrantSessions = 1000
	// MaxInlinePairs is the largest batch whose per-pair outcomes are given
	// inline; larger ones are read page by page.
	MaxInlinePairs = 10000
	// MaxIdempotencyKeyLen bounds the Idempotency-Key header.
	MaxIdempotencyKeyLen = 200
)

// GrantRequest asks the access engine to give every registered contact
// access to every session (one multi-invite).
type GrantRequest struct {
	SessionIDs     []int64
	SessionQuery   *SessionQuery // instead of SessionIDs: resolved when applied
	Contacts       []string      // one entry each, as typed; see SplitContacts
	Access         Access        // collaborate (the default when "") or view
	IdempotencyKey string        // optional; a replay returns the first batch
	// Unregistered says what to do with contacts nobody has yet; "" is
	// UnregisteredSkip. See AuthorizeUnregistered for who may use which.
	Unregistered UnregisteredMode
	// DryRun decides everything a real call would and writes nothing
	// (the preview); the batch it returns has no id.
	DryRun bool
	// RetryOf is the batch whose skipped entries this one retries.
	RetryOf int64
}

// Validate checks the limits and the access level, before anything is read.
func (r *GrantRequest) Validate() error {
	if err := validateBatchRequest(r.SessionIDs, r.SessionQuery, r.Contacts, r.IdempotencyKey); err != nil {
		return err
	}
	switch {
	case !r.Access.Grantable():
		return FieldErrorf("access", `must be "collaborate" or "view"`)
	case !r.Unregistered.Valid():
		return FieldErrorf("unregistered", `must be "skip", "request", "register" or "guest"`)
	}
	return nil
}

// validateBatchRequest checks what every batch request (a multi-invite, a
// bulk access change) has alike: its sessions, its contacts within the
// limit, and its idempotency key.
func validateBatchRequest(sessionIDs []int64, q *SessionQuery, contacts []string, idempotencyKey string) error {
	if err := ValidateSessionChoice(sessionIDs, q); err != nil {
		return err
	}
	switch {
	case len(contacts) == 0:
		return FieldErrorf("contacts", "enter at least one email address or phone number")
	case len(contacts) > MaxGrantContacts:
		return Errorf(ETOOLARGE, "at most %d contacts per call, got %d", MaxGrantContacts, len(contacts))
	case len(idempotencyKey) > MaxIdempotencyKeyLen:
		return FieldErrorf("Idempotency-Key", "must be at most %d characters", MaxIdempotencyKeyLen)
	}
	return nil
}

// Fingerprint identifies the request's content, so that a reused idempotency
// key with another request can be told apart from a replay. The mode
// counts only when it is not the default, so that the fingerprints of
// batches stored before modes existed still match their replays.
func (r *GrantRequest) Fingerprint() string {
	mode := r.Unregistered
	if mode == UnregisteredSkip {
		mode = "" // the default, written as before modes existed
	}
	// Absent fields leave the JSON as it was before they existed, so
	// that stored fingerprints still match their replays.
	b, _ := json.Marshal(struct {
		S []int64
		C []string
		A Access
		Q *SessionQuery    `json:",omitempty"`
		U UnregisteredMode `json:",omitempty"`
	}{r.SessionIDs, r.Contacts, r.Access, r.SessionQuery, mode})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Counts sums the outcomes of a batch, or of one person in it.
type Counts struct {
	Added     int `json:"added"`
	Upgraded  int `json:"upgraded"`
	Unchanged int `json:"unchanged"`
	Skipped   int `json:"skipped"`
	// What the unregistered modes did, per person (section 14); absent
	// under the default mode, so that section 7's answer stays as it was.
	RegisteredNow int `json:"registered_now,omitempty"`
	Requested     int `json:"requested,omitempty"`
	Invited       int `json:"invited,omitempty"`
	// The outcomes of a bulk access change (AccessChangeRequest).
	Changed   int `json:"changed,omitempty"`
	NotMember int `json:"not_member,omitempty"`
	Owner     int `json:"owner,omitempty"`
}

// Add counts one outcome.
func (c *Counts) Add(o Outcome) {
	switch o {
	case OutcomeAdded:
		c.Added++
	case OutcomeUpgraded:
		c.Upgraded++
	case OutcomeUnchanged:
		c.Unchanged++
	case OutcomeChanged:
		c.Changed++
	case OutcomeNotMember:
		c.NotMember++
	case OutcomeOwner:
		c.Owner++
	}
}

// Batch is the stored result of one multi-invite: an outcome for every
// person x session pair.
type Batch struct {
	ID             int64
	TenantID       int64
	ActorID        int64
	Access         Access       // a multi-invite's access; "" for an access change
	Action         AccessAction // an access change's action; "" for a multi-invite
	SessionIDs     []int64
	Results        []BatchResult // one per contact entry, in input order
	Counts         Counts
	IdempotencyKey string
	Fingerprint    string
	CreatedAt      time.Time
	UndoneAt       time.Time // zero until the batch is undone (UndoBatch)
	UndoneBy       int64     // who undid it; 0 for the system or when not undone
	RetryOf        int64     // the batch whose skipped entries this one retried; 0 for none
	People         int       // entries of Results, also when Results is not read
}

// Pairs returns the number of person x session pairs the batch decided.
func (b *Batch) Pairs() int {
	n := 0
	for _, r := range b.Results {
		n += len(r.Outcomes)
	}
	return n
}

// BatchResult is what a batch did for one contact entry.
type BatchResult struct {
	Input  string
	Status ContactStatus // registered, unregistered, disabled, duplicate, or what a mode made of it (section 14)
	Reason string        // why a skipped entry was skipped
	UserID int64         // for registered entries
	// RequestID and InvitationID name what the request and guest modes
	// made for an unregistered entry.
	RequestID    int64
	InvitationID int64
	// Outcomes has one outcome per session, in the order of Batch.SessionIDs;
	// empty for skipped entries.
	Outcomes []Outcome
	// Before has, for an access change, the access each pair it changed
	// had before (in the order of Outcomes; "" where unchanged); nil for a
	// multi-invite.
	Before []Access
	Counts Counts
}

// Pair is one person x session outcome of a batch.
type Pair struct {
	UserID    int64
	SessionID int64
	Outcome   Outcome
}

// BatchService reads stored multi-invite results.
type BatchService interface {
	// FindBatch returns a batch of the actor's tenant to its actor and to
	// Session and Tenant Admins; ENOTFOUND for anyone else.
	FindBatch(ctx context.Context, id int64) (*Batch, error)
	// FindBatchSummary is FindBatch without the per-pair results (Results
	// is nil), for readers that need only the rest: it reads a few
	// kilobytes where a million-pair batch holds a megabyte.
	FindBatchSummary(ctx context.Context, id int64) (*Batch, error)
	// SessionTitles returns, by id, the titles of those of ids that are
	// sessions of the actor's tenant the actor may read; the others are
	// left out. One query, without FindSessionByID's member counts: a
	// batch's message lists up to 50 sessions of maybe 1,000 members each.
	SessionTitles(ctx context.Context, ids []int64) (map[int64]string, error)
}

// OutcomeLetters writes outcomes one letter each (a added, u upgraded, n
// unchanged): the compact form in which batches store them and a batch's
// notify jobs carry one person's, a million pairs in about a megabyte.
func OutcomeLetters(outcomes []Outcome) string {
	b := make([]byte, len(outcomes))
	for i, o := range outcomes {
		switch o {
		case OutcomeAdded:
			b[i] = 'a'
		case OutcomeUpgraded:
			b[i] = 'u'
		default:
			b[i] = 'n'
		}
	}
	return string(b)
}

// OutcomesFromLetters reads what OutcomeLetters wrote; any other letter
// reads as unchanged.
func OutcomesFromLetters(letters string) []Outcome {
	out := make([]Outcome, len(letters))
	for i := range len(letters) {
		switch letters[i] {
		case 'a':
			out[i] = OutcomeAdded
		case 'u':
			out[i] = OutcomeUpgraded
		default:
			out[i] = OutcomeUnchanged
		}
	}
	return out
}

// PairsPage pages through a batch's pairs, person by person in input order
// and session by session within a person. cursor "" starts at the beginning;
// limit is clamped to 1-10,000. nextCursor is "" after the last page.
func (b *Batch) PairsPage(cursor string, limit int) (pairs []Pair, nextCursor string, err error) {
	limit = min(max(limit, 1), MaxInlinePairs)
	offset := 0
	if cursor != "" {
		if offset, err = strconv.Atoi(cursor); err != nil || offset < 0 {
			return nil, "", FieldErrorf("cursor", "is not a cursor this API gave out")
		}
	}
	skipped := 0
	for _, r := range b.Results {
		for i, o := range r.Outcomes {
			if skipped < offset {
				skipped++
				continue
			}
			if len(pairs) == limit {
				return pairs, strconv.Itoa(offset + limit), nil
			}
			pairs = append(pairs, Pair{UserID: r.UserID, SessionID: b.SessionIDs[i], Outcome: o})
		}
	}
	return pairs, "", nil
}
