package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
	"time"

	"convene"
)

// BenchmarkChangeAccessVsUpdate lowers side x side collaborators to view
// only with ChangeAccess (a batch: decided, audited, undoable) and sets the
// same rows back with one raw bulk UPDATE, in each iteration, and reports
// both and their ratio side by side, so that the ratio holds on a busy
// machine. side is 1,000 with CONVENE_BENCH_BIG=1 (a million pairs), else
// 100.
func BenchmarkChangeAccessVsUpdate(b *testing.B, open Opener) {
	side := benchSide()
	f := newFixture(b, open)
	_, write := databases(b, f.Store)
	var change, update time.Duration
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
		start = time.Now()
		n := rawAccessUpdate(b, write, sessions, userIDs(users))
		update += time.Since(start)
		if n != int64(side*side) {
			b.Fatalf("raw UPDATE changed %d rows, want %d", n, side*side)
		}
	}
	b.ReportMetric(float64(change.Milliseconds())/float64(b.N), "change-ms")
	b.ReportMetric(float64(update.Milliseconds())/float64(b.N), "update-ms")
	b.ReportMetric(float64(change)/float64(update), "change/update")
}

// rawAccessUpdate sets the rows of the sessions x users back to
// collaborate in one statement. Both id lists are contiguous (the fixture
// makes them one after another), so a range names them on both databases
// without a dialect's placeholders or list syntax; the owner, made first,
// is outside the users' range.
func rawAccessUpdate(b *testing.B, db *sql.DB, sessions, users []int64) int64 {
	b.Helper()
	q := fmt.Sprintf(`UPDATE memberships SET access = 'collaborate', updated_at = %d
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
