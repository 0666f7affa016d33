//go:build linux

package main_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// sseSubscribersEnv sets how many event streams BenchmarkSSEFanOut opens
// on one session (default 200, so that CI runs it in seconds; 1,000 and
// 10,000 on demand).
const sseSubscribersEnv = "CONVENE_SSE_SUBSCRIBERS"

// BenchmarkSSEFanOut: N event streams of one session on one "convene
// serve" (SQLite, loopback), each its own TCP connection; one note is
// written; measured is the time from just before the write until each
// stream has read its note.created (p50, p99, max), and what the streams
// add to the server's resident memory (VmRSS of the server process, read
// from /proc once all streams are open, minus before), per stream. The
// server is a separate process, so the clients' own memory is not counted;
// its goroutines and goroutine stacks per stream (from /metrics) say where
// that memory is. Beside it, in each round, the bare server does the same
// fan-out with no server code (bareFanOut): p99/floor is how far above
// this machine's floor convene's p99 is. Each figure is its median over
// the rounds (-benchtime 3x: three rounds).
func BenchmarkSSEFanOut(b *testing.B) {
	n := 200
	if v, err := strconv.Atoi(os.Getenv(sseSubscribersEnv)); err == nil && v > 0 {
		n = v
	}
	var m medians // each figure's median over the rounds: one round is at the mercy of the host's noise
	for b.Loop() {
		// A fresh server each time: streams closed by the last round would
		// linger in its memory until their next heartbeat.
		// The token is made before the server starts, and no one signs in:
		// a password's hash takes tens of megabytes for a moment, which the
		// server would hold in its resident memory while it is measured.
		db := withAcme(b, newDB(b))
		token := strings.TrimSpace(mustRun(b, nil, "token", "create", "--db", db, "--tenant", "acme", "--user", acmeAdmin).stdout)
		srv := startServer(b, db)
		admin := newAPI(b, srv.url)
		admin.bearer = token
		session := id(admin.must("POST", "/api/v1/sessions", obj{"title": "Fan-out"}, 201)["id"])
		path := "/api/v1/sessions/" + session + "/events"
		// Memory per stream is what the second half of the streams adds:
		// by then the server has collected its start's garbage, which a
		// reading before the first stream would count against the streams.
		half := openStreams(b, srv.url, path, token, n/2)
		before := residentBytes(b, srv.cmd.Process.Pid)
		g0, st0 := serverMetric(b, srv.url, "go_goroutines"), serverMetric(b, srv.url, "go_memstats_stack_inuse_bytes")
		streams := append(half, openStreams(b, srv.url, path, token, n-n/2)...)
		added := residentBytes(b, srv.cmd.Process.Pid) - before
		m.note("goroutines/stream", (serverMetric(b, srv.url, "go_goroutines")-g0)/float64(n-n/2))
		m.note("stack-B/stream", (serverMetric(b, srv.url, "go_memstats_stack_inuse_bytes")-st0)/float64(n-n/2))
		lat := awaitEvent(b, streams, "note.created", func() {
			admin.must("POST", "/api/v1/sessions/"+session+"/notes", obj{"title": "For everyone"}, 201)
		})
		for _, s := range streams {
			s.Close()
		}
		srv.stop()
		floor := bareFanOut(b, n)
		m.note("first-ms", ms(lat[0])) // the write itself, before any fan-out
		m.note("p50-ms", ms(lat[len(lat)/2]))
		m.note("p99-ms", ms(lat[len(lat)*99/100]))
		m.note("max-ms", ms(lat[len(lat)-1]))
		m.note("floor-p50-ms", ms(floor[len(floor)/2]))
		m.note("floor-p99-ms", ms(floor[len(floor)*99/100]))
		m.note("p99/floor", float64(lat[len(lat)*99/100])/float64(floor[len(floor)*99/100]))
		m.note("B/stream", float64(added)/float64(n-n/2))
	}
	m.report(b)
}

// medians gathers a benchmark's figures round by round and reports the
// median of each.
type medians struct {
	names  []string
	values map[string][]float64
}

func (m *medians) note(name string, v float64) {
	if m.values == nil {
		m.values = map[string][]float64{}
	}
	if _, ok := m.values[name]; !ok {
		m.names = append(m.names, name)
	}
	m.values[name] = append(m.values[name], v)
}

