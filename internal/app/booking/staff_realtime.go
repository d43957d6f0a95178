package booking

import (
	"encoding/json"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// StaffBookingsTopic is the realtime topic on which staff hear of every
// booking change, as {"action": "create"|"update"|"delete", "record": …}.
// PocketBase's own "bookings/*" topic follows the bookings list rule,
// which names only a lesson's student and tutor (see
// migrations.RuleBookingsList), so it tells an admin of their own lessons
// only. Anyone may subscribe; only admins and superusers are sent anything.
const StaffBookingsTopic = "staff/bookings"

func (s *Service) registerStaffRealtime(app core.App) {
	tell := func(action string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			tellStaff(e.App, action, e.Record)
			return e.Next()
		}
	}
	app.OnRecordAfterCreateSuccess("bookings").BindFunc(tell("create"))
	app.OnRecordAfterUpdateSuccess("bookings").BindFunc(tell("update"))
	app.OnRecordAfterDeleteSuccess("bookings").BindFunc(tell("delete"))
}

func tellStaff(app core.App, action string, r *core.Record) {
	broker := app.SubscriptionsBroker()
	if broker.TotalClients() == 0 {
		return
	}
	var msg *subscriptions.Message
	for _, c := range broker.Clients() {
		if !c.HasSubscription(StaffBookingsTopic) {
			continue
		}
		if auth, _ := c.Get(apis.RealtimeClientAuthKey).(*core.Record); !platform.IsStaffRecord(auth) {
			continue
		}
		if msg == nil {
			data, err := json.Marshal(map[string]any{"action": action, "record": r})
			if err != nil {
				app.Logger().Error("failed to encode a booking for staff", "id", r.Id, "error", err)
				return
			}
			msg = &subscriptions.Message{Name: StaffBookingsTopic, Data: data}
		}
		client, m := c, *msg
		routine.FireAndForget(func() { client.Send(m) }) // Send waits for the client to read
	}
}
