package httpd

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"convene"
	"convene/internal/auth"
)

// CookieName is the name of the login session cookie.
const CookieName = "convene_session"

type authMethod string

const (
	authCookie authMethod = "cookie"
	authBearer authMethod = "bearer"
)

// WithActor places the signed-in user, from a bearer token or the session
// cookie, in the request context (convene.NewContextWithUser), for the API
// and the dashboard's pages alike. The Server's Handler already applies it;
// it is exported for handlers mounted elsewhere.
//
// A bearer token that does not authenticate answers 401 on /api/v1 at once.
// A cookie that does not (expired, revoked, user disabled) is cleared, and
// the request goes on anonymous: each handler decides whether that is 401
// or, for pages, a redirect to /login. Because credentials are looked up on
// every request, disabling a user or changing a role counts at once.
func (s *Server) WithActor(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		info := infoFrom(ctx)
		if token, ok := bearerToken(r); ok {
			u, err := s.store.AuthenticateToken(ctx, auth.HashSecret(token))
			if err != nil {
				if convene.ErrorCode(err) != convene.ENOTFOUND {
					s.WriteProblem(w, r, err)
					return
				}
				if strings.HasPrefix(r.URL.Path, "/api/") {
					w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
					s.WriteProblem(w, r, convene.Errorf(convene.EUNAUTHORIZED, "the token is not valid"))
					return
				}
			} else {
				info.userID, info.tenantID, info.auth = u.ID, u.TenantID, authBearer
				r = r.WithContext(convene.NewContextWithUser(ctx, u))
			}
			next.ServeHTTP(w, r)
			return
		}
		if c, err := r.Cookie(CookieName); err == nil && c.Value != "" {
			hash := auth.HashSecret(c.Value)
			_, u, err := s.store.AuthenticateLoginSession(ctx, hash, s.Now(), s.cfg.SessionIdle)
			switch {
			case err == nil:
				info.userID, info.tenantID, info.auth, info.cookie = u.ID, u.TenantID, authCookie, hash
				r = r.WithContext(convene.NewContextWithUser(ctx, u))
			case convene.ErrorCode(err) == convene.ENOTFOUND:
				s.clearCookie(w, r)
			default:
				s.WriteProblem(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// bearerToken returns the token of an "Authorization: Bearer" header.
func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// SignIn starts a login session for u: a new random id every time, stored
// only as its hash, in a cookie. A previous session of this browser is
// revoked, so that an id planted before sign-in is worth nothing after.
func (s *Server) SignIn(w http.ResponseWriter, r *http.Request, u *convene.User) (*convene.LoginSession, error) {
	if old := infoFrom(r.Context()).cookie; old != "" {
		_ = s.store.DeleteLoginSession(context.WithoutCancel(r.Context()), old)
	}
	secret, hash := auth.NewSecret()
	now := s.Now()
	ls := &convene.LoginSession{
		Hash: hash, TenantID: u.TenantID, UserID: u.ID,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.cfg.SessionAbsolute),
	}
	if err := s.store.CreateLoginSession(convene.NewSystemContext(r.Context(), u.TenantID), ls); err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: secret, Path: "/",
		MaxAge:   int(s.cfg.SessionAbsolute.Seconds()),
		HttpOnly: true, Secure: s.secureCookie(r), SameSite: http.SameSiteLaxMode,
	})
	return ls, nil
}

// SignOut revokes the request's login session, if any, and clears the cookie.
func (s *Server) SignOut(w http.ResponseWriter, r *http.Request) error {
	if hash := infoFrom(r.Context()).cookie; hash != "" {
		if err := s.store.DeleteLoginSession(r.Context(), hash); err != nil && convene.ErrorCode(err) != convene.ENOTFOUND {
			return err
		}
	}
	s.clearCookie(w, r)
	return nil
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: CookieName, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.secureCookie(r), SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) secureCookie(r *http.Request) bool { return s.secure || r.TLS != nil }

// CheckPassword is the one sign-in check, for the API and the login page:
// the user of tenant slug whose email or phone is login, if password is
// theirs. An unknown tenant, an unknown login, a disabled user and a wrong
// password all give the same EUNAUTHORIZED, after the same password hashing
// work; repeated failures per account and per address give ERATELIMITED.
func (s *Server) CheckPassword(r *http.Request, slug, login, password string) (*convene.User, error) {
	ctx := r.Context()
	acc, err := s.findAccount(ctx, slug, login)
	if err != nil {
		return nil, err
	}
	var user *convene.User
	if acc.login != "" {
		user, err = s.store.FindUserByLogin(convene.NewSystemContext(ctx, acc.tenant.ID), acc.login)
		if err != nil && convene.ErrorCode(err) != convene.ENOTFOUND {
			return nil, err
		}
	}
	addr := clientAddr(r)
	if err := s.checkLimit(ctx, s.limits.login, "failed sign-in attempts", acc.key, addr); err != nil {
		return nil, err
	}
	hash := ""
	if user != nil && !user.Disabled {
		hash = user.PasswordHash
	}
	if !auth.CheckPassword(password, hash) {
		if err := s.limits.login.take(ctx, s.Now(), acc.key, addr); err != nil {
			return nil, err // a failure that cannot be counted is refused, not answered
		}
		return nil, convene.Errorf(convene.EUNAUTHORIZED, "unknown workspace, login or password")
	}
	return user, nil
}

// account is a workspace and login as someone typed them.
type account struct {
	key    string          // what throttles count under: the same for any spelling of one login
	tenant *convene.Tenant // nil when the workspace does not exist
	login  string          // the normalised email or phone; "" when there is none to look up
}

// accountKey is the throttles' name of an account: the quoted slug ends
// where the login begins, whatever either holds. (Not a NUL between them:
// PostgreSQL refuses NUL in text, and buckets shared in the database would
// then fail for every sign-in.)
func accountKey(slug, login string) string { return strconv.Quote(slug) + login }

// findAccount resolves a workspace and login without looking up the user,
// so that what follows can treat existing and unknown accounts alike.
func (s *Server) findAccount(ctx context.Context, slug, login string) (account, error) {
	slug = strings.ToLower(strings.TrimSpace(slug))
	acc := account{key: accountKey(slug, strings.ToLower(strings.TrimSpace(login)))}
	t, err := s.store.FindTenantBySlug(ctx, slug)
	if convene.ErrorCode(err) == convene.ENOTFOUND {
		return acc, nil
	} else if err != nil {
		return acc, err
	}
	acc.tenant = t
	if c := convene.NewContactParser(t, s.cfg.Phones).Parse(login); c.Normalized != "" {
		acc.key, acc.login = accountKey(slug, c.Normalized), c.Normalized
	}
	return acc, nil
}
