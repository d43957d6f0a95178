package signin

import (
	"net/http"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// RequireApp is a router middleware, after the session check, that holds
// a person who must use an authenticator app (staff; tutors when the
// school requires it) and has not set one up yet to what enrolling
// needs: setting up the app, their own record and sessions, signing out,
// and what a visitor may read anyway. Everything else answers 403
// app_setup_required until the app is on (emailed codes still sign them in).
func (s *Service) RequireApp() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "tutorbaseRequireApp",
		Priority: apis.DefaultLoadAuthTokenMiddlewarePriority + 2,
		Func: func(e *core.RequestEvent) error {
			u := e.Auth
			if u == nil || u.Collection().Name != "users" || u.GetBool("totp_enabled") ||
				!strings.HasPrefix(e.Request.URL.Path, "/api/") || !mustKeepApp(e.App, u) || mayEnrol(e) {
				return e.Next()
			}
			return apis.NewForbiddenError("Set up an authenticator app first: your school requires one for your account.",
				validation.Errors{"totp": validation.NewError("app_setup_required", "Set up an authenticator app first: your school requires one for your account.")})
		},
	}
}

// mayEnrol reports whether a request is one a person owing the app may
// make: the app's own routes, their sessions, their own record, and
// reads any visitor may make (public collections).
func mayEnrol(e *core.RequestEvent) bool {
	path, self := e.Request.URL.Path, "/api/collections/users/records/"+e.Auth.Id
	switch {
	case strings.HasPrefix(path, "/api/me/totp/"), strings.HasPrefix(path, "/api/me/sessions"),
		path == "/api/collections/users/auth-refresh", path == "/api/health", path == self && e.Request.Method == http.MethodGet:
		return true
	case e.Request.Method != http.MethodGet:
		return false
	}
	name, ok := strings.CutPrefix(path, "/api/collections/")
	if !ok {
		return false
	}
	name, _, _ = strings.Cut(name, "/")
	c, err := e.App.FindCachedCollectionByNameOrId(name)
	return err == nil && c.ViewRule != nil && *c.ViewRule == "" && c.ListRule != nil && *c.ListRule == ""
}
