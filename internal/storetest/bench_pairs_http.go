package storetest

import (
	"bufio"
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"convene"
)

// The CSV download of a batch's pairs through the HTTP API (issue 11:
// "1M pairs without holding them in memory"), against the store streaming
// the same rows through encoding/csv to nowhere (BenchmarkBatchPairsCSV).

// pairsCSVHTTP downloads the pairs of batch id as CSV through
// GET /api/v1/invitations/batches/{id}/pairs.csv as the Tenant Admin,
// reading the body as it streams, and returns its data rows and bytes.
// It fails t unless the answer is text/csv with the contract's header.
func pairsCSVHTTP(t testing.TB, f *Fixture, id int64) (rows, size int) {
	t.Helper()
	api := f.api(t)
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet,
		api.srv.URL+"/api/v1/invitations/batches/"+strconv.FormatInt(id, 10)+"/pairs.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+api.token)
	res, err := api.srv.Client().Do(req)
	if err != nil {
		t.Fatalf("GET pairs.csv: %v", err)
	}
	defer res.Body.Close()
	if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "text/csv") {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 500))
		t.Fatalf("GET pairs.csv: %d %s %s", res.StatusCode, ct, body)
	}
	counted := &countingReader{r: res.Body}
	sc := bufio.NewScanner(counted)
	if !sc.Scan() || sc.Text() != strings.Join(convene.PairCSVHeader, ",") {
		t.Fatalf("pairs.csv starts with %q, want the header", sc.Text())
	}
	for sc.Scan() {
		rows++
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading pairs.csv: %v", err)
	}
	return rows, counted.n
}

type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// storePairsCSV is what the download asks of the store: every row of
// batch id through encoding/csv, to nowhere.
func storePairsCSV(t testing.TB, f *Fixture, id int64) int {
	t.Helper()
	rows, err := f.Store.BatchPairs(As(f.Admin), id, convene.PairFilter{})
	if err != nil {
		t.Fatalf("BatchPairs: %v", err)
	}
	w := csv.NewWriter(io.Discard)
	w.Write(convene.PairCSVHeader)
	n := 0
	for r := range rows {
		w.Write(r.CSVRecord())
		n++
	}
	w.Flush()
	return n
}

// TestBatchPairsCSVHTTP downloads the CSV of a 20 x 20 batch with one
// person skipped over HTTP: every pair and the skipped entry, as the store
// streams them. It keeps BenchmarkBatchPairsCSVHTTP from rotting.
func TestBatchPairsCSVHTTP(t *testing.T, open Opener) {
	f := newFixture(t, open)
	users := f.Users(t, "u", 20)
	batch := f.Grant(t, f.Admin, convene.GrantRequest{SessionIDs: ids(f.Sessions(t, f.Admin, 20)),
		Contacts: append(emails(users), "nobody@example.test")})
	rows, size := pairsCSVHTTP(t, f, batch.ID)
	if want := storePairsCSV(t, f, batch.ID); rows != want || rows != 20*20+1 {
		t.Errorf("the download has %d rows (%d bytes), the store %d, want %d", rows, size, want, 20*20+1)
	}
}

// BenchmarkBatchPairsCSVHTTP downloads every pair of one side x side
// batch (a million pairs with CONVENE_BENCH_BIG=1) as CSV over HTTP, and,
// in the same iteration, streams them from the store to nowhere, so that
// the ratio holds on a busy machine. It reports both times, pairs/s over
// HTTP, the bytes downloaded, and the growth of the process's peak
// resident set (server and reading client together) during the download.
func BenchmarkBatchPairsCSVHTTP(b *testing.B, open Opener) {
	side := benchSide()
	f := newFixture(b, open)
	batch := f.Grant(b, f.Admin, convene.GrantRequest{SessionIDs: ids(f.Sessions(b, f.Admin, side)), Contacts: emails(f.Users(b, "u", side))})
	f.api(b) // started before the measurement
	var httpTook, storeTook time.Duration
	peak, size := 0.0, 0
	download := func() {
		b.StopTimer()
		measured := resetPeakRSS()
		base := peakRSS()
		b.StartTimer()
		start := time.Now()
		rows, n := pairsCSVHTTP(b, f, batch.ID)
		httpTook += time.Since(start)
		b.StopTimer()
		if measured {
			peak = max(peak, peakRSS()-base)
		}
		if rows != side*side {
			b.Fatalf("%d rows downloaded, want %d", rows, side*side)
		}
		size = n
		b.StartTimer()
	}
	stream := func() {
		runtime.GC() // the download's garbage is not the store's to collect
		start := time.Now()
		storePairsCSV(b, f, batch.ID)
		storeTook += time.Since(start)
	}
	b.ResetTimer()
	for i := range b.N {
		// Each goes first every other time: neither always follows the
		// other's garbage or warms the cache for it.
		if i%2 == 0 {
			download()
			stream()
		} else {
			stream()
			download()
		}
	}
	b.StopTimer()
	n := float64(b.N)
	b.ReportMetric(httpTook.Seconds()/n, "http-s/op")
	b.ReportMetric(storeTook.Seconds()/n, "store-s/op")
	b.ReportMetric(httpTook.Seconds()/storeTook.Seconds(), "http/store")
	b.ReportMetric(float64(side*side)*n/httpTook.Seconds(), "http-pairs/s")
	b.ReportMetric(float64(size)/(1<<20), "MiB-downloaded")
	if peak > 0 {
		b.ReportMetric(peak, "peak-RSS-growth-MiB")
	}
}
