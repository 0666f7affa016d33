package live

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"convene"
)

// Subscription follows one session for one subscriber, from its cursor:
// the id of the last event it was given.
type Subscription struct {
	feed     *feed
	userID   int64 // 0 for the system, which sees every event
	tenantID int64
	cursor   int64
	known    convene.Access        // the subscriber's own access as last told (AccessNone: no member)
	owed     *convene.SessionEvent // their access event, due after the batch event just returned
	pending  []*convene.SessionEvent
	signal   chan struct{} // capacity 1: the feed knows more
	closed   chan struct{}
	once     sync.Once
	onWake   atomic.Pointer[func()] // OnWake's hook
	ended    atomic.Bool            // the user was disabled (Hub.EndUser): access none is due
	recheck  atomic.Bool            // the user was demoted (Hub.RecheckUser): are they still a member?
	toldEnd  bool                   // ... and was returned
}

// Cursor returns the id of the last event Next returned (or the after of
// Subscribe): what a client resumes from (Last-Event-ID).
func (s *Subscription) Cursor() int64 { return s.cursor }

// Next returns the next event, waiting for one until ctx ends (ctx.Err())
// or the subscription is closed (ErrClosed). Events come in id order, each
// once, first the ones logged since the cursor, then new ones as they
// commit. A batch's member.changed is followed, when the batch changed the
// subscriber's own access, by their access event, with the same id.
func (s *Subscription) Next(ctx context.Context) (*convene.SessionEvent, error) {
	for {
		e, err := s.next(ctx, true)
		if e != nil || err != nil {
			return e, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-s.closed:
			return nil, ErrClosed
		case <-s.signal:
		}
	}
}

// ErrWouldWait is what TryNext returns when the next event needs a read
// of the database first (a subscriber behind the ring, or a batch's
// member.changed): Next gets it.
var ErrWouldWait = errors.New("live: the next event needs a read of the log")

// TryNext is Next without waiting: the next event when the feed's ring
// has it and it needs no read of the database, nil when there is none yet
// (OnWake tells when there may be), ErrWouldWait when Next must get it.
// The event returned is the ring's own, shared by every subscriber: it
// must not be changed.
func (s *Subscription) TryNext() (*convene.SessionEvent, error) {
	return s.next(context.Background(), false)
}

// next returns the next event known now, or nil; it reads the database
// (the log, a batch's access) only when mayRead, else answers
// ErrWouldWait and leaves the event to a next that may.
func (s *Subscription) next(ctx context.Context, mayRead bool) (*convene.SessionEvent, error) {
	if e := s.owed; e != nil {
		s.owed = nil
		return e, nil
	}
	if s.recheck.Load() {
		if !mayRead {
			return nil, ErrWouldWait
		}
		if err := s.checkMember(); err != nil {
			return nil, err
		}
	}
	if s.ended.Load() && !s.toldEnd {
		s.toldEnd = true
		return s.accessEvent(convene.AccessNone, s.cursor, time.Now()), nil
	}
	for {
		for len(s.pending) > 0 {
			e := s.pending[0]
			if e.ID <= s.cursor {
				s.pending = s.pending[1:]
				continue
			}
			if !e.For(s.userID) {
				s.pending, s.cursor = s.pending[1:], e.ID
				continue
			}
			if !mayRead && s.mustRead(e) {
				return nil, ErrWouldWait
			}
			owed, err := s.ownAccess(ctx, e)
			if err != nil {
				return nil, err // e stays first: a retry, or a resume after it, reads it again
			}
			s.pending, s.cursor, s.owed = s.pending[1:], e.ID, owed
			return e, nil
		}
		more, err := s.fill(ctx, mayRead)
		if err != nil || !more {
			return nil, err
		}
	}
}

// ownAccess keeps up the subscriber's known access through e, and returns
// the access event due to them when e is a batch's member.changed that
// changed it: a batch logs one event per session for all its people, and
// each subscriber learns its own access then (one query for all of a
// feed's subscribers, feed.accessAt).
func (s *Subscription) ownAccess(ctx context.Context, e *convene.SessionEvent) (*convene.SessionEvent, error) {
	if a := e.AccessOf(); a != "" && e.UserID == s.userID {
		s.known = a
		return nil, nil
	}
	if s.userID == 0 || e.BatchOf() == 0 {
		return nil, nil
	}
	a, err := s.feed.accessAt(ctx, e.ID, s)
	if err != nil || a == s.known {
		return nil, err
	}
	s.known = a
	return s.accessEvent(a, e.ID, e.CreatedAt), nil
}

// checkMember answers a RecheckUser: a subscriber who is no member of the
// session any more (their role showed it to them) ends as a disabled one
// does. On an error the check stays due, for the next call.
func (s *Subscription) checkMember() error {
	a, err := s.readOwnAccess()
	if err != nil {
		return err
	}
	s.recheck.Store(false)
	if a == convene.AccessNone {
		s.ended.Store(true)
	}
	return nil
}

// mustRead reports whether ownAccess reads the database for e: a batch's
// member.changed, for a subscriber who is someone.
func (s *Subscription) mustRead(e *convene.SessionEvent) bool {
	return s.userID != 0 && e.BatchOf() != 0
}

// accessEvent is the subscriber's own access event telling a, with the
// id of the event that brought it.
func (s *Subscription) accessEvent(a convene.Access, id int64, at time.Time) *convene.SessionEvent {
	return &convene.SessionEvent{SessionID: s.feed.sessionID, ID: id, TenantID: s.tenantID, Name: convene.EventAccess,
		Data: []byte(`{"access":"` + string(a) + `"}`), UserID: s.userID, CreatedAt: at}
}

// fill takes the events above the cursor from the feed's ring or, when the
// ring has moved past it, a page of them from the log (ErrWouldWait unless
// mayRead). It reports whether it found any.
func (s *Subscription) fill(ctx context.Context, mayRead bool) (bool, error) {
	select {
	case <-s.closed:
		return false, ErrClosed
	default:
	}
	evs, behind := s.feed.after(s.cursor)
	if behind && !mayRead {
		return false, ErrWouldWait
	}
	if behind {
		var err error
		evs, err = s.feed.hub.log.SessionEventsAfter(convene.NewSystemContext(ctx, s.tenantID), s.feed.sessionID, s.cursor, pageSize)
		if err != nil {
			return false, err
		}
	}
	s.pending = evs
	return len(evs) > 0, nil
}

// OnWake sets fn to be called, besides Next's own waking, whenever the
// feed may have a new event for s, or s must end: from a few goroutines
// that wake all of a feed's subscribers between them, so fn must not
// wait (it may call TryNext). Set it before the first event is due.
func (s *Subscription) OnWake(fn func()) { s.onWake.Store(&fn) }

// wake tells s that there may be more to read.
func (s *Subscription) wake() {
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

// woken calls the OnWake hook, if any.
func (s *Subscription) woken() {
	if fn := s.onWake.Load(); fn != nil {
		(*fn)()
	}
}

// Close ends the subscription: Next returns ErrClosed. It may be called
// more than once, from any goroutine.
func (s *Subscription) Close() {
	s.once.Do(func() {
		close(s.closed)
		s.feed.hub.leave(s)
	})
}
