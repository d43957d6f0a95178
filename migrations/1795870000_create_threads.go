package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// messageRateLimits bound sending per IP (the messages hook also bounds
// each author, whatever their address) and the thread routes.
var messageRateLimits = []core.RateLimitRule{
	{Label: "messages:create", MaxRequests: 30, Duration: 60},
	{Label: "/api/threads/", MaxRequests: 120, Duration: 60},
	{Label: "/api/messages/", MaxRequests: 60, Duration: 60},
}

// Messages: threads (a conversation and who takes part: its participants,
// and the guardians of its student), their messages (plain text and
// protected attachments, edited and deleted for all by their author) and
// each person's read state of a thread.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		threads := core.NewBaseCollection("threads")
		threads.Fields.Add(
			choice("kind", true, "direct", "lesson"),
			&core.RelationField{Name: "participants", CollectionId: users.Id, MaxSelect: 10}, // an erased account leaves
			relation("student", users.Id, false, false),                                      // whose guardians take part too
			relation("booking", bookings.Id, false, true),
			&core.TextField{Name: "pair_key", Max: 80, Hidden: true}, // one direct thread per pair
			&core.JSONField{Name: "people", MaxSize: 4 << 10},        // names and roles, no contact details
			text("subject", 120, false),
			choice("status", true, "open", "closed"),
			&core.BoolField{Name: "reported"},
			relation("reported_by", users.Id, false, false),
			&core.DateField{Name: "reported_at"},
			text("report_reason", 500, false),
			relation("closed_by", users.Id, false, false),
			&core.DateField{Name: "closed_at"},
			&core.DateField{Name: "last_message_at"},
			relation("created_by", users.Id, false, false),
		)
		threads.Fields.Add(timestamps()...)
		threads.AddIndex("idx_threads_pair_key", true, "pair_key", "pair_key != ''")
		threads.AddIndex("idx_threads_booking", true, "booking", "booking != ''")
		threads.AddIndex("idx_threads_student", false, "student", "")
		threads.AddIndex("idx_threads_reported", false, "reported, last_message_at", "reported = 1")
		rules(threads, rule(RuleThreadsView), rule(RuleThreadsView), nil, nil, nil)
		if err := app.Save(threads); err != nil {
			return err
		}

		messages := core.NewBaseCollection("messages")
		messages.Fields.Add(
			relation("thread", threads.Id, true, true),
			relation("author", users.Id, false, false), // empty once its account is erased
			text("author_name", 200, false),
			text("body", 4000, false),
			&core.FileField{Name: "attachments", MaxSelect: 5, MaxSize: 10 << 20, Protected: true},
			&core.DateField{Name: "edited"},
			&core.BoolField{Name: "deleted"},
		)
		messages.Fields.Add(timestamps()...)
		messages.AddIndex("idx_messages_thread_created", false, "thread, created", "")
		messages.AddIndex("idx_messages_author_created", false, "author, created", "")
		rules(messages, rule(RuleMessagesView), rule(RuleMessagesView), rule(RuleMessagesCreate), rule(RuleMessagesUpdate), nil)
		if err := app.Save(messages); err != nil {
			return err
		}

		reads := core.NewBaseCollection("thread_reads")
		reads.Fields.Add(
			relation("thread", threads.Id, true, true),
			relation("user", users.Id, true, true),
			&core.DateField{Name: "last_read"},
			&core.DateField{Name: "notified_at"}, // the last unread-message notification
		)
		reads.Fields.Add(timestamps()...)
		reads.AddIndex("idx_thread_reads_thread_user", true, "thread, user", "")
		reads.AddIndex("idx_thread_reads_user", false, "user", "")
		rules(reads, rule(RuleThreadReadsOwn), rule(RuleThreadReadsOwn), nil, nil, nil)
		if err := app.Save(reads); err != nil {
			return err
		}

		s := app.Settings()
		for _, r := range messageRateLimits {
			if !slices.ContainsFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool { return x.Label == r.Label }) {
				s.RateLimits.Rules = append(s.RateLimits.Rules, r)
			}
		}
		s.RateLimits.Rules = OrderRateLimits(s.RateLimits.Rules)
		return app.Save(s)
	}, func(app core.App) error {
		if err := dropCollections(app, "thread_reads", "messages", "threads"); err != nil {
			return err
		}
		s := app.Settings()
		s.RateLimits.Rules = slices.DeleteFunc(s.RateLimits.Rules, func(x core.RateLimitRule) bool {
			return slices.ContainsFunc(messageRateLimits, func(r core.RateLimitRule) bool { return r.Label == x.Label })
		})
		return app.Save(s)
	})
}
