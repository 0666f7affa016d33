package postgres_test

import (
	"testing"

	"convene/internal/storetest"
)

// The CSV download of a batch's pairs over HTTP (docs/perf.md);
// CONVENE_BENCH_BIG=1 for a million pairs.

func TestBatchPairsCSVHTTP(t *testing.T)      { storetest.TestBatchPairsCSVHTTP(t, openStore) }
func BenchmarkBatchPairsCSVHTTP(b *testing.B) { storetest.BenchmarkBatchPairsCSVHTTP(b, openStore) }
