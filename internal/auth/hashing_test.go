package auth

import (
	"runtime"
	"sync"
	"testing"
)

// TestHashingIsBounded: 16 passwords hashed and checked at once all
// succeed, and never more than the CPUs' number of argon2id computations
// run together.
func TestHashingIsBounded(t *testing.T) {
	const callers = 16 // eight times the slots of a 2-core machine
	hashing.peak.Store(0)
	hashes := make([]string, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			h, err := HashPassword("correct horse battery staple")
			if err != nil {
				t.Errorf("HashPassword: %v", err)
			}
			hashes[i] = h
		})
	}
	wg.Wait()
	for i := range callers {
		wg.Go(func() {
			if !CheckPassword("correct horse battery staple", hashes[i]) {
				t.Errorf("CheckPassword of hash %d: false, want true", i)
			}
		})
	}
	wg.Wait()
	if peak, bound := hashing.peak.Load(), int64(runtime.GOMAXPROCS(0)); peak > bound || peak < 1 {
		t.Errorf("%d hashes ran at once at the peak, want 1 to %d (the CPUs)", peak, bound)
	}
	if n := hashing.inFlight.Load(); n != 0 {
		t.Errorf("%d hashing slots still taken after every call returned", n)
	}
}
