package postgres_test

import (
	"testing"

	"convene"
	"convene/internal/postgres"
	"convene/internal/storetest"
)

// openStore opens a fresh migrated database for the conformance suite; it
// skips the test when CONVENE_TEST_POSTGRES is unset (and fails under CI).
func openStore(t testing.TB) convene.Store { return postgres.OpenTestDB(t) }

func TestStore(t *testing.T) { storetest.RunAll(t, openStore) }

func BenchmarkGrant(b *testing.B) { storetest.BenchmarkGrant(b, openStore) }

// TestGrantHTTP runs the multi-invite through the HTTP API, up to 1,000 x 1,000.
func TestGrantHTTP(t *testing.T) { storetest.TestGrantHTTP(t, openStore) }

func BenchmarkGrantHTTP(b *testing.B) { storetest.BenchmarkGrantHTTP(b, openStore, copyRaw) }

func BenchmarkBaseline(b *testing.B) { storetest.BenchmarkBaseline(b, openStore, copyRaw) }
func BenchmarkRateTake(b *testing.B) { storetest.BenchmarkRateTake(b, openStore) }