func (m *medians) report(b *testing.B) {
	for _, name := range m.names {
		vs := slices.Sorted(slices.Values(m.values[name]))
		b.ReportMetric(vs[len(vs)/2], name)
	}
}

// bareFanOut is the same fan-out of one event to n streams, measured the
// same way, from the bare server (bare_fanout_linux_test.go): what this
// machine's loopback and the clients cost with no server code at all, the
// floor the fan-out of convene serve is compared with in the same run.
func bareFanOut(b *testing.B, n int) []time.Duration {
	bare := startBareServer(b)
	streams := openStreams(b, bare.url, "/events", "none", n)
	lat := awaitEvent(b, streams, "note.created", func() { bare.writeAll(b) })
	for _, s := range streams {
		s.Close()
	}
	bare.stop()
	return lat
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// openStreams opens n event streams, each on its own connection, and
// returns once every one has its answer's headers and the server's first
// comment: from then on its subscription is in place.
func openStreams(tb testing.TB, base, path, token string, n int) []*stream {
	tb.Helper()
	addr := strings.TrimPrefix(base, "http://")
	streams := make([]*stream, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	// A few dialers at a time: the server's accept queue is bounded.
	sem := make(chan struct{}, 64)
	for i := range streams {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s, err := openStream(addr, path, token)
			if err != nil {
				errs <- err
				return
			}
			streams[i] = s
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		tb.Fatalf("open the event streams: %v", err)
	}
	return streams
}

// stream is one open event stream: its connection and a small reader.
type stream struct {
	net.Conn
	r *bufio.Reader
}

func openStream(addr, path, token string) (*stream, error) {
	c, err := net.DialTimeout("tcp", addr, 30*time.Second)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n", path, addr, token)
	s := &stream{Conn: c, r: bufio.NewReaderSize(c, 512)}
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	res, err := http.ReadResponse(s.r, nil)
	if err != nil {
		c.Close()
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		c.Close()
		return nil, fmt.Errorf("event stream answered %s", res.Status)
	}
	if _, err := s.readUntil(": connected"); err != nil {
		c.Close()
		return nil, err
	}
	return s, nil
}

// readUntil reads lines (chunked framing and all: the marker is matched
// anywhere in a line) until one holds marker.
func (s *stream) readUntil(marker string) (string, error) {
	for {
		line, err := s.r.ReadString('\n')
		if err != nil {
			return "", err
		}
		if strings.Contains(line, marker) {
			return line, nil
		}
	}
}

// awaitEvent makes write, and waits until every stream has read the event
// named name: it returns, sorted, the time each took from just before the
// write until the event's bytes arrived at its socket (arrivals, which
// poll from before the write on).
func awaitEvent(tb testing.TB, streams []*stream, name string, write func()) []time.Duration {
	tb.Helper()
	a, err := watchArrivals(streams, "event: "+name+"\n")
	if err != nil {
		tb.Fatalf("poll the streams: %v", err)
	}
	wait := a.start(time.Now().Add(time.Minute))
	written := time.Now()
	write()
	at, err := wait()
	if err != nil {
		tb.Fatalf("await %s: %v", name, err)
	}
	lat := make([]time.Duration, len(at))
	for i, t := range at {
		lat[i] = t.Sub(written)
	}
	slices.Sort(lat)
	return lat
}

// residentBytes is the resident memory (VmRSS) of process pid.
func residentBytes(tb testing.TB, pid int) int64 {
	tb.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatalf("read the server's memory: %v", err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				tb.Fatalf("VmRSS %q: %v", v, err)
			}
			return kb * 1024
		}
	}
	tb.Fatal("no VmRSS in /proc/<pid>/status")
	return 0
}

// serverMetric reads one value of the server's /metrics, such as
// go_goroutines or go_memstats_stack_inuse_bytes.
func serverMetric(tb testing.TB, base, name string) float64 {
	tb.Helper()
	res, err := http.Get(base + "/metrics")
	if err != nil {
		tb.Fatalf("GET /metrics: %v", err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				tb.Fatalf("%s %q: %v", name, v, err)
			}
			return f
		}
	}
	tb.Fatalf("/metrics has no %s", name)
	return 0
}
