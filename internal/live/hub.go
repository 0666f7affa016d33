// Package live delivers the events of sessions to their subscribers (the
// Server-Sent Events streams of the API), in order, without loss or
// duplicates, resuming from the event log after a reconnect.
//
// The store writes every event in the transaction of its change
// (session_events) and tells the Hub after commit: in process on SQLite
// (sqlstore.DB.OnEvent), through LISTEN/NOTIFY on PostgreSQL
// (postgres.ListenEvents), so that every instance hears of every event.
// A Hub keeps one feed per session with subscribers: one goroutine reads
// the new events once, into a small ring shared by all its subscribers,
// and wakes them. Each subscriber reads from its own cursor, from the ring
// or, when it is further behind (a resume, a slow reader), from the log.
// Nothing is ever queued per subscriber, so a slow one costs nothing and
// never holds up the feed or the store.
package live

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"convene"
)

// FromNow as the after of Subscribe starts after the latest event.
const FromNow = -1

// ErrClosed is what Next returns once the subscription is closed.
var ErrClosed = errors.New("live: subscription closed")

// ringSize is how many recent events a feed keeps in memory.
const ringSize = 256

// pageSize is how many events one read of the log takes at most.
const pageSize = 500

// Hub delivers the events of sessions to subscribers in this process.
type Hub struct {
	log   convene.EventLog
	mu    sync.Mutex
	feeds map[int64]*feed
}

// New returns a hub that reads events from log (the store).
func New(log convene.EventLog) *Hub {
	return &Hub{log: log, feeds: map[int64]*feed{}}
}

// Notify tells the hub that a session's log reached eventID. It never
// blocks: it wakes the session's feed, if any subscriber follows it.
func (h *Hub) Notify(sessionID, eventID int64) {
	h.mu.Lock()
	f := h.feeds[sessionID]
	h.mu.Unlock()
	if f != nil {
		f.poke()
	}
}

// WakeAll makes every feed read the log again, for when notifications may
// have been lost (a listener that reconnected).
func (h *Hub) WakeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, f := range h.feeds {
		f.poke()
	}
}

// Subscribe follows a session's events with ids above after (FromNow: from
// the latest on), as the actor of ctx sees them: another member's access
// events are left out, and a batch's member.changed brings their own
// access event when the batch changed it (from their access now). It checks no access to the session: the caller
// does, before, and ends the stream on an access event "none".
func (h *Hub) Subscribe(ctx context.Context, sessionID, after int64) (*Subscription, error) {
	actor, err := convene.MustActor(ctx)
	if err != nil {
		return nil, err
	}
	if after < 0 {
		if after, err = h.log.LastSessionEvent(ctx, sessionID); err != nil {
			return nil, err
		}
	}
	s := &Subscription{userID: actor.UserID(), tenantID: actor.TenantID, cursor: after, known: convene.AccessNone,
		signal: make(chan struct{}, 1), closed: make(chan struct{})}
	// Read after the cursor, so that a change after it shows in an event.
	if s.userID != 0 {
		own, err := h.log.MembersAccess(ctx, sessionID, []int64{s.userID})
		if err != nil {
			return nil, err
		}
		s.known = own[s.userID]
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	f := h.feeds[sessionID]
	if f == nil {
		f = newFeed(h, sessionID, actor.TenantID)
		h.feeds[sessionID] = f
		go f.run()
	}
	s.feed = f
	f.add(s)
	return s, nil
}

// InProcess is a store that tells of its commits in this process
// (SQLite): the hub then serves this process's subscribers only.
type InProcess interface {
	OnEvent(func(sessionID, eventID int64))
	OnUserEnded(func(userID int64))
	OnUserDemoted(func(userID int64))
}

// Hear makes the hub hear of src's commits: their events, and the users
// they disabled.
func (h *Hub) Hear(src InProcess) {
	src.OnEvent(h.Notify)
	src.OnUserEnded(h.EndUser)
	src.OnUserDemoted(h.RecheckUser)
}

// EndUser ends every subscription of the user userID, whatever session it
// follows and whether or not they are a member of it (a Tenant Admin
// watching a session): each one's next event is their access event
// "none". For a user who was disabled (the store calls it after commit,
// on every instance).
func (h *Hub) EndUser(userID int64) {
	h.eachOf(userID, func(s *Subscription) { s.ended.Store(true) })
}

// RecheckUser has every subscription of the user userID check, before its
// next event, that they are still a member of its session, and end with
// access "none" where not: for a user whose role no longer shows them
// every session (a Tenant Admin made a member).
func (h *Hub) RecheckUser(userID int64) {
	h.eachOf(userID, func(s *Subscription) { s.recheck.Store(true) })
}

// eachOf marks with mark, and wakes, every subscription of the user
// userID (never the system's, 0), in every feed.
func (h *Hub) eachOf(userID int64, mark func(*Subscription)) {
	h.mu.Lock()
	feeds := make([]*feed, 0, len(h.feeds))
	for _, f := range h.feeds {
		feeds = append(feeds, f)
	}
	h.mu.Unlock()
	for _, f := range feeds {
		f.mu.RLock()
		var theirs []*Subscription
		for s := range f.subs {
			if s.userID == userID && s.userID != 0 {
				mark(s)
				s.wake()
				theirs = append(theirs, s)
			}
		}
		f.mu.RUnlock()
		wakeHooks(theirs)
	}
}

// Subscribers is how many subscriptions of this process follow a session.
func (h *Hub) Subscribers(sessionID int64) int {
	h.mu.Lock()
	f := h.feeds[sessionID]
	h.mu.Unlock()
	if f == nil {
		return 0
	}
	f.mu.RLock()
	defer f.mu.RUnlock()
	return len(f.subs)
}

// leave takes s off its feed, and stops the feed when s was the last.
func (h *Hub) leave(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f := s.feed
	if f.remove(s) == 0 && h.feeds[f.sessionID] == f {
		delete(h.feeds, f.sessionID)
		close(f.done)
	}
}

// retry waits d or until done closes, reporting whether to go on.
func retry(done <-chan struct{}, d time.Duration, err error) bool {
	select {
	case <-done: // the last subscriber left meanwhile: the error is no news
		return false
	default:
	}
	slog.Warn("live: reading the event log failed; retrying", "err", err, "in", d)
	select {
	case <-done:
		return false
	case <-time.After(d):
		return true
	}
}
