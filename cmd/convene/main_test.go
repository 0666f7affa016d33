package main_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// binary is the convene binary built once by TestMain for every test.
var binary string

// childRoles are what the test binary does instead of testing when a test
// starts it as a helper process with one of these environment variables
// set (such as the bare fan-out server of BenchmarkSSEFanOut).
var childRoles = map[string]func() int{}

func TestMain(m *testing.M) {
	for env, run := range childRoles {
		if os.Getenv(env) != "" {
			os.Exit(run())
		}
	}
	dir, err := os.MkdirTemp("", "convene-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "convene")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "go build:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// result is what one run of the binary printed and how it exited.
type result struct {
	stdout, stderr string
	code           int
}

// cleanEnv is the test process's environment without CONVENE_ variables,
// so that a developer's settings never leak into a test; extra is added.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CONVENE_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// cli runs the binary with args and the environment env (nil: a clean
// one) and waits for it.
func cli(t testing.TB, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary, args...)
	if env == nil {
		env = cleanEnv()
	}
	cmd.Env = env
	cmd.Dir = t.TempDir()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run convene %v: %v", args, err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: code}
}

// mustRun runs the binary and fails the test unless it succeeds.
func mustRun(t testing.TB, env []string, args ...string) result {
	t.Helper()
	r := cli(t, env, args...)
	if r.code != 0 {
		t.Fatalf("convene %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}
