package convene

// SessionQuery selects sessions by search instead of by id (contract
// section 15): every session whose title matches Q (every session when Q
// is empty) that the caller may manage, as the database has them when the
// call is applied. The store resolves it inside its write transaction.
type SessionQuery struct {
	Q string
}

// ValidateSessionChoice is the rule shared by every call that takes
// sessions as session_ids or as session_query: exactly one of them, and
// at most MaxGrantSessions ids. A query's own bound is checked when it is
// resolved (TooManyMatching).
func ValidateSessionChoice(ids []int64, query *SessionQuery) error {
	switch {
	case len(ids) > 0 && query != nil:
		return FieldErrorf("session_query", "give session_ids or session_query, not both")
	case len(ids) == 0 && query == nil:
		return FieldErrorf("session_ids", "select at least one session")
	case len(ids) > MaxGrantSessions:
		return Errorf(ETOOLARGE, "at most %d sessions per call, got %d", MaxGrantSessions, len(ids))
	}
	return nil
}

// TooManyMatching is the refusal of a session query that matches more
// sessions than one call may change: nothing is applied.
func TooManyMatching() error {
	return Errorf(ETOOLARGE, "more than %d sessions match the search; narrow it, nothing was applied", MaxGrantSessions)
}
