package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"convene"
)

// BenchmarkChangeAccessVsUpdate lowers side x side collaborators to view
// only with ChangeAccess (a batch: decided, audited, undoable), undoes it
// (UndoBatch: every pair back to collaborate, audited), and makes the same
// change to the same rows once more with one raw bulk UPDATE, in each
// iteration, and reports the three and the ratios side by side, so that
// the ratio holds on a busy machine. Beside them it times the least that
// any change with a result for every pair must do (leastPairChange: read
// each pair's access, then change the rows in one statement), which says
// how close to the raw UPDATE such a change can come on this database.
// side is 1,000 with CONVENE_BENCH_BIG=1 (a million pairs), else 100.
func BenchmarkChangeAccessVsUpdate(b *testing.B, open Opener) {
	side := benchSide()
	f := newFixture(b, open)
	_, write := databases(b, f.Store)
	var change, undo, update, least, auditRead time.Duration
	for i := range b.N {
		b.StopTimer()
		users := f.Users(b, fmt.Sprintf("r%du", i), side)
		sessions := ids(f.Sessions(b, f.Admin, side))
		f.Grant(b, f.Admin, convene.GrantRequest{SessionIDs: sessions, Contacts: emails(users), Access: convene.AccessCollaborate})
		b.StartTimer()
		start := time.Now()
		batch, err := f.Store.ChangeAccess(As(f.Admin), convene.AccessChangeRequest{SessionIDs: sessions, Contacts: emails(users), Action: convene.ActionView})
		change += time.Since(start)
		if err != nil || batch.Counts.Changed != side*side {
			b.Fatalf("ChangeAccess: %+v, %v; want %d changed", batch, err, side*side)
		}
		auditRead += readAuditOfBatch(b, f, batch.ID, users[len(users)/2].ID, sessions[len(sessions)/2])
		start = time.Now()
		if _, err := f.Store.UndoBatch(As(f.Admin), batch.ID); err != nil {
			b.Fatalf("UndoBatch: %v", err)
		}
		undo += time.Since(start)
		start = time.Now()
		n := rawAccessUpdate(b, write, sessions, userIDs(users))
		update += time.Since(start)
		if n != int64(side*side) {
			b.Fatalf("raw UPDATE changed %d rows, want %d", n, side*side)
		}
		start = time.Now()
		read, changed := leastPairChange(b, write, sessions, userIDs(users))
		least += time.Since(start)
		if read != side*side || changed != int64(side*side) {
			b.Fatalf("the least change read %d pairs and changed %d, want %d", read, changed, side*side)
		}
	}
	b.ReportMetric(float64(change.Milliseconds())/float64(b.N), "change-ms")
	b.ReportMetric(float64(undo.Milliseconds())/float64(b.N), "undo-ms")
	b.ReportMetric(float64(update.Milliseconds())/float64(b.N), "update-ms")
	b.ReportMetric(float64(change)/float64(update), "change/update")
	b.ReportMetric(float64(undo)/float64(update), "undo/update")
	b.ReportMetric(float64(least.Milliseconds())/float64(b.N), "least-ms")
	b.ReportMetric(float64(least)/float64(update), "least/update")
	b.ReportMetric(float64(auditRead.Microseconds())/1000/float64(b.N*len(auditPages(0, 0, 0))), "audit-page-ms")
}

// auditPages are the filters of the pages of a batch's audit that
// readAuditOfBatch reads: of the batch, of one person in it, of one
// session in it, of both.
func auditPages(batch, user, session int64) []convene.AuditFilter {
	return []convene.AuditFilter{{BatchID: batch}, {BatchID: batch, UserID: user}, {SessionID: session}, {SessionID: session, UserID: user}}
}

// readAuditOfBatch reads the first page (100 events) of each of
// auditPages, stopping the benchmark's clock, and returns the time they
// took together. Each page must be full but the last, of one pair (its
// grant and its change).
func readAuditOfBatch(b *testing.B, f *Fixture, batch, user, session int64) time.Duration {
	b.StopTimer()
	defer b.StartTimer()
	var took time.Duration
	pages := auditPages(batch, user, session)
	for i, filter := range pages {
		start := time.Now()
		events, _, err := f.Store.FindAuditEvents(As(f.Admin), filter)
		took += time.Since(start)
		want := 100
		if i == len(pages)-1 {
			want = 2
		}
		if err != nil || len(events) != want {
			b.Fatalf("FindAuditEvents(%+v): %d events, %v; want %d", filter, len(events), err, want)
		}
	}
	return took
}

// leastPairChange is the floor of a change that answers for every pair:
// in one transaction, it reads the access of each pair of sessions x
// users into memory (what a result per pair and an undo need to know),
// then sets the pairs not at collaborate to collaborate in one statement,
// as the store's InPairs names them on SQLite (literal lists, the user
// with a unary plus): no audit, no batch, no locks, no decision. It
// returns the pairs read and the rows changed.
func leastPairChange(b *testing.B, db *sql.DB, sessions, users []int64) (read int, changed int64) {
	b.Helper()
	ctx := context.Background()
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatalf("begin: %v", err)
	}
	defer tx.Rollback()
	pairs := `session_id IN ` + literalList(sessions) + ` AND +user_id IN ` + literalList(users)
	rows, err := tx.QueryContext(ctx, `SELECT session_id, user_id, access FROM memberships WHERE `+pairs)
	if err != nil {
		b.Fatalf("read the pairs: %v", err)
	}
	type pair struct {
		session, user int64
		access        string
	}
	access := make([]pair, 0, len(sessions)*len(users))
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.session, &p.user, &p.access); err != nil {
			b.Fatalf("read the pairs: %v", err)
		}
		access = append(access, p)
	}
	if err := rows.Err(); err != nil {
		b.Fatalf("read the pairs: %v", err)
	}
	res, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE memberships SET access = 'collaborate', updated_at = %d WHERE `+pairs+
		` AND access <> 'collaborate'`, time.Now().UnixNano()))
	if err != nil {
		b.Fatalf("the least change: %v", err)
	}
	if changed, err = res.RowsAffected(); err != nil {
		b.Fatalf("the least change: %v", err)
	}
	if err := tx.Commit(); err != nil {
		b.Fatalf("commit: %v", err)
	}
	return len(access), changed
}

// literalList is ids as "(1,2,3)".
func literalList(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// rawAccessUpdate makes the change ChangeAccess made, collaborate to view,
// to the rows of the sessions x users (the undo set them back) in one
// statement: the same rows, the same values. (Writing a value over itself
// would flatter the raw side on SQLite, which then rewrites each row in
// place at its own size.) Both id lists are contiguous (the fixture
// makes them one after another), so a range names them on both databases
// without a dialect's placeholders or list syntax; the owner, made first,
// is outside the users' range.
func rawAccessUpdate(b *testing.B, db *sql.DB, sessions, users []int64) int64 {
	b.Helper()
	q := fmt.Sprintf(`UPDATE memberships SET access = 'view', updated_at = %d
		WHERE session_id BETWEEN %d AND %d AND user_id BETWEEN %d AND %d`,
		time.Now().UnixNano(), slices.Min(sessions), slices.Max(sessions), slices.Min(users), slices.Max(users))
	res, err := db.ExecContext(context.Background(), q)
	if err != nil {
		b.Fatalf("raw UPDATE: %v", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		b.Fatalf("raw UPDATE: %v", err)
	}
	return n
}
