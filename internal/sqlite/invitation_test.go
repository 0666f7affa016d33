package sqlite_test

import (
	"testing"

	"convene/internal/storetest"
)

func TestInvitations(t *testing.T) {
	storetest.RunInvitations(t, openStore)
}
