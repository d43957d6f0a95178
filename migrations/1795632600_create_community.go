package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Channels are the ways a notification reaches a user.
var Channels = []string{"inapp", "email", "sms", "whatsapp", "telegram"}

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		tutors, err := app.FindCollectionByNameOrId("tutors")
		if err != nil {
			return err
		}
		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}

		reviews := core.NewBaseCollection("reviews")
		reviews.Fields.Add(
			relation("booking", bookings.Id, true, false),
			relation("student", users.Id, false, false),
			relation("tutor", tutors.Id, false, false),
			integer("rating", 1, 5, true),
			text("comment", 2000, false),
			&core.BoolField{Name: "hidden"},
			text("student_name", 120, false),
		)
		reviews.Fields.Add(timestamps()...)
		reviews.AddIndex("idx_reviews_booking", true, "booking", "")
		reviews.AddIndex("idx_reviews_tutor", false, "tutor, hidden, created", "")
		rules(reviews, rule(RuleReviewsView), rule(RuleReviewsView), rule(RuleReviewsCreate), rule(RuleReviewsUpdate), rule(RuleReviewsDelete))
		if err := app.Save(reviews); err != nil {
			return err
		}

		materials := core.NewBaseCollection("materials")
		materials.Fields.Add(
			relation("owner", users.Id, true, false),
			text("folder", 200, false),
			&core.TextField{Name: "title", Min: 1, Max: 200, Required: true},
			&core.FileField{Name: "file", Protected: true, MaxSelect: 1, MaxSize: 50 << 20, Required: true},
			integer("version", 1, 1e6, false),
			&core.RelationField{Name: "shared_with", CollectionId: users.Id, MaxSelect: 500},
			relation("booking", bookings.Id, false, false),
		)
		materials.Fields.Add(timestamps()...)
		materials.AddIndex("idx_materials_owner", false, "owner, folder", "")
		materials.AddIndex("idx_materials_booking", false, "booking", "booking != ''")
		rules(materials, rule(RuleMaterialsView), rule(RuleMaterialsView), rule(RuleMaterialsCreate), rule(RuleMaterialsWrite), rule(RuleMaterialsWrite))
		if err := app.Save(materials); err != nil {
			return err
		}
		materials.Fields.Add(relation("previous", materials.Id, false, false))
		if err := app.Save(materials); err != nil {
			return err
		}

		notifications := core.NewBaseCollection("notifications")
		notifications.Fields.Add(
			relation("user", users.Id, true, true),
			text("kind", 50, true),
			text("title", 200, true),
			text("body", 5000, false),
			&core.JSONField{Name: "data", MaxSize: 16 << 10},
			&core.DateField{Name: "read_at"},
		)
		notifications.Fields.Add(timestamps()...)
		notifications.AddIndex("idx_notifications_user", false, "user, created", "")
		notifications.AddIndex("idx_notifications_created", false, "created", "")
		rules(notifications, rule(RuleNotificationsView), rule(RuleNotificationsView), nil, rule(RuleNotificationsWrite), rule(RuleNotificationsWrite))
		if err := app.Save(notifications); err != nil {
			return err
		}

		deliveries := core.NewBaseCollection("deliveries")
		deliveries.Fields.Add(
			relation("notification", notifications.Id, true, true),
			relation("user", users.Id, false, false),
			choice("channel", true, Channels...),
			choice("status", true, "queued", "sending", "sent", "failed", "skipped"),
			integer("attempts", 0, 1000, false),
			&core.DateField{Name: "next_attempt"},
			text("last_error", 1000, false),
			&core.DateField{Name: "sent_at"},
		)
		deliveries.Fields.Add(timestamps()...)
		deliveries.AddIndex("idx_deliveries_notification_channel", true, "notification, channel", "")
		deliveries.AddIndex("idx_deliveries_due", false, "status, next_attempt", "")
		rules(deliveries, rule(RuleDeliveriesView), rule(RuleDeliveriesView), nil, nil, nil)
		return app.Save(deliveries)
	}, func(app core.App) error {
		return dropCollections(app, "deliveries", "notifications", "materials", "reviews")
	})
}
