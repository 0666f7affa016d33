package sqlstore

// TitleSearch is how a dialect finds the sessions whose title contains a
// search text.
type TitleSearch struct {
	// Scan is a condition on one session row (alias s), cheap enough to
	// test on every row of a walk newest first. It reads ScanArg.
	Scan    string
	ScanArg any
	// Index, when not empty, is a condition served by an index of the
	// titles, which costs what the matches cost, however old. It reads
	// IndexArg. It is empty when the text is too short for the index, and
	// where the database's own planner picks between an index and a walk
	// for each search (Scan then says everything).
	Index    string
	IndexArg any
	// Matches, with Index, selects the ids of the sessions of every
	// tenant whose titles the index matches (reading IndexArg), for the
	// search to learn, cheaply and up to a bound, how many there are.
	Matches string
	// CountFrom, when not empty, is a FROM item placed before the sessions
	// of a count, and CountCond its condition on both (reading IndexArg),
	// so that the index drives the count and it stops at the cap (an IN
	// over the index would first gather every match of a common word).
	CountFrom, CountCond string
}

// searchBounds are the two bounds of the session search.
type searchBounds struct {
	// walk is how many of the newest sessions (after the cursor) a search
	// with an Index walks before it asks the index instead: a common word
	// fills its page within them; a word rarer than a page in walk rows
	// has few enough matches for the index to serve them all and sort them.
	walk int
	// few is the number of the index's matches (of any tenant) below which
	// a search asks the index first and sorts them: a rare word's matches
	// cost less to sort than a walk costs to miss them. A word with more
	// matches is common enough for the walk to fill a page.
	few int
	// totalCap bounds the total a session list counts: beyond it the list
	// says "more than totalCap", so that a count over a common word or a
	// whole tenant of a million sessions stays as cheap as a page
	// (docs/api.md, "Search and total").
	totalCap int
}

var defaultSearchBounds = searchBounds{walk: 4000, few: 1000, totalCap: 1000}

// SetSearchBounds replaces the walk length and the total's cap of the
// session search, so that tests reach the walk, the index and the cap
// with a few sessions (a quarter of the walk, at least 1, are few matches,
// as by default); 0 keeps a bound as it is.
func (db *DB) SetSearchBounds(walk, totalCap int) {
	if walk > 0 {
		db.search.walk, db.search.few = walk, max(1, walk/4)
	}
	if totalCap > 0 {
		db.search.totalCap = totalCap
	}
}
