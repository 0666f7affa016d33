package api

import (
	"context"
	"errors"
	"net"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"convene"
	"convene/internal/live"
)

// directStream is an event stream on a connection it took over, written
// without a goroutine of its own while it keeps up: when the feed has an
// event, the few goroutines that wake the feed's subscribers (live's
// OnWake) write it straight to each ready socket, one write system call
// each, with the event's bytes framed once for all (frames). A socket
// whose buffer is full, or an event that needs a read of the database
// first (a resume behind the ring, a batch's member.changed), sends the
// stream to a goroutine of its own (slow) until it has caught up: there
// each write waits at most the server's write timeout, and a client that
// stops reading is dropped, as every stream always was. So ten thousand
// subscribers of one session cost a few goroutines' work per event, not
// ten thousand goroutines woken, and an idle stream costs no stack.
//
// One party at a time serves a stream: whoever wins busy (a waker, the
// heartbeat, its slow goroutine); a wake meanwhile sets again, so that
// the holder looks once more before it lets go.
type directStream struct {
	srv     *Server
	conn    net.Conn
	raw     syscall.RawConn
	sub     *live.Subscription
	timeout time.Duration

	busy    atomic.Bool // someone serves the stream
	again   atomic.Bool // woken while busy
	stop    atomic.Bool // the server shuts down, or the stream ended
	sent    atomic.Bool // an event went out since the last heartbeat
	beatDue atomic.Bool

	beat       *time.Timer
	unregister func() bool // of OnEndStreams
	// rest is what the socket would not take of a frame, for slow; needRead
	// that the next event needs Next (a read of the database). Both belong
	// to busy's holder.
	rest     []byte
	needRead bool
}

// step is what serving a stream came to.
type step int

const (
	stepIdle step = iota // all sent: let go
	stepSlow             // go on in a goroutine of the stream's own
	stepDone             // the stream ended: close it
)

// startDirect serves sub on conn without a goroutine while idle, and
// reports false when conn gives no file descriptor to write to without
// waiting (a TLS connection): the caller pumps it then.
func (s *Server) startDirect(conn net.Conn, sub *live.Subscription) bool {
	sc, ok := conn.(syscall.Conn)
	if !ok {
		return false
	}
	raw, err := sc.SyscallConn()
	if err != nil {
		return false
	}
	d := &directStream{srv: s, conn: conn, raw: raw, sub: sub, timeout: s.cfg.WriteTimeout}
	d.busy.Store(true) // until the first serve below is done
	d.beat = time.AfterFunc(heartbeat, d.heartbeat)
	d.unregister = s.OnEndStreams(d.shutdown)
	sub.OnWake(d.wake)
	st := d.send([]byte(": connected\n\n"), true)
	if st != stepDone {
		st = d.serve(false)
	}
	d.finish(st)
	return true
}

// wake serves the stream now, unless someone does already.
func (d *directStream) wake() {
	d.again.Store(true)
	if d.busy.CompareAndSwap(false, true) {
		d.again.Store(false)
		d.finish(d.serve(false))
	}
}

// finish acts on st as busy's holder: it lets go when all is sent (and
// serves again if woken meanwhile), hands over to slow, or closes.
func (d *directStream) finish(st step) {
	for {
		switch st {
		case stepDone:
			d.close() // busy stays set: nobody serves it again
			return
		case stepSlow:
			go d.slow()
			return
		}
		d.busy.Store(false)
		if !d.again.Load() || !d.busy.CompareAndSwap(false, true) {
			return
		}
		d.again.Store(false)
		st = d.serve(false)
	}
}

// slow is the stream's own goroutine while it may wait: it writes the
// rest of a frame and the events that need a read, then serves as a
// waker would and lets go.
func (d *directStream) slow() {
	st := stepIdle
	if len(d.rest) > 0 {
		st, d.rest = d.send(d.rest, true), nil
	}
	if st != stepDone {
		st = d.serve(true)
	}
	d.finish(st)
}

