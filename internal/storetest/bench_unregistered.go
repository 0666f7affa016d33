package storetest

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"convene"
)

// benchSide is the contacts and the sessions of the section 14
// benchmarks: 1,000 (a million pairs) with CONVENE_BENCH_BIG=1, else 100,
// so that a plain -bench run stays short and the code cannot rot.
func benchSide() int {
	if os.Getenv("CONVENE_BENCH_BIG") == "1" {
		return 1000
	}
	return 100
}

// BenchmarkPreviewVsGrant alternates, in each iteration, the preview of a
// side x side multi-invite of fresh people to fresh sessions and the real
// call of the same request, and reports both and their ratio: side by
// side, so that the ratio holds on a busy machine.
func BenchmarkPreviewVsGrant(b *testing.B, open Opener) {
	side := benchSide()
	f := newFixture(b, open)
	var preview, real time.Duration
	for i := range b.N {
		b.StopTimer()
		users := f.Users(b, fmt.Sprintf("r%du", i), side)
		req := convene.GrantRequest{SessionIDs: ids(f.Sessions(b, f.Admin, side)), Contacts: emails(users), DryRun: true}
		b.StartTimer()
		start := time.Now()
		p, err := f.Store.Grant(As(f.Admin), req)
		preview += time.Since(start)
		req.DryRun = false
		start = time.Now()
		g, err2 := f.Store.Grant(As(f.Admin), req)
		real += time.Since(start)
		if err != nil || err2 != nil || p.Counts != g.Counts || g.Counts.Added != side*side {
			b.Fatalf("preview %+v (%v), grant %+v (%v)", p.Counts, err, g.Counts, err2)
		}
	}
	b.ReportMetric(float64(preview.Milliseconds())/float64(b.N), "preview-ms")
	b.ReportMetric(float64(real.Milliseconds())/float64(b.N), "grant-ms")
	b.ReportMetric(float64(preview)/float64(real), "preview/grant")
}

// BenchmarkBatchPairsCSV streams every pair of one side x side batch as
// the pairs CSV to nowhere, and reports pairs/s and the peak resident set
// of the process while streaming, above the one before it.
func BenchmarkBatchPairsCSV(b *testing.B, open Opener) {
	side := benchSide()
	f := newFixture(b, open)
	batch := f.Grant(b, f.Admin, convene.GrantRequest{SessionIDs: ids(f.Sessions(b, f.Admin, side)), Contacts: emails(f.Users(b, "u", side))})
	measured := resetPeakRSS()
	base := peakRSS()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if n := storePairsCSV(b, f, batch.ID); n != side*side {
			b.Fatalf("%d rows, want %d", n, side*side)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(side*side*b.N)/b.Elapsed().Seconds(), "pairs/s")
	if measured {
		b.ReportMetric(peakRSS()-base, "peak-RSS-growth-MiB")
	}
}

// BenchmarkImportUsers parses and imports a file of 10,000 new users
// (1,000 without CONVENE_BENCH_BIG=1), each with a set-password link.
func BenchmarkImportUsers(b *testing.B, open Opener) {
	n := benchSide() * 10
	f := newFixture(b, open)
	for i := range b.N {
		b.StopTimer()
		text := strings.ReplaceAll(importFile(n), "User", fmt.Sprintf("R%dU", i))
		b.StartTimer()
		if res := f.importCSV(b, text, false); res.Created != n {
			b.Fatalf("created %d, want %d", res.Created, n)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "rows/s")
}
