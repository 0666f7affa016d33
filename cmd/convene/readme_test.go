package main_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadmeAPIWalkthrough runs the curl walk-through of README.md's "## API"
// section (its ```sh blocks, in order, as one script) against a freshly
// started "convene serve" on a temporary SQLite file, so that the README
// stays true. BASE is pointed at the server; the "convene" commands of the
// walk-through are this test's binary, on the same database (CONVENE_DB).
// Every curl runs with --fail-with-body and the script with set -euo
// pipefail: any failing command fails the test.
func TestReadmeAPIWalkthrough(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed; the README walk-through needs it")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	script, err := readmeAPIScript(string(readme))
	if err != nil {
		t.Fatal(err)
	}

	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "convene.db")
	srv := startServer(t, db)

	baseLine := regexp.MustCompile(`(?m)^BASE=.*$`)
	if !baseLine.MatchString(script) {
		t.Fatal(`README walk-through: no "BASE=..." line to point at the test server`)
	}
	script = baseLine.ReplaceAllLiteralString(script, "BASE="+srv.url)

	// curl is wrapped so that every call of the walk-through fails on an
	// HTTP error and cannot hang.
	full := "set -euo pipefail\n" +
		"curl() { command curl --fail-with-body --max-time 30 \"$@\"; }\n" +
		script
	scriptPath := filepath.Join(dir, "walkthrough.sh")
	if err := os.WriteFile(scriptPath, []byte(full), 0o600); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	work := filepath.Join(dir, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, "bash", scriptPath)
	cmd.Dir = work
	cmd.Env = cleanEnv(
		"PATH="+filepath.Dir(binary)+string(os.PathListSeparator)+os.Getenv("PATH"),
		"CONVENE_DB="+db,
	)
	// Its own process group, so that a timeout also ends the curl it runs.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("README walk-through did not finish within 2 minutes\noutput:\n%s", out.String())
	}
	if err != nil {
		t.Fatalf("README walk-through failed: %v\nscript:\n%s\noutput:\n%s", err, full, out.String())
	}
	if !strings.Contains(out.String(), "replayed batch") {
		t.Errorf("README walk-through: the idempotent replay did not report itself\noutput:\n%s", out.String())
	}
	t.Logf("README walk-through output:\n%s", out.String())
}

// readmeAPIScript returns the ```sh blocks of the "## API" section of
// readme, joined in order.
func readmeAPIScript(readme string) (string, error) {
	_, section, ok := strings.Cut(readme, "\n## API\n")
	if !ok {
		return "", errors.New(`README.md has no "## API" section`)
	}
	if i := strings.Index(section, "\n## "); i >= 0 {
		section = section[:i]
	}
	var blocks []string
	var cur []string
	in := false
	for _, line := range strings.Split(section, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```sh":
			in, cur = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			blocks = append(blocks, strings.Join(cur, "\n"))
		case in:
			cur = append(cur, line)
		}
	}
	if in {
		return "", errors.New(`README.md "## API": a ` + "```sh" + ` block is not closed`)
	}
	if len(blocks) == 0 {
		return "", errors.New(`README.md "## API" has no ` + "```sh" + ` blocks`)
	}
	return strings.Join(blocks, "\n") + "\n", nil
}
