//go:build linux

package main_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// bareServerEnv, set in a child of the test binary, makes it the bare
// fan-out server (TestMain) instead of running tests.
const bareServerEnv = "CONVENE_BARE_FANOUT_SERVER"

func init() { childRoles[bareServerEnv] = runBareServer }

// bareFrame is what the bare server writes to each stream: a chunk of
// about the size of a note.created frame of convene serve.
var bareFrame = func() []byte {
	body := "id: 7\nevent: note.created\ndata: " + `{"session_id":1,"note":{"id":1,"title":"For everyone","body":"","version":1,` +
		`"author_id":1,"created_at":"2026-12-03T08:00:00.000000000Z","updated_at":"2026-12-03T08:00:00.000000000Z"}}` + "\n\n"
	return fmt.Appendf(nil, "%x\r\n%s\r\n", len(body), body)
}()

// bareServer is the floor BenchmarkSSEFanOut measures convene serve
// against, side by side: a process of its own that answers every
// connection as an event stream would (the head, ": connected") and,
// when told, writes one frame to every stream from one goroutine per
// core, one non-blocking write(2) each, as convene's wakers do, with no
// HTTP server, feed, database or subscription behind it. Its time is
// what the loopback writes and the clients' reads cost on this machine.
type bareServer struct {
	url   string
	cmd   *exec.Cmd
	stdin io.WriteCloser
	out   *bufio.Reader
}

// startBareServer starts the bare server as a child of the test binary.
func startBareServer(tb testing.TB) *bareServer {
	tb.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(cleanEnv(), bareServerEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		tb.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		tb.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start the bare fan-out server: %v", err)
	}
	s := &bareServer{cmd: cmd, stdin: stdin, out: bufio.NewReader(stdout)}
	tb.Cleanup(s.stop)
	addr, err := s.out.ReadString('\n')
	if err != nil {
		tb.Fatalf("the bare fan-out server gave no address: %v", err)
	}
	s.url = "http://" + strings.TrimSpace(addr)
	return s
}

// writeAll has the server write its frame to every stream it holds and
// returns once it has sent them all.
func (s *bareServer) writeAll(tb testing.TB) {
	tb.Helper()
	if _, err := io.WriteString(s.stdin, "write\n"); err != nil {
		tb.Fatalf("tell the bare server to write: %v", err)
	}
	if line, err := s.out.ReadString('\n'); err != nil || line != "written\n" {
		tb.Fatalf("the bare server answered %q, %v", line, err)
	}
}

func (s *bareServer) stop() {
	s.stdin.Close() // it exits at the end of its input
	s.cmd.Wait()
}

// runBareServer is the bare server's process: it prints its address,
// serves streams until its input ends, and on each "write" line writes
// bareFrame to them all and answers "written".
func runBareServer() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	fmt.Println(ln.Addr())
	var mu sync.Mutex
	var streams []bareStream
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				if s, ok := answerStream(c); ok {
					mu.Lock()
					streams = append(streams, s)
					mu.Unlock()
				}
			}()
		}
	}()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		mu.Lock()
		writeEach(streams, bareFrame)
		mu.Unlock()
		fmt.Println("written")
	}
	mu.Lock()
	defer mu.Unlock()
	for _, s := range streams {
		s.conn.Close()
	}
	return 0
}

// bareStream is one stream of the bare server: its connection, kept so
// that it stays open (a connection nothing refers to is closed by its
// finalizer when collected), and the descriptor the writes go to.
type bareStream struct {
	conn net.Conn
	fd   int
}

// answerStream reads a request's head from c and answers it as an event
// stream.
func answerStream(c net.Conn) (bareStream, bool) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			c.Close()
			return bareStream{}, false
		}
		if line == "\r\n" {
			break
		}
	}
	connected := ": connected\n\n"
	fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", len(connected), connected)
	raw, err := c.(syscall.Conn).SyscallConn()
	if err != nil {
		c.Close()
		return bareStream{}, false
	}
	s := bareStream{conn: c}
	raw.Control(func(fd uintptr) { s.fd = int(fd) })
	return s, true
}

// writeEach writes p to every one of streams, from one goroutine per core.
func writeEach(streams []bareStream, p []byte) {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(streams); i += workers {
				syscall.Write(streams[i].fd, p) // a frame fits an idle socket's buffer
			}
		})
	}
	wg.Wait()
}
