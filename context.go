package convene

import "context"

// contextKey is unexported so that no other package can collide with it.
type contextKey int

const actorContextKey contextKey = iota + 1

// Actor is who is acting in a request: a signed-in user of a tenant, or the
// system itself (the CLI, background jobs) acting inside one tenant.
//
// Every store method reads the tenant from the actor and confines its queries
// to it; a store refuses to run a tenant-scoped method without one.
type Actor struct {
	TenantID int64
	User     *User // nil when the system acts (CLI, jobs, sign-in lookups)
}

// IsSystem reports whether the actor is the system rather than a person.
func (a Actor) IsSystem() bool { return a.User == nil }

// UserID returns the acting user's id, or 0 for the system.
func (a Actor) UserID() int64 {
	if a.User == nil {
		return 0
	}
	return a.User.ID
}

// NewContextWithActor returns a copy of ctx carrying actor.
func NewContextWithActor(ctx context.Context, actor Actor) context.Context {
	return context.WithValue(ctx, actorContextKey, actor)
}

// NewContextWithUser returns a copy of ctx in which u acts in u's tenant.
func NewContextWithUser(ctx context.Context, u *User) context.Context {
	return NewContextWithActor(ctx, Actor{TenantID: u.TenantID, User: u})
}

// NewSystemContext returns a copy of ctx in which the system acts inside the
// given tenant: allowed everything there, and nothing elsewhere.
func NewSystemContext(ctx context.Context, tenantID int64) context.Context {
	return NewContextWithActor(ctx, Actor{TenantID: tenantID})
}

// ActorFromContext returns the actor of ctx. ok is false when there is none,
// or when its tenant is unset.
func ActorFromContext(ctx context.Context) (actor Actor, ok bool) {
	actor, ok = ctx.Value(actorContextKey).(Actor)
	return actor, ok && actor.TenantID != 0
}

// MustActor returns the actor of ctx, or an EUNAUTHORIZED error when there is
// none: the guard every tenant-scoped store method starts with.
func MustActor(ctx context.Context) (Actor, error) {
	actor, ok := ActorFromContext(ctx)
	if !ok {
		return Actor{}, Errorf(EUNAUTHORIZED, "no tenant in context: refusing to run a tenant-scoped query")
	}
	return actor, nil
}
