package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"

	"convene"
)

// accessGrid holds the current access of every user x session pair of a
// batch: row per user, column per session.
type accessGrid struct {
	sessions, users []int64 // what the grid was read for
	col             map[int64]int
	row             map[int64]int
	cells           []convene.Access
	// onlyTheseUsers is true when the read took the sessions' whole
	// membership and found in them no member but the grid's users and the
	// owners: then "a member of one of the sessions" names the grid's
	// members, with no list of users to test each row against.
	onlyTheseUsers bool
}

// at is the grid as a convene.AccessLookup.
func (g *accessGrid) at(userID, sessionID int64) convene.Access {
	return g.cells[g.row[userID]*len(g.col)+g.col[sessionID]]
}

// existingAccess reads the memberships of users in sessions, in one query.
// When the sessions have few members beyond the product (the usual big
// batch: the same people across sessions of theirs), it reads the
// sessions' whole membership and keeps the users' rows: each row is then
// tested by a map here instead of against a list of a thousand users in
// the database, and the read learns whether anyone else is a member.
func (db *DB) existingAccess(ctx context.Context, tx *sql.Tx, sessions, users []int64) (*accessGrid, error) {
	g := &accessGrid{sessions: sessions, users: users,
		col: make(map[int64]int, len(sessions)), row: make(map[int64]int, len(users)), cells: make([]convene.Access, len(sessions)*len(users))}
	for i, id := range sessions {
		g.col[id] = i
	}
	for i, id := range users {
		g.row[id] = i
	}
	if len(users) == 0 {
		return g, nil
	}
	whole, err := db.membersAtMost(ctx, tx, sessions, 2*len(g.cells))
	if err != nil {
		return nil, err
	}
	var read string
	var args []any
	if whole {
		read, args = db.d.InSessions("", sessions)
	} else {
		read, args = db.d.InPairs("", sessions, users)
	}
	others := false
	err = queryEach(ctx, db, tx, "membership", func(row rowScanner) error {
		var s int64
		var members string
		if err := row.Scan(&s, &members); err != nil {
			return err
		}
		return eachMember(members, func(u int64, a convene.Access) {
			if i, ok := g.row[u]; ok {
				g.cells[i*len(sessions)+g.col[s]] = a
			} else if a != convene.AccessOwner {
				others = true
			}
		})
	}, `SELECT session_id, `+membersText+` FROM memberships WHERE `+read+` GROUP BY session_id`, args...)
	if err != nil {
		return nil, fmt.Errorf("read memberships: %w", err)
	}
	g.onlyTheseUsers = whole && !others
	return g, nil
}

// membersText is the aggregate of a session's memberships as one text,
// "17c 18v 5o": each user id and the first letter of its access. A million
// pairs come as a thousand rows, one per session, which costs the database
// and the driver about half of what a million rows do (docs/perf.md).
const membersText = `string_agg(CAST(user_id AS TEXT) || substr(access, 1, 1), ' ')`

// eachMember calls fn with each user and access of a membersText.
func eachMember(text string, fn func(userID int64, a convene.Access)) error {
	for item := range strings.SplitSeq(text, " ") {
		if len(item) < 2 {
			return fmt.Errorf("members %q: bad item %q", text, item)
		}
		id, err := strconv.ParseInt(item[:len(item)-1], 10, 64)
		a, known := accessByLetter[item[len(item)-1]]
		if err != nil || !known {
			return fmt.Errorf("members %q: bad item %q", text, item)
		}
		fn(id, a)
	}
	return nil
}

var accessByLetter = map[byte]convene.Access{'o': convene.AccessOwner, 'c': convene.AccessCollaborate, 'v': convene.AccessView}

// inGrid returns the condition on memberships (with alias) naming those
// of g's sessions x users, and its arguments: by session alone when g
// holds the sessions' only members but their owners.
func (db *DB) inGrid(g *accessGrid, alias string) (string, []any) {
	if g.onlyTheseUsers {
		return db.d.InSessions(alias, g.sessions)
	}
	return db.d.InPairs(alias, g.sessions, g.users)
}

// membersAtMost reports whether sessions have at most most members in all.
func (db *DB) membersAtMost(ctx context.Context, tx *sql.Tx, sessions []int64, most int) (bool, error) {
	var n int64
	err := tx.QueryRowContext(ctx, db.q(`SELECT COALESCE(SUM(member_count), 0) FROM sessions WHERE `+db.d.InIDs("id")), db.d.IDsArg(sessions)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("count members: %w", err)
	}
	return n <= int64(most), nil
}
