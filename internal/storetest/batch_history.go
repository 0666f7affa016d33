package storetest

import (
	"bytes"
	"encoding/csv"
	"testing"

	"convene"
)

func testBatchHistory(t *testing.T, open Opener) {
	f := newFixture(t, open)
	sa := f.User(t, "Sam", "sam@acme.test", "", convene.RoleSessionAdmin)
	people := f.Users(t, "p", 2)
	ss := f.Sessions(t, f.Admin, 2)
	first := f.Grant(t, sa, convene.GrantRequest{SessionIDs: ids(ss), Contacts: append(emails(people), "late@acme.test")})
	f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(ss[:1]), Contacts: emails(people[:1])})

	mine, _, err := f.Store.FindBatches(As(sa), convene.BatchFilter{})
	if err != nil || len(mine) != 1 || mine[0].ID != first.ID || mine[0].People != 3 || mine[0].Counts.Skipped != 1 {
		t.Fatalf("Session Admin's batches = %+v, %v; want their one, 3 people, 1 skipped", mine, err)
	}
	page, next, err := f.Store.FindBatches(As(f.Admin), convene.BatchFilter{Limit: 1})
	if err != nil || len(page) != 1 || page[0].ID == first.ID || next == "" {
		t.Fatalf("admin's first page = %+v, %q, %v; want the newest", page, next, err)
	}
	if rest, next, _ := f.Store.FindBatches(As(f.Admin), convene.BatchFilter{Cursor: next}); len(rest) != 1 || rest[0].ID != first.ID || next != "" {
		t.Errorf("admin's second page = %+v, %q", rest, next)
	}

	pairs := func(filter convene.PairFilter) []convene.BatchPairRow {
		rows, _, err := f.Store.FindBatchPairs(As(sa), first.ID, filter)
		if err != nil {
			t.Fatalf("FindBatchPairs(%+v): %v", filter, err)
		}
		return rows
	}
	if got := pairs(convene.PairFilter{}); len(got) != 5 {
		t.Errorf("%d rows, want 2x2 pairs and 1 skipped", len(got))
	}
	if got := pairs(convene.PairFilter{Outcome: convene.OutcomeSkipped}); len(got) != 1 || got[0].Contact != "late@acme.test" {
		t.Errorf("skipped rows = %+v", got)
	}
	if got := pairs(convene.PairFilter{Query: "SESSION 1"}); len(got) != 2 {
		t.Errorf("rows of session 1 = %+v, want 2", got)
	}
	if got, next, _ := f.Store.FindBatchPairs(As(sa), first.ID, convene.PairFilter{Limit: 2, Cursor: "4"}); len(got) != 1 || next != "" {
		t.Errorf("last page = %+v, %q", got, next)
	}
	_, _, err = f.Store.FindBatchPairs(As(f.Member(t, "mo")), first.ID, convene.PairFilter{})
	wantCode(t, err, convene.ENOTFOUND)

	f.User(t, "Late", "late@acme.test", "", convene.RoleMember)
	retry, err := f.Store.RetryBatch(As(sa), first.ID, "")
	if err != nil || retry.RetryOf != first.ID || len(retry.Results) != 1 || retry.Counts.Added != 2 {
		t.Fatalf("RetryBatch = %+v, %v; want the late one added to both", retry, err)
	}
	_, err = f.Store.RetryBatch(As(sa), retry.ID, "")
	wantCode(t, err, convene.EINVALID)
	if listed, _, _ := f.Store.FindBatches(As(sa), convene.BatchFilter{}); listed[0].RetryOf != first.ID {
		t.Errorf("listed retry_of = %d, want %d", listed[0].RetryOf, first.ID)
	}
}

func testBatchPairsCSV(t *testing.T, open Opener) {
	f := newFixture(t, open)
	p := f.Member(t, "pia")
	evil := "=HYPERLINK(\"http://evil.test\")"
	s := f.Session(t, f.Admin, evil)
	b := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: []int64{s.ID}, Contacts: []string{p.Email, "+1 324 576 8342"}})
	rows, err := f.Store.BatchPairs(As(f.Admin), b.ID, convene.PairFilter{})
	if err != nil {
		t.Fatalf("BatchPairs: %v", err)
	}
	recs := csvOf(t, rows)
	if len(recs) != 3 || recs[1][4] != "'"+evil || recs[1][5] != "added" || recs[2][1] != "unregistered" || recs[2][5] != "skipped" {
		t.Errorf("CSV = %q; want the formula title escaped, the added pair, the skipped phone", recs)
	}
	n := 0
	for range rows {
		n++
		break // an iterator that stops when told
	}
	if n != 1 {
		t.Errorf("stopped iterator yielded %d", n)
	}
}

// csvOf writes rows as the pairs CSV.
func csvOf(t testing.TB, rows func(yield func(convene.BatchPairRow) bool)) [][]string {
	t.Helper()
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(convene.PairCSVHeader)
	for r := range rows {
		w.Write(r.CSVRecord())
	}
	w.Flush()
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v", err)
	}
	return recs
}
