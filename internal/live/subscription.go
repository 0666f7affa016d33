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
// commit.
func (s *Subscription) Next(ctx context.Context) (*convene.SessionEvent, error) {
	for {
		for len(s.pending) > 0 {
			e := s.pending[0]
			s.pending = s.pending[1:]
			if e.ID <= s.cursor {
				continue
			}
			s.cursor = e.ID
			if e.For(s.userID) {
				return e, nil
			}
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
