package booking

import (
	"net/http"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// staffListed are the collections whose list rule leaves staff out for
// speed (see migrations.RuleBookingsList); an admin's list request is served
// here, without the rule, exactly as PocketBase serves a superuser's.
var staffListed = map[string]bool{"bookings": true}

func StaffLists() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "tutorbaseStaffLists",
		Priority: apis.DefaultBodyLimitMiddlewarePriority + 2,
		Func: func(e *core.RequestEvent) error {
			if e.Request.Method != http.MethodGet || e.Auth == nil || e.Auth.IsSuperuser() || !platform.IsStaff(e) {
				return e.Next()
			}
			const prefix = "/api/collections/"
			path := e.Request.URL.Path
			if len(path) <= len(prefix) || path[:len(prefix)] != prefix {
				return e.Next()
			}
			name := path[len(prefix):]
			if len(name) < len("/records") || name[len(name)-len("/records"):] != "/records" {
				return e.Next()
			}
			name = name[:len(name)-len("/records")]
			if !staffListed[name] {
				return e.Next()
			}
			return staffList(e, name)
		},
	}
}

// staffList is PocketBase's records list without the list rule: filter,
// sort, paging and expand work as usual.
func staffList(e *core.RequestEvent, name string) error {
	collection, err := e.App.FindCachedCollectionByNameOrId(name)
	if err != nil {
		return e.NotFoundError("Missing collection context.", err)
	}
	return platform.ListRecords(e, collection, e.App.RecordQuery(collection))
}
