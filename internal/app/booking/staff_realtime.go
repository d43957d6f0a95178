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

func (s *Service) registerStaffRealtime(app core.App) {
	platform.TellOnTopic(app, "bookings", StaffBookingsTopic, func(core.App, *core.Record) func(*core.Record) bool {
		return platform.IsStaffRecord
	})
}
