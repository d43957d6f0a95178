package platform

import (
	"encoding/json"
	"slices"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/routine"
	"github.com/pocketbase/pocketbase/tools/subscriptions"
)

// TellOnTopic sends every change of collection's records on a realtime
// topic of its own, as {"action": "create"|"update"|"delete", "record": …},
// to the subscribed clients whose auth who allows (who is called once per
// change, and only when someone listens). It serves readers that
// PocketBase's own "collection/*" topic leaves out because the list rule
// does not name them (staff, a student's guardians).
func TellOnTopic(app core.App, collection, topic string, who func(app core.App, r *core.Record) func(auth *core.Record) bool) {
	tell := func(action string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			tellTopic(e.App, topic, action, e.Record, who)
			return e.Next()
		}
	}
	app.OnRecordAfterCreateSuccess(collection).BindFunc(tell("create"))
	app.OnRecordAfterUpdateSuccess(collection).BindFunc(tell("update"))
	app.OnRecordAfterDeleteSuccess(collection).BindFunc(tell("delete"))
}

func tellTopic(app core.App, topic, action string, r *core.Record, who func(core.App, *core.Record) func(*core.Record) bool) {
	broker := app.SubscriptionsBroker()
	if broker.TotalClients() == 0 {
		return
	}
	var allowed func(*core.Record) bool
	var msg *subscriptions.Message
	for _, c := range broker.Clients() {
		if !c.HasSubscription(topic) {
			continue
		}
		if allowed == nil {
			allowed = who(app, r)
		}
		if auth, _ := c.Get(apis.RealtimeClientAuthKey).(*core.Record); !allowed(auth) {
			continue
		}
		if msg == nil {
			data, err := json.Marshal(map[string]any{"action": action, "record": r})
			if err != nil {
				app.Logger().Error("failed to encode a record for a topic", "topic", topic, "id", r.Id, "error", err)
				return
			}
			msg = &subscriptions.Message{Name: topic, Data: data}
		}
		client, m := c, *msg
		routine.FireAndForget(func() { client.Send(m) }) // Send waits for the client to read
	}
}

// PeopleNamedIn is a TellOnTopic audience for a person's own topic: the
// signed-in users named by one of the record's fields (for bookings,
// "student" and "tutor_user", as the list rule says). It compares ids
// only: no rule is evaluated and nothing is read per subscriber, which
// PocketBase's "collection/*" topic does (one SQL query per subscriber
// per change; measured in docs/benchmarks.md, realtime fan-out).
func PeopleNamedIn(fields ...string) func(core.App, *core.Record) func(*core.Record) bool {
	return func(_ core.App, r *core.Record) func(*core.Record) bool {
		ids := make([]string, 0, len(fields))
		for _, f := range fields {
			if id := r.GetString(f); id != "" {
				ids = append(ids, id)
			}
		}
		return func(auth *core.Record) bool {
			return auth != nil && auth.Collection().Name == "users" && slices.Contains(ids, auth.Id)
		}
	}
}
