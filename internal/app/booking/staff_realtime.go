package booking

import (
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

// StaffBookingsTopic is the realtime topic on which staff hear of every
// booking change, as {"action": "create"|"update"|"delete", "record": …}.
// PocketBase's own "bookings/*" topic follows the bookings list rule,
// which names only a lesson's student and tutor (see
// migrations.RuleBookingsList), so it tells an admin of their own lessons
// only. Anyone may subscribe; only admins and superusers are sent anything.
const StaffBookingsTopic = "staff/bookings"

// MyBookingsTopic is the realtime topic on which a student and a tutor
// hear of their own lessons' changes, as on StaffBookingsTopic. It tells
// whom "bookings/*" tells (the list rule: the booking's student and
// tutor_user), but by comparing ids: "bookings/*" evaluates the list rule,
// an SQL query, for every subscriber on every change, which with 2,000
// open pages costs a quarter of a second of CPU per booking. Anyone may
// subscribe; only the lesson's student and tutor are sent anything.
const MyBookingsTopic = "my/bookings"

func (s *Service) registerStaffRealtime(app core.App) {
	platform.TellOnTopic(app, "bookings", StaffBookingsTopic, func(core.App, *core.Record) func(*core.Record) bool {
		return platform.IsStaffRecord
	})
	platform.TellOnTopic(app, "bookings", MyBookingsTopic, platform.PeopleNamedIn("student", "tutor_user"))
}
