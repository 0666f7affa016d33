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
// that memory is.
func BenchmarkSSEFanOut(b *testing.B) {
	n := 200
	if v, err := strconv.Atoi(os.Getenv(sseSubscribersEnv)); err == nil && v > 0 {
		n = v
	}
	for b.Loop() {
		// A fresh server each time: streams closed by the last round would
		// linger in its memory until their next heartbeat.
		srv := startServer(b, withAcme(b, newDB(b)))
		admin := signIn(b, srv.url)
		session := id(admin.must("POST", "/api/v1/sessions", obj{"title": "Fan-out"}, 201)["id"])
		token, _ := admin.must("POST", "/api/v1/tokens", obj{"name": "fan-out"}, 201)["token"].(string)
		path := "/api/v1/sessions/" + session + "/events"
		before := residentBytes(b, srv.cmd.Process.Pid)
		g0, st0 := serverMetric(b, srv.url, "go_goroutines"), serverMetric(b, srv.url, "go_memstats_stack_inuse_bytes")
		streams := openStreams(b, srv.url, path, token, n)
		added := residentBytes(b, srv.cmd.Process.Pid) - before
		b.ReportMetric((serverMetric(b, srv.url, "go_goroutines")-g0)/float64(n), "goroutines/stream")
		b.ReportMetric((serverMetric(b, srv.url, "go_memstats_stack_inuse_bytes")-st0)/float64(n), "stack-B/stream")
		written := time.Now()
		admin.must("POST", "/api/v1/sessions/"+session+"/notes", obj{"title": "For everyone"}, 201)
		lat := awaitEvent(b, streams, "note.created", written)
		for _, s := range streams {
			s.Close()
		}
		srv.stop()
		b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
		b.ReportMetric(ms(lat[len(lat)*99/100]), "p99-ms")
		b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
		b.ReportMetric(float64(added)/float64(n), "B/stream")
	}
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

// awaitEvent waits until every stream has read the event named name and
// returns, sorted, the time each took since written.
func awaitEvent(tb testing.TB, streams []*stream, name string, written time.Time) []time.Duration {
	tb.Helper()
	lat := make([]time.Duration, len(streams))
	var wg sync.WaitGroup
	errs := make(chan error, len(streams))
	for i, s := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = s.SetReadDeadline(time.Now().Add(time.Minute))
			if _, err := s.readUntil("event: " + name); err != nil {
				errs <- fmt.Errorf("stream %d: %w", i, err)
				return
			}
			lat[i] = time.Since(written)
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		tb.Fatalf("await %s: %v", name, err)
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
