package apicheck_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"convene/internal/api/apicheck"
)

// redoclyCLI is the version of @redocly/cli the document is linted with.
const redoclyCLI = "@redocly/cli@2.77.0"

// TestRedoclyLint lints the served document with redocly's recommended
// rules: errors fail, warnings are printed. It needs node and npm, and
// skips without them or when npm cannot install the linter (no registry).
// By hand: npx @redocly/cli@2.77.0 lint openapi.json
func TestRedoclyLint(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no npm install")
	}
	npm, err := exec.LookPath("npm")
	if err != nil {
		t.Skip("npm is not installed")
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	dir := t.TempDir()
	install := exec.Command(npm, "install", "--prefix", dir, "--no-audit", "--no-fund", "--loglevel=error", redoclyCLI)
	if out, err := install.CombinedOutput(); err != nil {
		t.Skipf("cannot install %s: %v\n%s", redoclyCLI, err, out)
	}
	raw, err := apicheck.Served()
	if err != nil {
		t.Fatal(err)
	}
	doc := filepath.Join(dir, "openapi.json")
	if err := os.WriteFile(doc, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	lint := exec.Command(filepath.Join(dir, "node_modules", ".bin", "redocly"), "lint", "--format=stylish", doc)
	lint.Dir = dir
	out, err := lint.CombinedOutput()
	if err != nil {
		t.Fatalf("redocly lint: %v\n%s", err, out)
	}
	t.Logf("redocly lint:\n%s", out)
}
