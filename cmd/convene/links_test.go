package main_test

import (
	"context"
	"strings"
	"testing"

	"convene"
	"convene/internal/auth"
)

// TestLinksOnPublicURL: "tenant create" and "user add" print their links on
// the --public-url flag they are given (not the default address), and the
// printed set-password link is the one the store keeps for that user.
func TestLinksOnPublicURL(t *testing.T) {
	db := newDB(t)
	got := mustRun(t, nil, "tenant", "create", "--db", db, "--public-url", "https://meet.example.org/", "--slug", "gamma",
		"--name", "Gamma", "--admin-email", "boss@gamma.test")
	checkSetPasswordLink(t, db, "gamma", lastLine(got.stdout), "https://meet.example.org/set-password/", "boss@gamma.test")

	got = mustRun(t, nil, "user", "add", "--db", db, "--public-url", "https://convene.gamma.test:8443", "--tenant", "gamma",
		"--email", "ivy@gamma.test", "--name", "Ivy")
	checkSetPasswordLink(t, db, "gamma", lastLine(got.stdout), "https://convene.gamma.test:8443/set-password/", "ivy@gamma.test")

	got = mustRun(t, nil, "user", "add", "--db", db, "--public-url", "https://convene.gamma.test:8443", "--tenant", "gamma",
		"--email", "joe@gamma.test", "--name", "Joe", "--password", "joe-password-1")
	if want := `sign in at https://convene.gamma.test:8443/login with workspace "gamma" and login joe@gamma.test`; lastLine(got.stdout) != want {
		t.Errorf("with a password, the last line = %q, want %q", lastLine(got.stdout), want)
	}
}

// checkSetPasswordLink checks that link is prefix<secret> and that the
// secret is the set-password link of the user with that login.
func checkSetPasswordLink(t *testing.T, db, slug, link, prefix, login string) {
	t.Helper()
	if !strings.HasPrefix(link, prefix) || len(link) < len(prefix)+43 {
		t.Fatalf("the last line = %q, want a link %s<secret>", link, prefix)
	}
	u := findUser(t, db, slug, login)
	withStore(t, db, func(s convene.Store) {
		links, ok := s.(convene.PasswordLinkService)
		if !ok {
			t.Skip("the store keeps no password links: the printed link cannot be checked")
		}
		_, got, err := links.FindPasswordLink(context.Background(), auth.HashSecret(strings.TrimPrefix(link, prefix)))
		if err != nil || u == nil || got.ID != u.ID {
			t.Errorf("FindPasswordLink(%s) = %+v, %v; want %s", link, got, err, login)
		}
	})
}
