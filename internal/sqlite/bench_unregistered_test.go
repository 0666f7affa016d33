package sqlite_test

import (
	"testing"

	"convene/internal/storetest"
)

// The benchmarks of contract section 14 (docs/perf.md); CONVENE_BENCH_BIG=1
// for the sizes there (1,000 x 1,000 pairs, 10,000 rows).

func BenchmarkPreviewVsGrant(b *testing.B) { storetest.BenchmarkPreviewVsGrant(b, openStore) }
func BenchmarkBatchPairsCSV(b *testing.B)  { storetest.BenchmarkBatchPairsCSV(b, openStore) }
func BenchmarkImportUsers(b *testing.B)    { storetest.BenchmarkImportUsers(b, openStore) }
