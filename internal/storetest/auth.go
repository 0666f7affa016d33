package storetest

import (
	"context"
	"testing"
	"time"

	"convene"
)

func testAuth(t *testing.T, open Opener) {
	t.Run("Tokens", func(t *testing.T) { testTokens(t, open) })
	t.Run("LoginSessions", func(t *testing.T) { testLoginSessions(t, open) })
}

func testTokens(t *testing.T, open Opener) {
	f := newFixture(t, open)
	jane := f.User(t, "Jane", "jane@acme.test", "", convene.RoleMember)
	mo := f.User(t, "Mo", "mo@acme.test", "", convene.RoleMember)
	bg := context.Background()
	tok := &convene.Token{Name: "cli", Hash: "0a1b"}
	if err := f.Store.CreateToken(As(jane), tok); err != nil {
		t.Fatalf("CreateToken: %v", err)
	}
	if tok.ID == 0 || tok.UserID != jane.ID {
		t.Errorf("CreateToken filled in id %d user %d, want an id and user %d", tok.ID, tok.UserID, jane.ID)
	}
	if got, err := f.Store.AuthenticateToken(bg, "0a1b"); err != nil || got.ID != jane.ID {
		t.Errorf("AuthenticateToken = %+v, %v; want user %d", got, err, jane.ID)
	}
	_, err := f.Store.AuthenticateToken(bg, "ffff")
	wantCode(t, err, convene.ENOTFOUND)
	if got, err := f.Store.FindTokens(As(jane)); err != nil || len(got) != 1 || got[0].ID != tok.ID {
		t.Errorf("FindTokens(jane) = %d tokens, %v; want her one", len(got), err)
	}
	if got, err := f.Store.FindTokens(As(mo)); err != nil || len(got) != 0 {
		t.Errorf("FindTokens(mo) = %d tokens, %v; want none", len(got), err)
	}
	wantCode(t, f.Store.RevokeToken(As(mo), tok.ID), convene.ENOTFOUND)
	if err := f.Store.RevokeToken(As(jane), tok.ID); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	_, err = f.Store.AuthenticateToken(bg, "0a1b")
	wantCode(t, err, convene.ENOTFOUND)

	sysTok := &convene.Token{UserID: jane.ID, Name: "by system", Hash: "0c0d"}
	if err := f.Store.CreateToken(f.Sys(), sysTok); err != nil {
		t.Fatalf("CreateToken by the system: %v", err)
	}
	if got, err := f.Store.AuthenticateToken(bg, "0c0d"); err != nil || got.ID != jane.ID {
		t.Errorf("AuthenticateToken(system-made) = %+v, %v; want user %d", got, err, jane.ID)
	}
	f.Disable(t, jane)
	_, err = f.Store.AuthenticateToken(bg, "0c0d")
	wantCode(t, err, convene.ENOTFOUND)
}

func testLoginSessions(t *testing.T, open Opener) {
	f := newFixture(t, open)
	jane := f.User(t, "Jane", "jane@acme.test", "", convene.RoleMember)
	t0 := time.Now().UTC().Truncate(time.Second)
	const idle = 30 * time.Minute
	login := func(t *testing.T, hash string, absolute time.Duration) {
		t.Helper()
		s := &convene.LoginSession{Hash: hash, TenantID: f.Tenant.ID, UserID: jane.ID, CreatedAt: t0, LastSeenAt: t0, ExpiresAt: t0.Add(absolute)}
		if err := f.Store.CreateLoginSession(f.Sys(), s); err != nil {
			t.Fatalf("CreateLoginSession: %v", err)
		}
	}
	type check struct {
		at   time.Duration // after t0
		want string        // error code, "" for success
	}
	tests := []struct {
		name     string
		absolute time.Duration
		checks   []check
	}{
		{"Idle", 8 * time.Hour, []check{{20 * time.Minute, ""}, {45 * time.Minute, ""}, {80 * time.Minute, convene.ENOTFOUND}}},
		{"Absolute", time.Hour, []check{{25 * time.Minute, ""}, {50 * time.Minute, ""}, {70 * time.Minute, convene.ENOTFOUND}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash := "ls-" + tt.name
			login(t, hash, tt.absolute)
			for _, c := range tt.checks {
				s, u, err := f.Store.AuthenticateLoginSession(context.Background(), hash, t0.Add(c.at), idle)
				wantCode(t, err, c.want)
				if c.want == "" && (err != nil || u.ID != jane.ID || s.UserID != jane.ID) {
					t.Errorf("at +%v: session %+v user %+v, want Jane's", c.at, s, u)
				}
			}
		})
	}
	t.Run("Logout", func(t *testing.T) {
		login(t, "ls-out", time.Hour)
		if err := f.Store.DeleteLoginSession(f.Sys(), "ls-out"); err != nil {
			t.Fatalf("DeleteLoginSession: %v", err)
		}
		_, _, err := f.Store.AuthenticateLoginSession(context.Background(), "ls-out", t0.Add(time.Minute), idle)
		wantCode(t, err, convene.ENOTFOUND)
	})
	t.Run("DisabledUser", func(t *testing.T) {
		login(t, "ls-disabled", time.Hour)
		f.Disable(t, jane)
		_, _, err := f.Store.AuthenticateLoginSession(context.Background(), "ls-disabled", t0.Add(time.Minute), idle)
		wantCode(t, err, convene.ENOTFOUND)
	})
}
