// Command plainpb is the baseline of Tutorbase's load test: a plain
// PocketBase v0.39.11 (no Tutorbase hooks, no jsvm, default settings, so rate
// limits are off) whose bootstrap creates a `bookings` collection of the same
// shape as Tutorbase's (migrations 1795632400, 1795640000, 1795650000): the
// same fields (relations included, pointing at minimal tutors, subjects,
// purchases, series and payouts collections), the same indexes, a public
// create rule and the list rule
// `student = @request.auth.id || tutor_user = @request.auth.id`. It has no
// overlap triggers: those are part of what Tutorbase's rules cost.
//
// It also has `threads` and `messages` collections of the shape of
// Tutorbase's (migration 1795870000) for the message phases: a message is
// read by its thread's participants and created by one of them as its
// author (ThreadRule, MessageCreateRule), and heard live by them through
// PocketBase's realtime, which applies the same rule.
//
// Comparing its create rate with Tutorbase's, in the same run on the same
// machine, shows what Tutorbase's booking rules cost (docs/benchmarks.md).
package main

import (
	"log"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// ListRule is the bookings list/view rule: each user sees their own lessons,
// as in Tutorbase (minus the admin clause, which has no users.role here).
const ListRule = "student = @request.auth.id || tutor_user = @request.auth.id"

func main() {
	app := pocketbase.New()
	app.OnBootstrap().BindFunc(func(e *core.BootstrapEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		return ensureSchema(e.App)
	})
	if err := app.Start(); err != nil {
		log.Fatal(err)
	}
}

// ensureSchema creates the collections once; later starts find them.
func ensureSchema(app core.App) error {
	if err := ensureMessages(app); err != nil {
		return err
	}
	if _, err := app.FindCollectionByNameOrId("bookings"); err == nil {
		return nil
	}
	return app.RunInTransaction(func(tx core.App) error {
		users, err := tx.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		ids, err := saveStandIns(tx, users.Id)
		if err != nil {
			return err
		}
		b := bookingsCollection(users.Id, ids)
		if err := tx.Save(b); err != nil {
			return err
		}
		b.Fields.Add(rel("rescheduled_from", b.Id, false))
		return tx.Save(b)
	})
}

// saveStandIns creates tiny stand-ins (a name; tutors also a user) for the
// collections bookings' relations point at, and returns their ids by name.
func saveStandIns(tx core.App, usersId string) (map[string]string, error) {
	ids := map[string]string{}
	for _, name := range []string{"tutors", "subjects", "purchases", "series", "payouts"} {
		c := core.NewBaseCollection(name)
		c.Fields.Add(&core.TextField{Name: "name", Max: 120})
		if name == "tutors" {
			c.Fields.Add(&core.RelationField{Name: "user", CollectionId: usersId, MaxSelect: 1})
		}
		if err := tx.Save(c); err != nil {
			return nil, err
		}
		ids[name] = c.Id
	}
	return ids, nil
}

// rel is a single relation field to the collection collectionId.
func rel(name, collectionId string, required bool) *core.RelationField {
	return &core.RelationField{Name: name, CollectionId: collectionId, MaxSelect: 1, Required: required}
}

// bookingsCollection is the bookings collection with Tutorbase's fields,
// indexes and list rule (its self-relation, rescheduled_from, is added
// once it is saved); ids are the stand-ins' ids by name.
func bookingsCollection(usersId string, ids map[string]string) *core.Collection {
	b := core.NewBaseCollection("bookings")
	b.Fields.Add(
		rel("tutor", ids["tutors"], true),
		rel("tutor_user", usersId, false),
		rel("student", usersId, true),
		&core.TextField{Name: "tutor_name", Max: 120},
		&core.TextField{Name: "student_name", Max: 120},
		rel("subject", ids["subjects"], false),
		rel("purchase", ids["purchases"], false),
		&core.DateField{Name: "start", Required: true},
		&core.DateField{Name: "end", Required: true},
		&core.SelectField{Name: "status", Values: []string{"pending", "confirmed", "cancelled", "completed", "no_show"}, MaxSelect: 1, Required: true},
		rel("series", ids["series"], false),
		&core.NumberField{Name: "price", OnlyInt: true, Min: types.Pointer(0.0), Max: types.Pointer(1e8)},
		&core.TextField{Name: "currency", Min: 3, Max: 3, Pattern: `^[A-Z]{3}$`},
		&core.URLField{Name: "meeting_url"},
		&core.TextField{Name: "notes", Max: 2000},
		rel("cancelled_by", usersId, false),
		&core.TextField{Name: "cancel_reason", Max: 500},
		&core.DateField{Name: "cancelled_at"},
		&core.BoolField{Name: "late_cancel"},
		&core.SelectField{Name: "payment_status", Values: []string{"unpaid", "paid", "refunded", "partially_refunded", "credit", "free"}, MaxSelect: 1},
		rel("payout", ids["payouts"], false),
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	b.AddIndex("idx_bookings_tutor_start", false, "tutor, start", "")
	b.AddIndex("idx_bookings_student_start", false, "student, start", "")
	b.AddIndex("idx_bookings_tutor_user_start", false, "tutor_user, start", "")
	b.AddIndex("idx_bookings_status_end", false, "status, \"end\"", "")
	b.AddIndex("idx_bookings_series", false, "series", "series != ''")
	b.AddIndex("idx_bookings_purchase", false, "purchase", "purchase != ''")
	b.AddIndex("idx_bookings_payment_status", false, "payment_status", "")
	b.AddIndex("idx_bookings_payout", false, "tutor, status, payout, \"end\"", "")
	b.ListRule = types.Pointer(ListRule)
	b.ViewRule = types.Pointer(ListRule)
	b.CreateRule = types.Pointer("")
	return b
}

// The messages' rules: Tutorbase's (migrations.RuleMessagesView and
// RuleMessagesCreate) minus the guardians' and staff's clauses, which have
// no collections here.
const (
	ThreadRule        = "@request.auth.id != '' && participants.id ?= @request.auth.id"
	MessageRule       = "@request.auth.id != '' && thread.participants.id ?= @request.auth.id"
	MessageCreateRule = MessageRule + " && author = @request.auth.id"
)

// ensureMessages creates threads and messages once, with Tutorbase's
// fields that a message's create and delivery touch, and its indexes.
func ensureMessages(app core.App) error {
	if _, err := app.FindCollectionByNameOrId("messages"); err == nil {
		return nil
	}
	return app.RunInTransaction(func(tx core.App) error {
		users, err := tx.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		threads := core.NewBaseCollection("threads")
		threads.Fields.Add(
			&core.RelationField{Name: "participants", CollectionId: users.Id, MaxSelect: 10},
			rel("student", users.Id, false),
			&core.DateField{Name: "last_message_at"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		threads.AddIndex("idx_threads_student", false, "student", "")
		threads.ListRule, threads.ViewRule = types.Pointer(ThreadRule), types.Pointer(ThreadRule)
		if err := tx.Save(threads); err != nil {
			return err
		}
		messages := core.NewBaseCollection("messages")
		messages.Fields.Add(
			&core.RelationField{Name: "thread", CollectionId: threads.Id, MaxSelect: 1, Required: true, CascadeDelete: true},
			rel("author", users.Id, false),
			&core.TextField{Name: "author_name", Max: 200},
			&core.TextField{Name: "body", Max: 4000},
			&core.FileField{Name: "attachments", MaxSelect: 5, MaxSize: 10 << 20, Protected: true},
			&core.DateField{Name: "edited"},
			&core.BoolField{Name: "deleted"},
			&core.AutodateField{Name: "created", OnCreate: true},
			&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
		)
		messages.AddIndex("idx_messages_thread_created", false, "thread, created", "")
		messages.AddIndex("idx_messages_author_created", false, "author, created", "")
		messages.ListRule, messages.ViewRule = types.Pointer(MessageRule), types.Pointer(MessageRule)
		messages.CreateRule = types.Pointer(MessageCreateRule)
		return tx.Save(messages)
	})
}
