package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Google Calendar push notifications and sync tokens (docs/calendars.md):
// the sync token of each chosen calendar, the events.watch channels open
// for them (with the highest message number taken of each), the secret
// token Google echoes in every push, and when the busy times were last
// read in full.
func init() {
	m.Register(func(app core.App) error {
		links, err := app.FindCollectionByNameOrId("google_links")
		if err != nil {
			return err
		}
		links.Fields.Add(
			&core.JSONField{Name: "sync_tokens", MaxSize: 64 << 10, Hidden: true}, // calendar id → nextSyncToken
			&core.JSONField{Name: "channels", MaxSize: 64 << 10, Hidden: true},    // [{id, resource, calendar, expires, seen}]
			&core.TextField{Name: "channel_token", Max: 64, Hidden: true},
			&core.DateField{Name: "busy_full_at", Hidden: true},
		)
		return app.Save(links)
	}, func(app core.App) error {
		links, err := app.FindCollectionByNameOrId("google_links")
		if err != nil {
			return err
		}
		for _, f := range []string{"sync_tokens", "channels", "channel_token", "busy_full_at"} {
			links.Fields.RemoveByName(f)
		}
		return app.Save(links)
	})
}
