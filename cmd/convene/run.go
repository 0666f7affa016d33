package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"convene"
)

// app is one run of the command line: where it writes, and where it reads
// the environment from (a function, so that tests need not touch the
// process environment).
type app struct {
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
}

// usageError is a mistake in how the command was called: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// errHelpShown ends a run that printed help because it was asked to.
var errHelpShown = errors.New("help shown")

// run executes one command line and returns the process's exit status:
// 0 on success, 1 when the command failed, 2 when it was called wrongly.
func run(ctx context.Context, args []string, a *app) int {
	err := a.dispatch(ctx, args)
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, errHelpShown):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(a.stderr, "convene: %s\n", oneLine(ue.msg))
		return 2
	default:
		fmt.Fprintf(a.stderr, "convene: %s\n", oneLine(errorMessage(err)))
		return 1
	}
}

// dispatch runs the command named by args[0] (and args[1] for the commands
// that have subcommands).
func (a *app) dispatch(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(a.stderr, usageText)
		return usageErrorf("no command given")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return a.serve(ctx, rest)
	case "demo":
		return a.demo(ctx, rest)
	case "migrate":
		return a.migrate(ctx, rest)
	case "tenant":
		return a.subcommand(ctx, cmd, rest, map[string]command{"create": a.tenantCreate})
	case "user":
		return a.subcommand(ctx, cmd, rest, map[string]command{"add": a.userAdd, "import": a.userImport})
	case "token":
		return a.subcommand(ctx, cmd, rest, map[string]command{"create": a.tokenCreate})
	case "help", "-h", "-help", "--help":
		fmt.Fprint(a.stdout, usageText)
		return nil
	}
	return usageErrorf("unknown command %q (run \"convene help\" for the list)", cmd)
}

// command is one (sub)command, given the arguments after its name.
type command func(ctx context.Context, args []string) error

func (a *app) subcommand(ctx context.Context, name string, args []string, cmds map[string]command) error {
	if len(args) == 0 {
		return usageErrorf("%s: missing subcommand (run \"convene help\")", name)
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(a.stdout, usageText)
		return errHelpShown
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		return usageErrorf("unknown command %q (run \"convene help\" for the list)", name+" "+args[0])
	}
	return cmd(ctx, args[1:])
}

// errorMessage is what a person sees for err: a domain error's message as
// is (never an internal detail), anything else with its context, which the
// operator running the command needs (a database that does not answer).
func errorMessage(err error) string {
	if convene.AsError(err) != nil {
		return convene.ErrorMessage(err)
	}
	return err.Error()
}

// oneLine keeps a message on the one line a failing command prints.
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", "; ")), " ")
}

// usageText is what "convene help" prints.
const usageText = `Convene: multi-tenant collaboration sessions.

Usage: convene <command> [flags]

Commands:
  serve           run the web dashboard and the HTTP API
                  [--addr 127.0.0.1:8080] [--db URL] [--public-url URL]
                  [--log-format text|json] [--json-logs] [--shutdown-timeout 30s]
                  [--smtp log|URL] [--mail-from ADDR] [--sms log|twilio] (see serve -h)
  demo            serve a throw-away database with a demo tenant, users and sessions
                  [--addr 127.0.0.1:8080] (and the other flags of serve but --db)
  migrate         apply the database schema migrations and exit [--db URL]
  tenant create   create a tenant and its first Tenant Admin
                  --slug S --name N --admin-email E [--admin-phone P]
                  [--admin-name N] [--admin-password P] [--default-region US]
                  [--phone-alias-domain D] [--public-url URL] [--db URL]
  user add        register a user in a tenant
                  --tenant S --name N [--email E] [--phone P]
                  [--role member|session_admin|admin] [--password P] [--db URL]
  user import     register the users of a CSV file (email, phone, name, role), all or nothing
                  --tenant S [--dry-run] [--db URL] FILE.csv
  token create    print a new API token (bearer) for a user, alone on stdout
                  --tenant S --user EMAIL_OR_PHONE [--name N] [--db URL]
  help            print this help; "convene <command> -h" lists a command's flags

--db takes sqlite:PATH (default sqlite:convene.db) or a postgres:// URL.
Every flag can also be set by the environment variable CONVENE_<FLAG>
(upper case, dashes as underscores: --public-url is CONVENE_PUBLIC_URL);
a flag on the command line wins. New tenants take their phone settings from
--default-region (CONVENE_DEFAULT_REGION) and --phone-alias-domain
(CONVENE_PHONE_ALIAS_DOMAIN).

Exit status: 0 on success, 1 when the command failed, 2 when it was called wrongly.
`
