package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		// quiet hours delay (never drop) email, SMS, WhatsApp and Telegram
		users.Fields.Add(
			&core.TextField{Name: "quiet_start", Pattern: startClockPattern},
			&core.TextField{Name: "quiet_end", Pattern: startClockPattern},
			&core.TextField{Name: "telegram_chat_id", Max: 32, Pattern: `^-?[0-9]{1,20}$`},
		)
		if err := app.Save(users); err != nil {
			return err
		}

		// the rendered message for the other channels: HTML for email, a
		// short text for SMS, WhatsApp and Telegram
		notifications, err := app.FindCollectionByNameOrId("notifications")
		if err != nil {
			return err
		}
		notifications.Fields.Add(text("html", 50000, false), text("short", 400, false))
		if err := app.Save(notifications); err != nil {
			return err
		}

		deliveries, err := app.FindCollectionByNameOrId("deliveries")
		if err != nil {
			return err
		}
		deliveries.Fields.Add(
			&core.DateField{Name: "lease_until"}, // a claimed delivery is being sent until then
			text("recipient", 320, false),        // the address, number or chat it went to
			text("provider_id", 255, false),      // the provider's message id
		)
		deliveries.AddIndex("idx_deliveries_user", false, "user, created", "")
		if err := app.Save(deliveries); err != nil {
			return err
		}

		bookings, err := app.FindCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		// one row per reminder sent: a booking is reminded once per offset
		reminders := core.NewBaseCollection("reminders_sent")
		reminders.Fields.Add(
			relation("booking", bookings.Id, true, true),
			integer("offset_minutes", 1, 43200, true),
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		reminders.AddIndex("idx_reminders_sent_booking_offset", true, "booking, offset_minutes", "")
		return app.Save(reminders)
	}, func(app core.App) error {
		if err := dropCollections(app, "reminders_sent"); err != nil {
			return err
		}
		for name, fields := range map[string][]string{
			"users":         {"quiet_start", "quiet_end", "telegram_chat_id"},
			"deliveries":    {"lease_until", "recipient", "provider_id"},
			"notifications": {"html", "short"},
		} {
			c, err := app.FindCollectionByNameOrId(name)
			if err != nil {
				return err
			}
			for _, f := range fields {
				c.Fields.RemoveByName(f)
			}
			c.RemoveIndex("idx_deliveries_user")
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}
