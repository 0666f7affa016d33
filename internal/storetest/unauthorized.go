package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"convene"
)

// actorless are the methods of convene.Store that take a context but act
// for no tenant's actor, each with the reason. Every other method taking
// a context must refuse to run without one: testUnauthorized checks that
// of each, and fails for a method in neither list, so that a method added
// to the Store is checked from the day it is added.
var actorless = map[string]string{
	"Ping":                         "asks whether the database answers; reads no tenant's rows",
	"CreateTenant":                 "creates the tenant an actor would belong to",
	"CreateTenantWithPasswordLink": "CreateTenant for the command line, which has no actor yet",
	"FindTenantBySlug":             "finds the tenant of a sign-in, before anyone is signed in",
	"AuthenticateToken":            "is how a request finds its actor, from a bearer token",
	"CreateLoginSession":           "runs at sign-in, once the password is checked and before there is an actor",
	"AuthenticateLoginSession":     "is how a request finds its actor, from a session cookie",
	"DeleteLoginSession":           "signs out a cookie whatever its state; the hash is the credential",
	"ClaimJobs":                    "is the delivery worker's: claiming spans tenants",
	"CompleteJob":                  "is the delivery worker's, for a job it claimed",
	"RetryJob":                     "is the delivery worker's, for a job it claimed",
	"MintInvitationLink":           "is the delivery worker's: it mints the secret of the message it sends",
	"MintPasswordLink":             "is the delivery worker's: it mints the secret of the message it sends",
	"FindInvitationByToken":        "serves an invitee who has no account: the secret is the credential",
	"AcceptInvitation":             "serves an invitee who has no account: the secret is the credential",
	"FindPasswordLink":             "serves someone who cannot sign in: the secret is the credential",
	"UsePasswordLink":              "serves someone who cannot sign in: the secret is the credential",
}

// testUnauthorized calls every tenant-scoped method without an actor (and
// with an actor of no tenant): each must refuse with EUNAUTHORIZED and
// write nothing.
func testUnauthorized(t *testing.T, open Opener) {
	f := newAcme(t, open)
	calls, sessionIDs := unauthorizedCalls(t, f)
	t.Run("Complete", func(t *testing.T) { checkCallsComplete(t, calls) })
	contexts := []struct {
		name string
		ctx  context.Context
	}{
		{"NoActor", context.Background()},
		{"ZeroTenant", convene.NewContextWithActor(context.Background(), convene.Actor{User: f.Admin})},
	}
	for _, c := range contexts {
		t.Run(c.name, func(t *testing.T) {
			for _, name := range sortedKeys(calls) {
				t.Run(name, func(t *testing.T) {
					before := f.take(t, sessionIDs)
					wantCode(t, calls[name](c.ctx), convene.EUNAUTHORIZED)
					f.same(t, before, sessionIDs)
				})
			}
		})
	}
}

// checkCallsComplete fails t for each method of convene.Store that takes
// a context and is neither called by testUnauthorized nor actorless, and
// for each name in those lists that is no such method (a stale entry).
func checkCallsComplete(t *testing.T, calls map[string]func(context.Context) error) {
	store := reflect.TypeFor[convene.Store]()
	ctxType := reflect.TypeFor[context.Context]()
	for i := range store.NumMethod() {
		m := store.Method(i)
		if m.Type.NumIn() == 0 || m.Type.In(0) != ctxType {
			continue
		}
		_, called := calls[m.Name]
		_, exempt := actorless[m.Name]
		switch {
		case called && exempt:
			t.Errorf("%s is both called without an actor and listed as actorless", m.Name)
		case !called && !exempt:
			t.Errorf("convene.Store.%s takes a context but is not checked: add a call to unauthorizedCalls, "+
				"or list it in actorless with the reason it belongs to no tenant", m.Name)
		}
	}
	for _, name := range append(sortedKeys(calls), sortedKeys(actorless)...) {
		if m, ok := store.MethodByName(name); !ok || m.Type.NumIn() == 0 || m.Type.In(0) != ctxType {
			t.Errorf("%s is listed but convene.Store has no such method taking a context", name)
		}
	}
}

// sortedKeys returns the keys of m in order, so that subtests run and
// report in a stable order.
func sortedKeys[V any](m map[string]V) []string {
	keys := mapKeys(m)
	slices.Sort(keys)
	return keys
}
