package postgres_test

import (
	"testing"

	"convene/internal/storetest"
)

// The bulk access change of contract section 15 against the raw bulk
// UPDATE of the same rows (docs/perf.md); CONVENE_BENCH_BIG=1 for 1,000 x
// 1,000.
func BenchmarkChangeAccessVsUpdate(b *testing.B) {
	storetest.BenchmarkChangeAccessVsUpdate(b, openStore)
}
