package auth_test

import (
	"testing"

	"convene/internal/auth"
)

func TestSecretsAreRandomAndHashed(t *testing.T) {
	s1, h1 := auth.NewSecret()
	s2, h2 := auth.NewSecret()
	if s1 == s2 || h1 == h2 {
		t.Fatalf("two secrets are equal: %q %q", s1, s2)
	}
	if len(s1) < 22 { // 128 bits in base64 is 22 characters
		t.Errorf("secret %q is shorter than 128 bits", s1)
	}
	if got := auth.HashSecret(s1); got != h1 {
		t.Errorf("HashSecret(secret) = %q, want the hash NewSecret gave, %q", got, h1)
	}
	if h1 == s1 {
		t.Error("the hash is the secret itself")
	}
}

func TestPasswords(t *testing.T) {
	hash, err := auth.HashPassword("correct horse")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, password, hash string
		want                 bool
	}{
		{"right password", "correct horse", hash, true},
		{"wrong password", "correct horsf", hash, false},
		{"no hash", "correct horse", "", false},
		{"garbage hash", "correct horse", "not-a-hash", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := auth.CheckPassword(tt.password, tt.hash); got != tt.want {
				t.Errorf("CheckPassword = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestPasswordPolicy(t *testing.T) {
	if msg := auth.CheckPasswordPolicy("short"); msg == "" {
		t.Error("a 5-character password was accepted")
	}
	if msg := auth.CheckPasswordPolicy("long enough"); msg != "" {
		t.Errorf("a good password was refused: %s", msg)
	}
}
