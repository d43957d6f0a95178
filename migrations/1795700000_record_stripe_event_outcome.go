package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Stripe event outcomes: the webhook records every correctly signed event,
// applied or ignored (an unknown, empty or malformed type, an object it
// cannot read), so a repeated delivery of either changes nothing.
const (
	StripeEventApplied = "applied"
	StripeEventIgnored = "ignored"
)

func init() {
	m.Register(func(app core.App) error {
		events, err := app.FindCollectionByNameOrId("stripe_events")
		if err != nil {
			return err
		}
		// an ignored event may have no type, or one too long for 100
		events.Fields.Add(text("type", 255, false))
		events.Fields.Add(choice("outcome", false, StripeEventApplied, StripeEventIgnored))
		events.Fields.Add(text("reason", 255, false))
		if err := app.Save(events); err != nil {
			return err
		}
		_, err = app.DB().NewQuery("UPDATE stripe_events SET outcome = {:applied} WHERE outcome = ''").
			Bind(map[string]any{"applied": StripeEventApplied}).Execute()
		return err
	}, func(app core.App) error {
		events, err := app.FindCollectionByNameOrId("stripe_events")
		if err != nil {
			return err
		}
		events.Fields.RemoveByName("outcome")
		events.Fields.RemoveByName("reason")
		return app.Save(events)
	})
}
