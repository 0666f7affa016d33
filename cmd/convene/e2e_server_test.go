package main_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"convene/internal/poll"
)

// server is a running "convene serve".
type server struct {
	t    testing.TB
	cmd  *exec.Cmd
	url  string
	logs *syncBuffer
	done chan error
}

// startServer runs "convene serve" on a free loopback port against db, with
// any extra flags, and waits until /healthz answers.
func startServer(t testing.TB, db string, extra ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	s := &server{t: t, url: "http://" + addr, logs: &syncBuffer{}, done: make(chan error, 1)}
	s.cmd = exec.Command(binary, append([]string{"serve", "--addr", addr, "--db", db}, extra...)...)
	s.cmd.Env = cleanEnv("CONVENE_LOG_FORMAT=json")
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start convene serve: %v", err)
	}
	go func() { s.done <- s.cmd.Wait() }()
	t.Cleanup(func() {
		if s.cmd.ProcessState == nil {
			s.cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("convene serve logs:\n%s", s.logs.String())
		}
	})
	s.waitHealthy()
	return s
}

func (s *server) waitHealthy() {
	s.t.Helper()
	poll.UntilNil(s.t, 30*time.Second, "convene serve to answer /healthz with 200", func() error {
		select {
		case err := <-s.done:
			s.done <- err
			s.t.Fatalf("convene serve exited before it was healthy: %v\n%s", err, s.logs.String())
		default:
		}
		resp, err := http.Get(s.url + "/healthz")
		if err != nil {
			return fmt.Errorf("%w\n%s", err, s.logs.String())
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("status %d\n%s", resp.StatusCode, s.logs.String())
		}
		return nil
	})
}

// stop sends SIGTERM and checks that the server exits with status 0.
func (s *server) stop() {
	s.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatalf("SIGTERM: %v", err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			s.t.Errorf("convene serve after SIGTERM: %v, want exit status 0", err)
		}
	case <-time.After(40 * time.Second):
		s.t.Errorf("convene serve did not stop within 40s of SIGTERM")
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// postgresDB creates a fresh database on the server that
// CONVENE_TEST_POSTGRES names, dropped at the end of the test, and returns
// its URL. Without the variable the test is skipped, unless CI is set.
func postgresDB(t *testing.T) string {
	t.Helper()
	base := os.Getenv("CONVENE_TEST_POSTGRES")
	if base == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("CONVENE_TEST_POSTGRES is not set; CI must run the PostgreSQL half (scripts/test.sh starts a server)")
		}
		t.Skip("CONVENE_TEST_POSTGRES is not set; run scripts/test.sh to include PostgreSQL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("connect to CONVENE_TEST_POSTGRES: %v", err)
	}
	name := fmt.Sprintf("convene_e2e_%d", time.Now().UnixNano())
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop database %s: %v", name, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("CONVENE_TEST_POSTGRES: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
