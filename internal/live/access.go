package live

import (
	"context"

	"convene"
)

// batchLookup is the access of a feed's subscribers as read for one
// batch's member.changed: read once, in one query, by the first
// subscriber that reaches the event, for all of them (ten thousand
// subscribers of one session cost one query, not ten thousand).
type batchLookup struct {
	done   chan struct{}            // closed once access or err is set
	subs   map[*Subscription]bool   // the subscriptions of the feed then
	access map[int64]convene.Access // by user
	err    error
}

// lookupsKept bounds how many batch events' lookups a feed keeps: enough
// for subscribers a few batches apart; one further behind reads its own.
const lookupsKept = 8

// accessAt returns the access of s's user in the feed's session as read
// for the batch event eventID. A subscription made after that read (a
// resume, whose own access was read at subscribe) reads its own, so that
// it compares two readings of one moment or later.
func (f *feed) accessAt(ctx context.Context, eventID int64, s *Subscription) (convene.Access, error) {
	f.mu.Lock()
	l, found := f.lookups[eventID]
	if !found {
		l = &batchLookup{done: make(chan struct{}), subs: make(map[*Subscription]bool, len(f.subs))}
		for sub := range f.subs {
			l.subs[sub] = true
		}
		f.lookups[eventID] = l
		f.evictLookups()
		users := f.subscribedUsers()
		f.mu.Unlock()
		// In the feed's context, not the caller's: the others wait on it.
		l.access, l.err = f.hub.log.MembersAccess(f.ctx(), f.sessionID, users)
		close(l.done)
	} else {
		f.mu.Unlock()
	}
	select {
	case <-l.done:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	if l.err != nil {
		f.forgetLookup(eventID, l) // the next to ask reads again
		return "", l.err
	}
	if a, ok := l.access[s.userID]; ok && l.subs[s] {
		return a, nil
	}
	return s.readOwnAccess()
}

// readOwnAccess reads s's user's own access to the feed's session now
// (AccessNone when no member), on its own.
func (s *Subscription) readOwnAccess() (convene.Access, error) {
	own, err := s.feed.hub.log.MembersAccess(s.feed.ctx(), s.feed.sessionID, []int64{s.userID})
	return own[s.userID], err
}

// subscribedUsers lists the users who follow the feed, each once; f.mu
// is held.
func (f *feed) subscribedUsers() []int64 {
	seen := make(map[int64]bool, len(f.subs))
	users := make([]int64, 0, len(f.subs))
	for s := range f.subs {
		if s.userID != 0 && !seen[s.userID] {
			seen[s.userID] = true
			users = append(users, s.userID)
		}
	}
	return users
}

// evictLookups drops the oldest lookups past lookupsKept; f.mu is held.
func (f *feed) evictLookups() {
	for len(f.lookups) > lookupsKept {
		oldest := int64(-1)
		for id := range f.lookups {
			if oldest < 0 || id < oldest {
				oldest = id
			}
		}
		delete(f.lookups, oldest)
	}
}

func (f *feed) forgetLookup(eventID int64, l *batchLookup) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.lookups[eventID] == l {
		delete(f.lookups, eventID)
	}
}
