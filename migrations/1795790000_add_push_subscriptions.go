package migrations

import (
	"slices"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The push channel: a subscription per device where a person turned push
// notifications on (the browser's PushSubscription), and "push" as a
// delivery channel.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		subs := core.NewBaseCollection("push_subscriptions")
		subs.Fields.Add(
			relation("user", users.Id, true, true),
			// the push service's URL for this device: a capability, unique
			// (the subscribe route takes https ones only)
			text("endpoint", 1000, true),
			&core.TextField{Name: "p256dh", Max: 100, Required: true, Hidden: true}, // the device's public key
			&core.TextField{Name: "auth", Max: 50, Required: true, Hidden: true},    // its auth secret
			text("device", 120, false), // what the browser says it is, for the person's list
		)
		subs.Fields.Add(timestamps()...)
		subs.AddIndex("idx_push_subscriptions_endpoint", true, "endpoint", "")
		subs.AddIndex("idx_push_subscriptions_user", false, "user", "")
		own := rule(RulePushSubscriptionsOwn)
		rules(subs, own, own, nil, nil, own)
		if err := app.Save(subs); err != nil {
			return err
		}
		return setDeliveryChannel(app, true)
	}, func(app core.App) error {
		if err := setDeliveryChannel(app, false); err != nil {
			return err
		}
		return dropCollections(app, "push_subscriptions")
	})
}

// setDeliveryChannel adds "push" to (or removes it from) the values of
// deliveries.channel, makes room in deliveries.recipient for a push
// endpoint (up to 1000 characters; 320 was an email address's longest),
// and lets a notification have a delivery per device: one per channel and
// recipient (a skipped one has none).
func setDeliveryChannel(app core.App, add bool) error {
	deliveries, err := app.FindCollectionByNameOrId("deliveries")
	if err != nil {
		return err
	}
	deliveries.RemoveIndex("idx_deliveries_notification_channel")
	if add {
		deliveries.AddIndex("idx_deliveries_notification_channel", true, "notification, channel, recipient", "")
	} else {
		if _, err := app.DB().NewQuery("DELETE FROM deliveries WHERE channel = 'push'").Execute(); err != nil {
			return err
		}
		deliveries.AddIndex("idx_deliveries_notification_channel", true, "notification, channel", "")
	}
	f, ok := deliveries.Fields.GetByName("channel").(*core.SelectField)
	if !ok {
		return nil
	}
	f.Values = slices.DeleteFunc(f.Values, func(v string) bool { return v == "push" })
	recipient, _ := deliveries.Fields.GetByName("recipient").(*core.TextField)
	if recipient != nil {
		recipient.Max = 320
	}
	if add {
		f.Values = append(f.Values, "push")
		if recipient != nil {
			recipient.Max = 1000
		}
	}
	return app.Save(deliveries)
}
