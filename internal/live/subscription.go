package live

import (
	"context"
	"sync"

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
	if e := s.owed; e != nil {
		s.owed = nil
		return e, nil
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
			owed, err := s.ownAccess(ctx, e)
			if err != nil {
				return nil, err // e stays first: a retry, or a resume after it, reads it again
			}
			s.pending, s.cursor, s.owed = s.pending[1:], e.ID, owed
			return e, nil
		}
		if err := s.fill(ctx); err != nil {
			return nil, err
		}
		if len(s.pending) > 0 {
			continue
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
	return &convene.SessionEvent{SessionID: e.SessionID, ID: e.ID, TenantID: e.TenantID, Name: convene.EventAccess,
		Data: []byte(`{"access":"` + string(a) + `"}`), UserID: s.userID, CreatedAt: e.CreatedAt}, nil
}

// fill takes the events above the cursor from the feed's ring or, when the
// ring has moved past it, a page of them from the log.
func (s *Subscription) fill(ctx context.Context) error {
	select {
	case <-s.closed:
		return ErrClosed
	default:
	}
	evs, behind := s.feed.after(s.cursor)
	if behind {
		var err error
		evs, err = s.feed.hub.log.SessionEventsAfter(convene.NewSystemContext(ctx, s.tenantID), s.feed.sessionID, s.cursor, pageSize)
		if err != nil {
			return err
		}
	}
	s.pending = evs
	return nil
}

// Close ends the subscription: Next returns ErrClosed. It may be called
// more than once, from any goroutine.
func (s *Subscription) Close() {
	s.once.Do(func() {
		close(s.closed)
		s.feed.hub.leave(s)
	})
}
