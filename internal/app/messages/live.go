package messages

import (
	"database/sql"
	"errors"
	"slices"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// MyMessagesTopic and MyThreadsTopic are the realtime topics on which a
// person hears of the messages and threads they read, as {"action":
// "create"|"update"|"delete", "record": …}: whom "messages/*" and
// "threads/*" tell (migrations.RuleMessagesView and RuleThreadsView: the
// thread's readers, staff once it is reported), decided by comparing ids
// with the thread's readers instead of evaluating the rule (a query
// through the thread) for every subscriber. The web app's header listens
// on MyMessagesTopic on every page. Anyone may subscribe; only those
// readers are sent anything.
const (
	MyMessagesTopic = "my/messages"
	MyThreadsTopic  = "my/threads"
)

func registerLive(app core.App) {
	platform.TellOnTopic(app, "messages", MyMessagesTopic, func(app core.App, r *core.Record) func(*core.Record) bool {
		thread, err := app.FindRecordById("threads", r.GetString("thread"))
		if err != nil { // gone with its thread (a cascade), or unreadable: told to nobody
			if !errors.Is(err, sql.ErrNoRows) {
				app.Logger().Error("failed to read a message's thread", "message", r.Id, "error", err)
			}
			return func(*core.Record) bool { return false }
		}
		return readersOf(app, thread)
	})
	platform.TellOnTopic(app, "threads", MyThreadsTopic, readersOf)
}

// readersOf is who may read thread, as a test of a realtime client's auth:
// its readers (the relation the rules ask, kept by the server: setReaders,
// FamilyChanged), and staff once it is reported.
func readersOf(_ core.App, thread *core.Record) func(*core.Record) bool {
	readers := thread.GetStringSlice("readers")
	reported := thread.GetBool("reported")
	return func(auth *core.Record) bool {
		if auth == nil {
			return false
		}
		if reported && platform.IsStaffRecord(auth) {
			return true
		}
		return auth.Collection().Name == "users" && slices.Contains(readers, auth.Id)
	}
}
