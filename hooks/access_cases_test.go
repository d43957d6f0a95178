package hooks_test

import (
	"time"

	"tutorbase/hooks/hookstest"
)

// moneyTeachingAndMessagesCases are the rows of accessCases for money,
// teaching, notifications, accounts, families, messages and insight.
func moneyTeachingAndMessagesCases(future time.Time) []accessCase {
	return []accessCase{
		{
			collection: "payments",
			list:       row{0, 1, 0, 0, 0, 1, 1},
			view:       "payment", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"status": "refunded"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 400}, // its invoice refers to it
		},
		{
			collection: "invoices",
			list:       row{0, 1, 0, 0, 0, 1, 1},
			view:       "invoice", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"total": 1}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 403}, // invoices are kept, superusers included
		},
		{
			collection: "payouts",
			list:       row{0, 0, 0, 1, 0, 1, 1},
			view:       "payout", viewWant: row{404, 404, 404, 200, 404, 200, 200},
			create:     func(string) any { return map[string]any{} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"status": "paid"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "reviews",
			list:       row{1, 1, 1, 1, 1, 1, 1},
			view:       "review", viewWant: row{200, 200, 200, 200, 200, 200, 200},
			create:     func(string) any { return map[string]any{"booking": cast.IDs["unreviewed_booking"], "rating": 4} },
			createWant: row{400, 200, 400, 400, 400, 400, 200},
			update:     map[string]any{"comment": "Still great"}, updateWant: row{404, 200, 404, 404, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			collection: "materials", // one shared with the student, one attached to their lesson
			list:       row{0, 2, 0, 2, 0, 2, 2},
			view:       "material", viewWant: row{404, 200, 404, 200, 404, 200, 200},
			create: func(role string) any {
				owner := users(role)
				if role == hookstest.Visitor || role == hookstest.Superuser {
					owner = users(hookstest.Tutor)
				}
				return multipartBody{"owner": owner, "title": "Worksheet"}
			},
			createWant: row{400, 400, 400, 200, 200, 200, 200},
			update:     map[string]any{"title": "Worksheet v2"}, updateWant: row{404, 404, 404, 200, 404, 200, 200},
			deleteWant: row{404, 404, 404, 204, 404, 204, 204},
		},
		{
			collection: "material_downloads",
			list:       row{0, 0, 0, 1, 0, 1, 1},
			view:       "material_download", viewWant: row{404, 404, 404, 200, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"material": cast.IDs["material"], "owner": users(hookstest.Tutor), "user": users(hookstest.Student2)}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"user_name": "Forged"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "lesson_reports",
			list:       row{0, 1, 0, 1, 0, 1, 1},
			view:       "lesson_report", viewWant: row{404, 200, 404, 200, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"booking": cast.IDs["unreviewed_booking"], "topics": "Equations", "homework": "Page 12"}
			},
			createWant: row{400, 400, 400, 200, 400, 200, 200},
			update:     map[string]any{"topics": "Fractions again"}, updateWant: row{404, 404, 404, 200, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			// private notes: never the student; the other tutor teaches the
			// student too (a lesson of their own) and may write about them,
			// but reads only their own notes
			collection: "tutor_notes",
			list:       row{0, 0, 0, 1, 0, 1, 1},
			view:       "tutor_note", viewWant: row{404, 404, 404, 200, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"student": users(hookstest.Student), "body": "Prefers examples first"}
			},
			createWant: row{400, 400, 400, 200, 200, 200, 200},
			update:     map[string]any{"body": "Calmer now"}, updateWant: row{404, 404, 404, 200, 404, 200, 200},
			deleteWant: row{404, 404, 404, 204, 404, 204, 204},
		},
		{
			collection: "report_reminders",
			list:       row{forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, 0},
		},
		{
			collection: "notifications",
			list:       row{0, 1, 0, 1, 1, 0, 3},                                         // the tutors were told they are verified
			view:       "notification", viewWant: row{404, 200, 404, 404, 404, 200, 200}, // staff view one (deliveries), never list
			create: func(string) any {
				return map[string]any{"user": users(hookstest.Student), "kind": "x", "title": "Spoofed"}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"read_at": time.Now().UTC()}, updateWant: row{404, 200, 404, 404, 404, 404, 200},
			deleteWant: row{404, 204, 404, 404, 404, 404, 204},
		},
		{
			collection: "deliveries",
			list:       row{0, 0, 0, 0, 0, 3, 3},
			view:       "delivery", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"status": "sent"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "push_subscriptions",
			list:       row{0, 1, 0, 0, 0, 0, 1},
			view:       "push_subscription", viewWant: row{404, 200, 404, 404, 404, 404, 200},
			create: func(role string) any {
				return map[string]any{"user": users(role), "endpoint": "https://push.example.net/send/" + role, "p256dh": "x", "auth": "y"}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"device": "Renamed"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{404, 204, 404, 404, 404, 404, 204},
		},
		{
			collection: "audit_log",
			list:       row{0, 1, 0, 0, 0, 0, 1},
			view:       "audit", viewWant: row{404, 200, 404, 404, 404, 404, 200},
			create:     func(string) any { return map[string]any{"action": "forged"} },
			createWant: row{403, 403, 403, 403, 403, 403, 403},
			update:     map[string]any{"action": "forged"}, updateWant: row{403, 403, 403, 403, 403, 403, 403},
			deleteWant: row{403, 403, 403, 403, 403, 403, 403},
		},
		{
			collection: "stripe_events",
			list:       row{forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, 1},
			view:       "stripe_event", viewWant: row{403, 403, 403, 403, 403, 403, 200},
			create:     func(string) any { return map[string]any{"event_id": "evt_new", "type": "x"} },
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"type": "y"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "coupons",
			list:       row{0, 0, 0, 0, 0, 1, 1},
			view:       "coupon", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{"code": "new20", "percent": 20, "active": true} },
			createWant: row{400, 400, 400, 400, 400, 200, 200},
			update:     map[string]any{"description": "Spring"}, updateWant: row{404, 404, 404, 404, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 400, 400}, // its redemption refers to it: deactivate it instead
		},
		{
			collection: "coupon_redemptions",
			list:       row{0, 1, 0, 0, 0, 1, 1},
			view:       "coupon_redemption", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"status": "redeemed"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "billing_details",
			list:       row{0, 0, 0, 0, 1, 1, 1},
			view:       "billing_details", viewWant: row{404, 404, 404, 404, 200, 200, 200},
			create: func(string) any {
				return map[string]any{"user": users(hookstest.Student), "billing_fiscal_code": "RSSMRA80A01H501U"}
			},
			createWant: row{400, 200, 400, 400, 400, 200, 200},
			update:     map[string]any{"billing_city": "Roma"}, updateWant: row{404, 404, 404, 404, 200, 200, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "credit_ledger",
			list:       row{0, 1, 0, 0, 0, 1, 1},
			view:       "ledger", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{"kind": "bought"} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"delta": 100}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "sessions",
			list:       row{0, 1, 0, 0, 0, 0, 1},
			view:       "session", viewWant: row{404, 200, 404, 404, 404, 404, 200},
			create: func(string) any {
				return map[string]any{"user": users(hookstest.Student), "first_seen": future, "last_seen": future}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"revoked_reason": "signed_out"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "flags",
			list:       row{0, 0, 0, 0, 0, 1, 1},
			view:       "flag", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"rule": "card_testing", "subject": "someone", "status": "open"}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"status": "dismissed"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "guardians",
			list:       row{0, 1, 0, 0, 0, 1, 1},
			view:       "guardian_invite", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"student": users(hookstest.Student), "email": "made@test.localhost", "status": "invited"}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"status": "accepted"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "faq",
			list:       row{1, 1, 1, 1, 1, 1, 1},
			view:       "faq", viewWant: row{200, 200, 200, 200, 200, 200, 200},
			create: func(string) any {
				return map[string]any{"question": "Can I pay by card?", "answer": "Yes.", "language": "en"}
			},
			createWant: row{400, 400, 400, 400, 400, 200, 200},
			update:     map[string]any{"answer": "Open it and press Cancel."}, updateWant: row{404, 404, 404, 404, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			collection: "assistant_questions",
			list:       row{0, 0, 0, 0, 0, 1, 1},
			view:       "assistant_question", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"question": "Made up?", "key": "made", "language": "en", "asked": 1, "status": "open"}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"status": "dismissed"}, updateWant: row{404, 404, 404, 404, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			collection: "unmet_demand",
			list:       row{forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, 0},
		},
		{
			collection: "plans",
			list:       row{1, 1, 1, 1, 1, 2, 2},
			view:       "hidden_plan", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"title": "Eight a month", "credits": 8, "price": 26000, "currency": "EUR", "interval": "month", "active": true}
			},
			createWant: row{400, 400, 400, 400, 400, 200, 200},
			update:     map[string]any{"description": "Two a week"}, updateWant: row{404, 404, 404, 404, 404, 200, 200},
			deleteWant: row{404, 404, 404, 404, 404, 204, 204},
		},
		{
			collection: "subscriptions",
			list:       row{0, 1, 0, 0, 0, 1, 1},
			view:       "subscription", viewWant: row{404, 200, 404, 404, 404, 200, 200},
			create:     func(string) any { return map[string]any{} },
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"status": "active"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "threads",
			list:       row{0, 1, 0, 1, 0, 0, 1},
			view:       "thread", viewWant: row{404, 200, 404, 200, 404, 404, 200},
			create: func(string) any {
				return map[string]any{"kind": "direct", "participants": []string{users(hookstest.Student2)}, "status": "open"}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"status": "closed"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "messages",
			list:       row{0, 1, 0, 1, 0, 0, 1},
			view:       "message", viewWant: row{404, 200, 404, 200, 404, 404, 200},
			create: func(role string) any {
				author := users(role)
				if role == hookstest.Superuser || role == hookstest.Visitor {
					author = users(hookstest.Student)
				}
				return map[string]any{"thread": cast.IDs["thread"], "author": author, "body": "Hello from " + role}
			},
			createWant: row{400, 200, 400, 200, 400, 400, 200},
			update:     map[string]any{"body": "Bring the blue workbook."}, updateWant: row{404, 404, 404, 200, 404, 404, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "thread_reads",
			list:       row{0, 1, 0, 1, 0, 0, 2},
			view:       "thread_read", viewWant: row{404, 200, 404, 404, 404, 404, 200},
			create: func(string) any {
				return map[string]any{"thread": cast.IDs["thread"], "user": users(hookstest.Student2)}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"last_read": "2020-01-01 00:00:00.000Z"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "login_attempts",
			list:       row{forbidden, forbidden, forbidden, forbidden, forbidden, forbidden, 0},
		},
		{
			collection: "churn_scores",
			list:       row{0, 0, 0, 0, 0, 1, 1},
			view:       "churn_score", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"student": users(hookstest.Student2), "score": 90, "computed": "2020-01-01 00:00:00.000Z"}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"score": 10}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "sequences",
			list:       row{0, 0, 0, 0, 0, 6, 6},
			view:       "sequence", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"trigger": "welcome", "texts": map[string]any{}}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 400},
			update:     map[string]any{"active": true}, updateWant: row{404, 404, 404, 404, 404, 200, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "sequence_sends",
			list:       row{0, 0, 0, 0, 0, 1, 1},
			view:       "sequence_send", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"sequence": "seqreview000000", "person": users(hookstest.Student)}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"opened_at": "2020-01-01 00:00:00.000Z"}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
		{
			collection: "sequence_optouts",
			list:       row{0, 0, 0, 0, 0, 1, 1},
			view:       "sequence_optout", viewWant: row{404, 404, 404, 404, 404, 200, 200},
			create: func(string) any {
				return map[string]any{"sequence": "seqreview000000", "person": users(hookstest.Student)}
			},
			createWant: row{403, 403, 403, 403, 403, 403, 200},
			update:     map[string]any{"all_sequences": true}, updateWant: row{403, 403, 403, 403, 403, 403, 200},
			deleteWant: row{403, 403, 403, 403, 403, 403, 204},
		},
	}
}
