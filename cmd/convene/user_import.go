package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/schollz/progressbar/v3"

	"convene"
	"convene/internal/phone"
)

// userImport runs "convene user import --tenant S FILE.csv": registers the
// users of a CSV file (email, phone, name, role) in one transaction, as
// POST /api/v1/users/import does. A refused file prints one line per
// problem and writes nothing (exit 1).
func (a *app) userImport(ctx context.Context, args []string) error {
	var cfg config
	var tenantSlug string
	var dryRun bool
	fs := newFlags("user import")
	fs.StringVar(&tenantSlug, "tenant", "", "the tenant's slug (required)")
	fs.BoolVar(&dryRun, "dry-run", false, "say what the import would do, writing nothing")
	cfg.bindDB(fs)
	path, args := fileArg(args)
	if err := a.parse(fs, args, "tenant"); err != nil {
		return err
	}
	if path == "" {
		return usageErrorf("user import: give the CSV file: convene user import --tenant S FILE.csv")
	}
	store, err := openStore(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	tenant, err := findTenant(ctx, store, tenantSlug)
	if err != nil {
		return err
	}
	rows, err := a.readImport(path, tenant)
	if err != nil {
		return a.importProblems(err)
	}
	res, err := store.ImportUsers(convene.NewSystemContext(ctx, tenant.ID), rows, dryRun)
	if err != nil {
		return a.importProblems(err)
	}
	verb := map[bool]string{true: "would create", false: "created"}[dryRun]
	fmt.Fprintf(a.stdout, "%s %d users, %d unchanged, in tenant %q\n", verb, res.Created, res.Unchanged, tenant.Slug)
	return nil
}

// fileArg takes the file, the last argument when it is neither a flag nor
// the value of one, out of args.
func fileArg(args []string) (string, []string) {
	n := len(args)
	if n == 0 || strings.HasPrefix(args[n-1], "-") {
		return "", args
	}
	if n > 1 {
		switch strings.TrimLeft(args[n-2], "-") {
		case "tenant", "db":
			return "", args
		}
	}
	return args[n-1], args[:n-1]
}

// readImport parses the file at path with the tenant's settings, showing
// how far it has read on a terminal.
func (a *app) readImport(path string, tenant *convene.Tenant) ([]convene.ImportRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, convene.Errorf(convene.EINVALID, "cannot open the CSV file: %v", err)
	}
	defer f.Close()
	var r io.Reader = f
	if a.onTerminal() {
		info, _ := f.Stat()
		bar := progressbar.NewOptions64(info.Size(), progressbar.OptionSetWriter(a.stderr), progressbar.OptionSetDescription("reading "+path),
			progressbar.OptionShowBytes(true), progressbar.OptionClearOnFinish())
		defer bar.Finish()
		pr := progressbar.NewReader(f, bar)
		r = &pr
	}
	return convene.ParseUserImport(r, convene.NewContactParser(tenant, phone.Numbering{}))
}

// onTerminal tells whether stderr is a terminal, where a progress bar
// helps; a pipe or a file gets plain lines.
func (a *app) onTerminal() bool {
	f, ok := a.stderr.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// importProblems prints one line per refused row of err, if it names
// rows, and returns err.
func (a *app) importProblems(err error) error {
	var ie *convene.ImportError
	if !errors.As(err, &ie) {
		return err
	}
	for _, p := range ie.Rows {
		field := ""
		if p.Field != "" {
			field = " " + p.Field
		}
		fmt.Fprintf(a.stderr, "row %d%s: %s\n", p.Row, field, p.Message)
	}
	return err
}
