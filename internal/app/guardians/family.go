package guardians

import (
	"net/http"
	"slices"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// The bookings list rule names only a lesson's student and tutor, for
// speed (see migrations.RuleBookingsList): a guardian clause there would
// join every student's and tutor's list with the links. So a guardian's
// bookings list is served here, as PocketBase serves it, with the
// bookings of their students (an indexed IN on student), and their live
// updates come on FamilyBookingsTopic. Viewing one booking follows the
// view rule, which names guardians.

// FamilyBookingsTopic is the realtime topic on which a guardian hears of
// every change to their students' bookings, as {"action": "create" |
// "update" | "delete", "record": …}. Anyone may subscribe; only the
// student's guardians are sent anything.
const FamilyBookingsTopic = "family/bookings"

// FamilyLists serves a guardian's GET /api/collections/bookings/records.
func FamilyLists() *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       "tutorbaseFamilyLists",
		Priority: apis.DefaultBodyLimitMiddlewarePriority + 2,
		Func: func(e *core.RequestEvent) error {
			if e.Request.Method != http.MethodGet || e.Auth == nil || e.Auth.Collection().Name != "users" ||
				e.Auth.GetString("role") != platform.RoleGuardian || e.Request.URL.Path != "/api/collections/bookings/records" {
				return e.Next()
			}
			return familyList(e)
		},
	}
}

func familyList(e *core.RequestEvent) error {
	collection, err := e.App.FindCachedCollectionByNameOrId("bookings")
	if err != nil {
		return e.NotFoundError("Missing collection context.", err)
	}
	kids, err := platform.StudentsOf(e.App, e.Auth.Id)
	if err != nil {
		return err
	}
	ids := make([]any, len(kids))
	for i, k := range kids {
		ids[i] = k
	}
	query := e.App.RecordQuery(collection).AndWhere(dbx.In(collection.Name+".student", ids...))
	if len(ids) == 0 {
		query = e.App.RecordQuery(collection).AndWhere(dbx.NewExp("1 = 0"))
	}
	return platform.ListRecords(e, collection, query)
}

func registerFamilyRealtime(app core.App) {
	platform.TellOnTopic(app, "bookings", FamilyBookingsTopic, func(app core.App, r *core.Record) func(*core.Record) bool {
		guardians, err := platform.GuardiansOf(app, r.GetString("student"))
		if err != nil {
			app.Logger().Error("failed to read a student's guardians", "student", r.GetString("student"), "error", err)
		}
		return func(auth *core.Record) bool {
			return auth != nil && auth.Collection().Name == "users" && auth.GetString("role") == platform.RoleGuardian &&
				slices.Contains(guardians, auth.Id)
		}
	})
}
