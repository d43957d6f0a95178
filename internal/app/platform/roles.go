package platform

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// RequireStaff lets through school staff only: superusers and admins;
// 401 without a sign-in, 403 for anyone else.
func RequireStaff() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "tutorbaseRequireStaff",
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil {
				return e.UnauthorizedError("The request requires valid record authorization token.", nil)
			}
			if !IsStaff(e) {
				return e.ForbiddenError("Only school staff can do this.", nil)
			}
			return e.Next()
		},
	}
}

// RequireRole lets through signed-in users of one of roles (and staff);
// 401 without a sign-in, 403 for anyone else.
func RequireRole(roles ...string) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id: "tutorbaseRequireRole",
		Func: func(e *core.RequestEvent) error {
			if e.Auth == nil {
				return e.UnauthorizedError("The request requires valid record authorization token.", nil)
			}
			if !IsStaff(e) && (e.Auth.Collection().Name != "users" || !slices.Contains(roles, e.Auth.GetString("role"))) {
				return e.ForbiddenError("Your account cannot do this.", nil)
			}
			return e.Next()
		},
	}
}
