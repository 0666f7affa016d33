//go:build linux

package main_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"time"
)

// arrivals is the benchmark's measuring instrument: it waits on every
// stream's socket at once with epoll, in one goroutine per core, reads the
// bytes of each socket as they arrive and notes when each stream's event
// came in. Ten thousand reading goroutines would spend on the same two
// cores as the server the time they are meant to measure; this reader
// costs one read system call per stream and still tells when the event's
// bytes reached each subscriber's socket.
type arrivals struct {
	marker []byte      // what the awaited event's bytes hold, such as "event: note.created\n"
	fds    []int       // by stream
	tails  [][]byte    // by stream: what was read so far that may start the marker
	at     []time.Time // by stream: when its marker arrived (zero: not yet)
}

// watchArrivals prepares to note when each of streams reads marker. The
// streams' connections stay theirs: only their descriptors are polled
// (they are non-blocking already, Go's own poller does not mind).
func watchArrivals(streams []*stream, marker string) (*arrivals, error) {
	a := &arrivals{marker: []byte(marker), fds: make([]int, len(streams)),
		tails: make([][]byte, len(streams)), at: make([]time.Time, len(streams))}
	for i, s := range streams {
		if n := s.r.Buffered(); n > 0 { // what openStream's reader took past ": connected"
			a.tails[i], _ = s.r.Peek(n)
			a.tails[i] = bytes.Clone(a.tails[i])
		}
		raw, err := s.Conn.(syscall.Conn).SyscallConn()
		if err != nil {
			return nil, err
		}
		if err := raw.Control(func(fd uintptr) { a.fds[i] = int(fd) }); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// start registers the streams with one epoll set per core, before the
// write, and polls them until every stream has its marker or deadline
// passes, in goroutines of their own; wait returns when each stream's
// marker came.
func (a *arrivals) start(deadline time.Time) (wait func() ([]time.Time, error)) {
	workers := runtime.GOMAXPROCS(0)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		ep, left, err := a.register(w, workers)
		if err != nil {
			errs[w] = err
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer syscall.Close(ep)
			errs[w] = a.poll(ep, left, deadline)
		}()
	}
	return func() ([]time.Time, error) {
		wg.Wait()
		return a.at, errors.Join(errs...)
	}
}

// register makes an epoll set of the streams w, w+workers, ...
func (a *arrivals) register(w, workers int) (ep, count int, err error) {
	if ep, err = syscall.EpollCreate1(syscall.EPOLL_CLOEXEC); err != nil {
		return 0, 0, err
	}
	for i := w; i < len(a.fds); i += workers {
		if bytes.Contains(a.tails[i], a.marker) {
			syscall.Close(ep)
			return 0, 0, fmt.Errorf("stream %d had its event before the write", i)
		}
		if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_ADD, a.fds[i], oneShot(i)); err != nil {
			syscall.Close(ep)
			return 0, 0, err
		}
		count++
	}
	return ep, count, nil
}

// oneShot is the epoll registration of stream i: reported once, so that
// a stream that has its event costs no further system call to take off.
func oneShot(i int) *syscall.EpollEvent {
	return &syscall.EpollEvent{Events: syscall.EPOLLIN | syscall.EPOLLRDHUP | syscall.EPOLLONESHOT, Fd: int32(i)}
}

// poll waits on ep until its left streams have their marker.
func (a *arrivals) poll(ep, left int, deadline time.Time) error {
	events := make([]syscall.EpollEvent, 256)
	buf := make([]byte, 4096)
	for left > 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("%d streams never had their event", left)
		}
		n, err := syscall.EpollWait(ep, events, 100)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		for _, ev := range events[:n] {
			done, err := a.read(int(ev.Fd), buf)
			if err != nil {
				return err
			}
			if done {
				left--
			} else if err := syscall.EpollCtl(ep, syscall.EPOLL_CTL_MOD, a.fds[ev.Fd], oneShot(int(ev.Fd))); err != nil {
				return err
			}
		}
	}
	return nil
}

// read takes what stream i's socket holds and reports whether its marker
// is now in: its arrival is noted then.
func (a *arrivals) read(i int, buf []byte) (bool, error) {
	n, err := syscall.Read(a.fds[i], buf)
	switch {
	case err == syscall.EAGAIN || err == syscall.EINTR:
		return false, nil
	case err != nil:
		return false, fmt.Errorf("stream %d: %w", i, err)
	case n == 0:
		return false, fmt.Errorf("stream %d: closed before its event", i)
	}
	got := append(a.tails[i], buf[:n]...)
	if bytes.Contains(got, a.marker) {
		a.at[i] = time.Now()
		return true, nil
	}
	// Keep only what could be the start of a marker split across reads.
	a.tails[i] = bytes.Clone(got[max(0, len(got)-len(a.marker)):])
	return false, nil
}
