package live_test

import (
	"strconv"
	"testing"

	"convene"
	"convene/internal/live"
	"convene/internal/live/livetest"
	"convene/internal/sqlite"
)

// TestHubSQLite runs the live checks on SQLite, in process: the store
// tells the hub after each commit.
func TestHubSQLite(t *testing.T) {
	store := sqlite.OpenTestDB(t)
	hub := live.New(store)
	hub.Hear(store)
	ctx, sid := livetest.Place(t, store, "acme")
	livetest.Run(t, store, hub, ctx, sid)
}

// TestAccessEventsOnlyForTheirMember checks that a subscriber sees its
// own access events and not another member's.
func TestAccessEventsOnlyForTheirMember(t *testing.T) {
	store := sqlite.OpenTestDB(t)
	hub := live.New(store)
	hub.Hear(store)
	ctx, sid := livetest.Place(t, store, "acme")
	var users []*convene.User
	for _, name := range []string{"ann", "bob"} {
		u := &convene.User{Name: name, Email: name + "@acme.test", Role: convene.RoleMember}
		if err := store.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if _, err := store.Grant(ctx, convene.GrantRequest{SessionIDs: []int64{sid}, Contacts: []string{u.Email}, Access: convene.AccessCollaborate}); err != nil {
			t.Fatal(err)
		}
		users = append(users, u)
	}
	sub, err := hub.Subscribe(convene.NewContextWithUser(ctx, users[0]), sid, live.FromNow)
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if _, err := store.SetAccess(ctx, sid, users[1].ID, convene.AccessView); err != nil {
		t.Fatal(err)
	}
	if err := store.RemoveMember(ctx, sid, users[0].ID); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range livetest.Collect(t, sub, 3) {
		got = append(got, e.Name+" "+string(e.Data))
	}
	want := []string{
		`member.changed {"user":{"id":` + itoa(users[1].ID) + `},"access":"view"}`,
		`member.changed {"user":{"id":` + itoa(users[0].ID) + `},"access":"none"}`,
		`access {"access":"none"}`,
	}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("events:\n%q\nwant\n%q", got, want)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
