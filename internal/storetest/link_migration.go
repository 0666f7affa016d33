package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"convene"
	"convene/internal/auth"
)

// ClearLinks are the links SeedClearLinks left in clear, as the code before
// migration 007 did: secrets in job payloads and in recorded bodies.
type ClearLinks struct {
	// Exposed are the secrets that were on disk, by what they opened.
	Exposed map[string]string
	// Printed is the secret of a link the CLI printed: never on disk.
	Printed string

	invitations, sentLinks []int64
}

// SeedClearLinks fills db, at the schema before migration 007 (rebind
// turns ? into its placeholders), with a tenant whose links left their
// secrets on disk: a pending invitation whose message is still queued, one
// already sent (its body recorded whole), a set-password link sent, a reset
// link queued, and a set-password link the CLI printed.
func SeedClearLinks(t testing.TB, db *sql.DB, rebind func(string) string) *ClearLinks {
	t.Helper()
	s := &seeder{t: t, db: db, q: rebind, now: time.Now().UnixNano()}
	future := s.now + int64(24*time.Hour)
	tenant := s.id(`INSERT INTO tenants (slug, name, default_region, invitation_ttl_seconds, created_at) VALUES ('acme', 'Acme', 'US', 604800, ?) RETURNING id`, s.now)
	user := func(email, role string) int64 {
		return s.id(`INSERT INTO users (tenant_id, name, email, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			tenant, email, email, role, s.now, s.now)
	}
	admin, pat, cli := user("admin@acme.test", "admin"), user("pat@acme.test", "member"), user("cli@acme.test", "member")
	session := s.id(`INSERT INTO sessions (tenant_id, owner_id, title, created_at, updated_at) VALUES (?, ?, 'Plans', ?, ?) RETURNING id`, tenant, admin, s.now, s.now)
	c := &ClearLinks{Exposed: map[string]string{}}
	for i, status := range []string{"queued", "sent"} {
		secret, hash := auth.NewSecret()
		inv := s.id(`INSERT INTO invitations (tenant_id, session_id, inviter_id, contact, kind, access, status, token_hash, expires_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, 'email', 'collaborate', 'pending', ?, ?, ?, ?) RETURNING id`,
			tenant, session, admin, fmt.Sprintf("guest%d@example.test", i), hash, future, s.now, s.now)
		s.job(tenant, convene.JobGuestInvitation, status, fmt.Sprintf(`{"invitation_id":%d,"token":%q}`, inv, secret), "/invite/"+secret)
		c.Exposed["invitation "+status] = secret
		c.invitations = append(c.invitations, inv)
	}
	for _, l := range []struct {
		user   int64
		status string
	}{{pat, "sent"}, {admin, "queued"}} {
		secret, hash := auth.NewSecret()
		link := s.link(tenant, l.user, hash, future)
		s.job(tenant, convene.JobSetPassword, l.status, fmt.Sprintf(`{"link_id":%d,"token":%q}`, link, secret), "/set-password/"+secret)
		c.Exposed["password link "+l.status] = secret
		c.sentLinks = append(c.sentLinks, link)
	}
	printed, hash := auth.NewSecret()
	s.link(tenant, cli, hash, future)
	c.Printed = printed
	return c
}

// seeder writes the rows of SeedClearLinks.
type seeder struct {
	t   testing.TB
	db  *sql.DB
	q   func(string) string
	now int64
}

func (s *seeder) id(query string, args ...any) int64 {
	s.t.Helper()
	var id int64
	if err := s.db.QueryRow(s.q(query), args...).Scan(&id); err != nil {
		s.t.Fatalf("%s: %v", query, err)
	}
	return id
}

func (s *seeder) link(tenant, user int64, hash string, expires int64) int64 {
	return s.id(`INSERT INTO password_links (tenant_id, user_id, purpose, token_hash, expires_at, created_at) VALUES (?, ?, 'set', ?, ?, ?) RETURNING id`,
		tenant, user, hash, expires, s.now)
}

// job queues a link's job the old way; a sent one has its body recorded
// whole, as the log sender's were.
func (s *seeder) job(tenant int64, kind, status, payload, path string) {
	body := ""
	if status == "sent" {
		body = "Open https://convene.example" + path + " to go on."
	}
	s.id(`INSERT INTO jobs (tenant_id, kind, payload, status, run_at, created_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		tenant, kind, []byte(payload), status, s.now, s.now, s.now, body)
}

// CheckClearLinksGone checks a database seeded by SeedClearLinks and then
// migrated: no exposed secret is stored or works any more, the printed one
// still works, and every exposed link that can still be used has one fresh
// message queued, which mints a secret that works.
func CheckClearLinksGone(t *testing.T, store convene.Store, db *sql.DB, c *ClearLinks) {
	bg := context.Background()
	stored := storedText(t, db)
	for what, secret := range c.Exposed {
		if strings.Contains(stored, secret) {
			t.Errorf("the secret of the %s is still stored in clear", what)
		}
		if _, err := store.FindInvitationByToken(bg, auth.HashSecret(secret)); convene.ErrorCode(err) != convene.ENOTFOUND {
			t.Errorf("the %s's old secret still finds an invitation: %v", what, err)
		}
		if _, _, err := store.FindPasswordLink(bg, auth.HashSecret(secret)); convene.ErrorCode(err) != convene.ENOTFOUND {
			t.Errorf("the %s's old secret still finds a password link: %v", what, err)
		}
	}
	if _, _, err := store.FindPasswordLink(bg, auth.HashSecret(c.Printed)); err != nil {
		t.Errorf("the link the CLI printed (never on disk) stopped working: %v", err)
	}
	jobs, err := store.ClaimJobs(bg, time.Now().Add(time.Second), 100, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	resent := map[int64]bool{}
	for _, j := range jobs {
		id, secret, err := MintJob(t, store, j)
		if err != nil {
			t.Errorf("the re-sent message of job %d cannot be sent: %v", j.ID, err)
			continue
		}
		resent[id] = true
		if j.Kind == convene.JobGuestInvitation {
			_, err = store.FindInvitationByToken(bg, auth.HashSecret(secret))
		} else {
			_, _, err = store.FindPasswordLink(bg, auth.HashSecret(secret))
		}
		if err != nil {
			t.Errorf("the secret minted for job %d does not work: %v", j.ID, err)
		}
	}
	if want := len(c.invitations) + len(c.sentLinks); len(jobs) != want {
		t.Errorf("%d messages queued after the migration, want %d: one per exposed link", len(jobs), want)
	}
	for _, id := range append(append([]int64{}, c.invitations...), c.sentLinks...) {
		if !resent[id] {
			t.Errorf("link %d was not re-sent", id)
		}
	}
}

// storedText is every text of the tables that held secrets.
func storedText(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{`SELECT payload, body, last_error FROM jobs`, `SELECT token_hash, contact, '' FROM invitations`,
		`SELECT token_hash, purpose, '' FROM password_links`} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for rows.Next() {
			var a []byte
			var b2, c string
			if err := rows.Scan(&a, &b2, &c); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "%s\n%s\n%s\n", a, b2, c)
		}
		rows.Close()
	}
	return b.String()
}

// MigrationsBefore returns the migrations of fsys (at its root) whose names
// sort before name: the schema a database had before that one shipped.
func MigrationsBefore(t testing.TB, fsys fs.FS, name string) fs.FS {
	t.Helper()
	older := fstest.MapFS{}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.Name() >= name {
			continue
		}
		body, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			t.Fatal(err)
		}
		older[e.Name()] = &fstest.MapFile{Data: body}
	}
	return older
}
