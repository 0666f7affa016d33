package live

import (
	"context"
	"runtime"
	"sync"
	"time"

	"convene"
)

// feed follows one session for the hub's subscribers: it knows the log up
// to last, keeps the latest events in ring (contiguous ids ending at
// last) and wakes the subscribers when it learns of more.
type feed struct {
	hub       *Hub
	sessionID int64
	tenantID  int64
	wake      chan struct{} // capacity 1: a poke is never lost, never waits
	done      chan struct{} // closed when the last subscriber leaves

	mu      sync.RWMutex
	last    int64
	ring    []*convene.SessionEvent
	subs    map[*Subscription]struct{}
	lookups map[int64]*batchLookup // by batch event id (access.go)
}

func newFeed(h *Hub, sessionID, tenantID int64) *feed {
	return &feed{hub: h, sessionID: sessionID, tenantID: tenantID, wake: make(chan struct{}, 1), done: make(chan struct{}),
		last: -1, subs: map[*Subscription]struct{}{}, lookups: map[int64]*batchLookup{}}
}

func (f *feed) poke() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

func (f *feed) add(s *Subscription) {
	f.mu.Lock()
	f.subs[s] = struct{}{}
	f.mu.Unlock()
}

func (f *feed) remove(s *Subscription) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.subs, s)
	return len(f.subs)
}

// ctx is a context in which the feed reads its session's log.
func (f *feed) ctx() context.Context {
	return convene.NewSystemContext(context.Background(), f.tenantID)
}

// run starts at the head of the log and reads what is new each time it is
// woken, until the last subscriber leaves.
func (f *feed) run() {
	for backoff := 100 * time.Millisecond; ; {
		head, err := f.hub.log.LastSessionEvent(f.ctx(), f.sessionID)
		if err == nil {
			f.mu.Lock()
			f.last = head
			f.mu.Unlock()
			break
		}
		if !retry(f.done, backoff, err) {
			return
		}
		backoff = min(2*backoff, 5*time.Second)
	}
	f.wakeSubscribers()
	for {
		select {
		case <-f.done:
			return
		case <-f.wake:
		}
		if err := f.readNew(); err != nil && !retry(f.done, time.Second, err) {
			return
		} else if err != nil {
			f.poke()
		}
	}
}

// readNew reads the events after last, a page at a time, into the ring,
// waking the subscribers after each page.
func (f *feed) readNew() error {
	for {
		evs, err := f.hub.log.SessionEventsAfter(f.ctx(), f.sessionID, f.last, pageSize)
		if err != nil || len(evs) == 0 {
			return err
		}
		f.mu.Lock()
		if len(f.ring) > 0 && evs[0].ID != f.ring[len(f.ring)-1].ID+1 {
			f.ring = nil // a gap (pruned while nobody read): start afresh
		}
		f.ring = append(f.ring, evs...)
		if n := len(f.ring); n > ringSize {
			f.ring = append([]*convene.SessionEvent(nil), f.ring[n-ringSize:]...)
		}
		f.last = evs[len(evs)-1].ID
		f.mu.Unlock()
		f.wakeSubscribers()
		if len(evs) < pageSize {
			return nil
		}
	}
}

// wakeSubscribers wakes every subscriber: Next's through its signal, and
// those with an OnWake hook (the API's event streams, which write their
// event from it) from one goroutine per core between them, so that ten
// thousand streams cost a few goroutines' work, not ten thousand
// goroutines woken. It returns once every hook returned.
func (f *feed) wakeSubscribers() {
	f.mu.RLock()
	subs := make([]*Subscription, 0, len(f.subs))
	for s := range f.subs {
		s.wake()
		subs = append(subs, s)
	}
	f.mu.RUnlock()
	wakeHooks(subs)
}

// wakeHooks calls the OnWake hooks of subs, on up to GOMAXPROCS
// goroutines, and returns when all are done.
func wakeHooks(subs []*Subscription) {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(subs)/hooksPerWorker))
	wakeEach := func(w int) {
		for i := w; i < len(subs); i += workers {
			subs[i].woken()
		}
	}
	if workers == 1 { // a few: no goroutine is worth starting
		wakeEach(0)
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wakeEach(w)
		}()
	}
	wg.Wait()
}

// hooksPerWorker is how many hooks make another goroutine worth starting.
const hooksPerWorker = 64

// after returns the events above cursor that the ring holds. behind is
// true when the ring starts past cursor+1, so the reader must go to the
// log; neither, when nothing above cursor is known yet.
func (f *feed) after(cursor int64) (evs []*convene.SessionEvent, behind bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	switch {
	case f.last < 0 || cursor >= f.last:
		return nil, false
	case len(f.ring) == 0 || f.ring[0].ID > cursor+1:
		return nil, true
	}
	return f.ring[cursor+1-f.ring[0].ID:], false
}
