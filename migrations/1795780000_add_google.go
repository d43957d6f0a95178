package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Google Calendar (docs/calendars.md): a person's connection, the lessons
// owed to their calendar, and busy times imported from it.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		// one per person who connected Google Calendar; the tokens are
		// sealed (internal/tokenbox) and hidden; only the server reads the
		// records, people see their own through GET /api/google/calendar
		links := core.NewBaseCollection("google_links")
		links.Fields.Add(
			relation("user", users.Id, true, true),
			text("email", 320, false),
			text("calendar", 1024, false), // where lessons are written, "primary" by default
			choice("status", true, "pending", "connected", "revoked"),
			text("last_error", 40, false),
			&core.DateField{Name: "connected_at"},
			&core.DateField{Name: "busy_synced_at"},                         // the last import of busy times that worked
			&core.DateField{Name: "busy_next"},                              // when the job imports them next
			integer("busy_events", 0, 1e6, false),                           // busy intervals stored
			integer("version", 0, 1e12, false),                              // compare-and-set of the busy import
			&core.TextField{Name: "refresh_token", Max: 4096, Hidden: true}, // sealed
			&core.TextField{Name: "access_token", Max: 8192, Hidden: true},  // sealed
			&core.DateField{Name: "token_expiry", Hidden: true},
			&core.TextField{Name: "state", Max: 64, Hidden: true}, // of the consent under way
			&core.DateField{Name: "state_expires", Hidden: true},
		)
		links.Fields.Add(timestamps()...)
		links.AddIndex("idx_google_links_user", true, "user", "")
		links.AddIndex("idx_google_links_busy_next", false, "busy_next", "")
		if err := app.Save(links); err != nil {
			return err
		}

		// the calendar outbox: what each lesson should look like in each
		// connected calendar (want, times) and what was pushed: version
		// moves with every change, pushed catches up after Google answers
		events := core.NewBaseCollection("google_events")
		events.Fields.Add(
			text("booking", 15, true), // the lesson (a reschedule moves the row to the new booking)
			relation("user", users.Id, true, true),
			text("event_id", 64, true), // stable: Google's event id, so a retry never duplicates
			text("calendar", 1024, false),
			choice("want", true, "present", "absent"),
			&core.DateField{Name: "start"},
			&core.DateField{Name: "end"},
			text("title", 300, false),
			integer("version", 0, 1e12, false),
			integer("pushed", 0, 1e12, false),
			integer("attempts", 0, 1e6, false),
			&core.DateField{Name: "next_attempt"},
			text("last_error", 40, false),
			choice("status", true, "pending", "done", "failed", "stopped"),
			&core.BoolField{Name: "meet"},    // ask Google for a Meet conference
			&core.URLField{Name: "meet_url"}, // Google's answer
		)
		events.Fields.Add(timestamps()...)
		events.AddIndex("idx_google_events_booking_user", true, "booking, user", "")
		events.AddIndex("idx_google_events_due", false, "status, next_attempt", "")
		if err := app.Save(events); err != nil {
			return err
		}

		// busy times come from a feed or from a Google connection
		busy, err := app.FindCollectionByNameOrId("busy_times")
		if err != nil {
			return err
		}
		if f, ok := busy.Fields.GetByName("feed").(*core.RelationField); ok {
			f.Required = false
		}
		busy.Fields.Add(relation("google", links.Id, false, true))
		busy.AddIndex("idx_busy_times_google", false, "google", "")
		return app.Save(busy)
	}, func(app core.App) error {
		busy, err := app.FindCollectionByNameOrId("busy_times")
		if err != nil {
			return err
		}
		if _, err := app.DB().NewQuery("DELETE FROM busy_times WHERE feed = ''").Execute(); err != nil {
			return err
		}
		busy.RemoveIndex("idx_busy_times_google")
		busy.Fields.RemoveByName("google")
		if f, ok := busy.Fields.GetByName("feed").(*core.RelationField); ok {
			f.Required = true
		}
		if err := app.Save(busy); err != nil {
			return err
		}
		return dropCollections(app, "google_events", "google_links")
	})
}
