package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// newFlags returns an empty flag set for the command called name
// ("tenant create"). It prints nothing itself: parse reports errors.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// envName is the environment variable that sets flag name: db ->
// CONVENE_DB, public-url -> CONVENE_PUBLIC_URL.
func envName(flagName string) string {
	return "CONVENE_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// parse fills fs from the environment and then from args, so that a flag
// given on the command line wins over its variable. Every flag in
// required must end up non-empty. -h prints the command's flags.
func (a *app) parse(fs *flag.FlagSet, args []string, required ...string) error {
	if err := a.applyEnv(fs); err != nil {
		return err
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		a.printFlags(fs)
		return errHelpShown
	} else if err != nil {
		return usageErrorf("%s: %v", fs.Name(), err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("%s: unexpected argument %q (flags are written --name value)", fs.Name(), fs.Arg(0))
	}
	for _, name := range required {
		if strings.TrimSpace(fs.Lookup(name).Value.String()) == "" {
			return usageErrorf("%s: --%s is required", fs.Name(), name)
		}
	}
	return checkText(fs)
}

// checkText refuses a flag whose value holds a NUL or is not valid UTF-8
// (a shell's $'\xff', a file in another encoding), as the server refuses
// such bytes: PostgreSQL would fail on them with an error about encodings,
// SQLite would store them. The value is not shown: it may be a password.
func checkText(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if v := f.Value.String(); err == nil && (strings.IndexByte(v, 0) >= 0 || !utf8.ValidString(v)) {
			err = usageErrorf("%s: --%s (or %s) is not valid UTF-8 text", fs.Name(), f.Name, envName(f.Name))
		}
	})
	return err
}

// applyEnv sets every flag of fs whose CONVENE_ variable is set and not empty.
func (a *app) applyEnv(fs *flag.FlagSet) error {
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		v := a.getenv(envName(f.Name))
		if v == "" || err != nil {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = usageErrorf("%s=%q: %v", envName(f.Name), v, e)
		}
	})
	return err
}

// printFlags prints the usage of one command: its flags with their
// defaults and environment variables.
func (a *app) printFlags(fs *flag.FlagSet) {
	fmt.Fprintf(a.stdout, "Usage: convene %s [flags]\n\nFlags (each also read from the environment variable shown):\n", fs.Name())
	fs.VisitAll(func(f *flag.Flag) {
		def := ""
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0s" {
			def = fmt.Sprintf(" (default %q)", f.DefValue)
		}
		fmt.Fprintf(a.stdout, "  --%-20s %s%s [%s]\n", f.Name, f.Usage, def, envName(f.Name))
	})
}
