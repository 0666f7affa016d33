package main_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestNoSecretOnDiskPostgres: the same as on SQLite, on a throw-away
// PostgreSQL cluster the test owns, so that it may read its files: a
// pg_dump of the database (what a backup holds) and, once the cluster is
// stopped, every file of its data directory (pg_wal, the tables, the
// server's log) hold none of the secrets seen.
func TestNoSecretOnDiskPostgres(t *testing.T) {
	pg := ownPostgres(t)
	seen := makeSecrets(t, pg.url())
	dump := pg.run(t, "pg_dump", "-h", "127.0.0.1", "-p", pg.port, "-U", "postgres", "-d", "postgres")
	wantNoSecret(t, "pg_dump", []byte(dump), seen)
	wantPresent(t, "pg_dump", []byte(dump), "guest@example.test")
	pg.stop(t)
	var wal []byte
	err := filepath.WalkDir(pg.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b := readAll(t, path)
		wantNoSecret(t, path, b, seen)
		if strings.Contains(path, "pg_wal") {
			wal = append(wal, b...)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wantPresent(t, "pg_wal", wal, "guest@example.test")
}

// cluster is a PostgreSQL server a test started for itself.
type cluster struct {
	bin, dir, port string
	asPostgres     bool // run its programs as the postgres user (the test runs as root)
	running        bool
}

// ownPostgres starts a throw-away cluster with initdb on a free port,
// stopped and removed when t ends. Without PostgreSQL's programs it skips
// t with a note, or fails it when CI is set.
func ownPostgres(t *testing.T) *cluster {
	t.Helper()
	bins, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(bins) == 0 {
		if os.Getenv("CI") != "" {
			t.Fatal("no PostgreSQL programs (/usr/lib/postgresql/*/bin): CI must run this test")
		}
		t.Skip("no PostgreSQL programs in /usr/lib/postgresql/*/bin: cannot own a cluster to search its files")
	}
	sort.Strings(bins) // one major version in practice; the last otherwise
	dir, err := os.MkdirTemp("", "convene-pgdata-")
	if err != nil {
		t.Fatal(err)
	}
	c := &cluster{bin: filepath.Dir(bins[len(bins)-1]), dir: dir, asPostgres: os.Geteuid() == 0}
	c.port = freeAddr(t)[len("127.0.0.1:"):]
	t.Cleanup(func() {
		if c.running {
			c.ctl(t, "stop", "-m", "immediate")
		}
		os.RemoveAll(dir)
	})
	if c.asPostgres {
		if out, err := exec.Command("chown", "postgres:", dir).CombinedOutput(); err != nil {
			t.Fatalf("chown %s: %v\n%s", dir, err, out)
		}
	}
	c.run(t, filepath.Join(c.bin, "initdb"), "-D", dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
	c.ctl(t, "start", "-w", "-l", filepath.Join(dir, "server.log"),
		"-o", "-c listen_addresses=127.0.0.1 -p "+c.port+" -k "+dir+" -c fsync=off")
	c.running = true
	return c
}

func (c *cluster) url() string {
	return "postgres://postgres@127.0.0.1:" + c.port + "/postgres?sslmode=disable"
}

// stop stops the server cleanly, so that everything is in its files.
func (c *cluster) stop(t *testing.T) {
	t.Helper()
	c.ctl(t, "stop", "-m", "fast", "-w")
	c.running = false
}

func (c *cluster) ctl(t *testing.T, args ...string) {
	t.Helper()
	c.run(t, filepath.Join(c.bin, "pg_ctl"), append([]string{"-D", c.dir}, args...)...)
}

// run runs one of the cluster's programs (a bare name is looked up in its
// bin directory) and returns its standard output.
func (c *cluster) run(t *testing.T, prog string, args ...string) string {
	t.Helper()
	if !filepath.IsAbs(prog) {
		prog = filepath.Join(c.bin, prog)
	}
	cmd := exec.Command(prog, args...)
	if c.asPostgres {
		cmd = exec.Command("runuser", append([]string{"-u", "postgres", "--", prog}, args...)...)
	}
	cmd.Dir = os.TempDir() // readable by the postgres user
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", prog, args, err, stderr.String())
	}
	return string(out)
}
