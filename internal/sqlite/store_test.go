package sqlite_test

import (
	"testing"

	"convene"
	"convene/internal/sqlite"
	"convene/internal/storetest"
)

// openStore opens a fresh migrated database for the conformance suite.
func openStore(t testing.TB) convene.Store { return sqlite.OpenTestDB(t) }

func TestStore(t *testing.T) { storetest.RunAll(t, openStore) }

func BenchmarkGrant(b *testing.B) { storetest.BenchmarkGrant(b, openStore) }

// TestGrantHTTP runs the multi-invite through the HTTP API, up to 1,000 x 1,000.
func TestGrantHTTP(t *testing.T) { storetest.TestGrantHTTP(t, openStore) }

func BenchmarkGrantHTTP(b *testing.B) { storetest.BenchmarkGrantHTTP(b, openStore, insertRaw) }

func BenchmarkBaseline(b *testing.B) { storetest.BenchmarkBaseline(b, openStore, insertRaw) }
func BenchmarkRateTake(b *testing.B) { storetest.BenchmarkRateTake(b, openStore) }
