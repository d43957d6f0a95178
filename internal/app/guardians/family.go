package guardians

import (
	"encoding/json"
	"net/http"
	"slices"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/search"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
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
	info, err := e.RequestInfo()
	if err != nil {
		return e.BadRequestError("", err)
	}
	ids := make([]any, len(kids))
	for i, k := range kids {
		ids[i] = k
	}
	query := e.App.RecordQuery(collection).AndWhere(dbx.In(collection.Name+".student", ids...))
	if len(ids) == 0 {
		query = e.App.RecordQuery(collection).AndWhere(dbx.NewExp("1 = 0"))
	}
	resolver := core.NewRecordFieldResolver(e.App, collection, info, false)
	provider := search.NewProvider(resolver).Query(query).CountCol("_rowid_")
	records := []*core.Record{}
	result, err := provider.ParseAndExec(e.Request.URL.Query().Encode(), &records)
	if err != nil {
		return e.BadRequestError("Invalid list query.", err)
	}
	if err := apis.EnrichRecords(e, records); err != nil {
		return e.InternalServerError("Failed to enrich records", err)
	}
	return e.JSON(http.StatusOK, result)
}

func registerFamilyRealtime(app core.App) {
	tell := func(action string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			tellFamily(e.App, action, e.Record)
			return e.Next()
		}
	}
	app.OnRecordAfterCreateSuccess("bookings").BindFunc(tell("create"))
	app.OnRecordAfterUpdateSuccess("bookings").BindFunc(tell("update"))
	app.OnRecordAfterDeleteSuccess("bookings").BindFunc(tell("delete"))
}

func tellFamily(app core.App, action string, r *core.Record) {
	broker := app.SubscriptionsBroker()
	if broker.TotalClients() == 0 {
		return
	}
	var guardians []string
	var msg *subscriptions.Message
	for _, c := range broker.Clients() {
		if !c.HasSubscription(FamilyBookingsTopic) {
			continue
		}
		auth, _ := c.Get(apis.RealtimeClientAuthKey).(*core.Record)
		if auth == nil || auth.Collection().Name != "users" || auth.GetString("role") != platform.RoleGuardian {
			continue
		}
		if msg == nil {
			var err error
			if guardians, err = platform.GuardiansOf(app, r.GetString("student")); err != nil || len(guardians) == 0 {
				return
			}
			data, err := json.Marshal(map[string]any{"action": action, "record": r})
			if err != nil {
				app.Logger().Error("failed to encode a booking for a family", "id", r.Id, "error", err)
				return
			}
			msg = &subscriptions.Message{Name: FamilyBookingsTopic, Data: data}
		}
		if !slices.Contains(guardians, auth.Id) {
			continue
		}
		client, m := c, *msg
		routine.FireAndForget(func() { client.Send(m) }) // Send waits for the client to read
	}
}
