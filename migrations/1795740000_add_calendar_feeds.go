package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// FeedURLMax is the longest calendar feed address a tutor may save.
const FeedURLMax = 2048

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

		// a tutor's other calendars, read as busy time (docs/calendars.md);
		// the address is a secret: only the tutor and staff see the record
		feeds := core.NewBaseCollection("calendar_feeds")
		feeds.Fields.Add(
			relation("tutor", tutors.Id, true, true),
			relation("tutor_user", users.Id, false, false),
			text("name", 100, false),
			text("url", FeedURLMax, true),
			choice("status", false, "pending", "ok", "failing"),
			text("last_error", 40, false),         // a code of icalfeed (blocked_address, http_status, timeout, ...)
			integer("last_status", 0, 999, false), // the HTTP status of http_status
			integer("failures", 0, 1e6, false),    // in a row
			integer("events", 0, 1e6, false),      // busy intervals stored
			integer("version", 0, 1e12, false),    // every change of the stored busy times moves it (compare-and-set)
			&core.DateField{Name: "checked_at"},   // the last fetch, whatever its outcome
			&core.DateField{Name: "synced_at"},    // the last fetch that succeeded (a 304 included)
			&core.DateField{Name: "next_attempt"}, // when the job fetches it next
			&core.DateField{Name: "notified_at"},  // the tutor was told of this run of failures
			&core.TextField{Name: "etag", Max: 512, Hidden: true},
			&core.TextField{Name: "last_modified", Max: 128, Hidden: true},
			&core.DateField{Name: "expanded_at", Hidden: true}, // the last full read (a 304 keeps it)
		)
		feeds.Fields.Add(timestamps()...)
		feeds.AddIndex("idx_calendar_feeds_tutor_url", true, "tutor, url", "")
		feeds.AddIndex("idx_calendar_feeds_tutor_user", false, "tutor_user", "")
		feeds.AddIndex("idx_calendar_feeds_next_attempt", false, "next_attempt", "")
		ownedRules(feeds)
		if err := app.Save(feeds); err != nil {
			return err
		}

		// the busy intervals read from the feeds: instants only, never a
		// title; written by the server alone, seen by the tutor and staff
		busy := core.NewBaseCollection("busy_times")
		busy.Fields.Add(
			relation("feed", feeds.Id, true, true),
			relation("tutor", tutors.Id, true, true),
			relation("tutor_user", users.Id, false, false),
			&core.DateField{Name: "start", Required: true},
			&core.DateField{Name: "end", Required: true},
		)
		busy.AddIndex("idx_busy_times_tutor_start", false, "tutor, start", "")
		busy.AddIndex("idx_busy_times_tutor_user_start", false, "tutor_user, start", "")
		busy.AddIndex("idx_busy_times_feed", false, "feed", "")
		rules(busy, rule(RuleTutorOwnedView), rule(RuleTutorOwnedView), nil, nil, nil)
		if err := app.Save(busy); err != nil {
			return err
		}

		// whether feeds may live on private, loopback or link-local
		// addresses (a school's own Nextcloud on its network); off by
		// default, so that a feed address cannot reach inside
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.Add(&core.BoolField{Name: "feeds_allow_private"})
		return app.Save(school)
	}, func(app core.App) error {
		if err := dropCollections(app, "busy_times", "calendar_feeds"); err != nil {
			return err
		}
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.RemoveByName("feeds_allow_private")
		return app.Save(school)
	})
}