// serve sends what the subscription has ready. Unless mayWait, it never
// waits: it answers stepSlow where it would.
func (d *directStream) serve(mayWait bool) step {
	for !d.stop.Load() {
		e, err := d.next(mayWait)
		switch {
		case err == live.ErrWouldWait:
			d.needRead = true
			return stepSlow
		case err != nil:
			return stepDone // the feed closed, or the log could not be read
		case e == nil:
			if d.beatDue.Swap(false) && !d.sent.Swap(false) {
				return d.send([]byte(": heartbeat\n\n"), mayWait)
			}
			return stepIdle
		}
		d.sent.Store(true)
		if endsStream(e) {
			d.stop.Store(true) // nothing after this event: once it is out, close
		}
		if st := d.send(d.srv.frames.of(e), mayWait); st != stepIdle {
			return st
		}
	}
	return stepDone
}

// next is the subscription's next event: with Next (bounded by the write
// timeout) when an earlier TryNext found it needs a read and mayWait,
// else with TryNext.
func (d *directStream) next(mayWait bool) (*convene.SessionEvent, error) {
	if !d.needRead || !mayWait {
		return d.sub.TryNext()
	}
	ctx, cancel := context.WithTimeout(context.Background(), d.timeout)
	defer cancel()
	e, err := d.sub.Next(ctx)
	if ctx.Err() != nil && err != nil {
		return nil, nil // nothing after all: serve again when woken
	}
	d.needRead = false
	return e, err
}

// send writes p. Unless mayWait it writes what the socket takes now and
// keeps the rest for slow; else it waits for the client at most the
// server's write timeout, and a client that took nothing meanwhile ends
// the stream.
func (d *directStream) send(p []byte, mayWait bool) step {
	if !mayWait {
		rest, err := d.tryWrite(p)
		switch {
		case err != nil:
			return stepDone
		case len(rest) > 0:
			d.rest = append([]byte(nil), rest...)
			return stepSlow
		}
		return stepIdle
	}
	if err := (detached{conn: d.conn, timeout: d.timeout}).send(p); err != nil {
		return stepDone
	}
	if err := d.conn.SetWriteDeadline(time.Time{}); err != nil { // tryWrite must not meet an old deadline
		return stepDone
	}
	return stepIdle
}

// tryWrite writes p in one system call without waiting, and returns what
// the socket did not take. A write deadline left on the connection by a
// write before (the answer's head, net/http's last flush) is lifted once:
// these writes never wait, so they need none.
func (d *directStream) tryWrite(p []byte) (rest []byte, err error) {
	rest, err = d.writeNow(p)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		if err := d.conn.SetWriteDeadline(time.Time{}); err != nil {
			return p, err
		}
		rest, err = d.writeNow(p)
	}
	return rest, err
}

// writeNow is one write system call of p on the socket.
func (d *directStream) writeNow(p []byte) (rest []byte, err error) {
	var n int
	var werr error
	if err := d.raw.Write(func(fd uintptr) bool {
		n, werr = syscall.Write(int(fd), p)
		return true // never wait here: a full socket is slow's
	}); err != nil {
		return p, err
	}
	switch {
	case werr == syscall.EAGAIN || werr == syscall.EINTR:
		return p, nil
	case werr != nil:
		return p, werr
	}
	return p[n:], nil
}

// heartbeat asks for a comment when nothing went out for a heartbeat, so
// that proxies keep an idle stream open; a failed write then drops a
// client that went.
func (d *directStream) heartbeat() {
	if d.stop.Load() {
		return
	}
	d.beatDue.Store(true)
	d.wake()
	d.beat.Reset(heartbeat)
}

// shutdown ends the stream for a graceful shutdown (EndStreams): closing
// the connection also ends a write that waits.
func (d *directStream) shutdown() {
	d.stop.Store(true)
	d.conn.Close()
	d.wake()
}

// close releases the stream: busy's holder calls it once, at its end.
func (d *directStream) close() {
	d.stop.Store(true)
	d.beat.Stop()
	d.unregister()
	d.sub.Close()
	d.conn.Close()
}
