package payments

import (
	"time"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// lessonLine is what a lesson's payment, its invoice line and its Stripe
// Checkout item say: the time in the student's own zone, with the zone
// named ("Lesson with Giulia Rossi on 2026-12-07 07:30
// (America/Los_Angeles)"), not in UTC, which no student reads. The web app
// shows these lines again in the viewer's zone, locale and language.
func lessonLine(app core.App, b *core.Record) string {
	loc := time.UTC
	var zone string
	err := app.DB().Select("timezone").From("users").Where(dbx.HashExp{"id": b.GetString("student")}).Row(&zone)
	if l, lerr := platform.Location(app, zone); err == nil && lerr == nil {
		loc = l
	}
	start := b.GetDateTime("start").Time().In(loc)
	return "Lesson with " + b.GetString("tutor_name") + " on " + start.Format("2006-01-02 15:04") + " (" + loc.String() + ")"
}
