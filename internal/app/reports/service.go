// Package reports is the staff's weekly reports (bookings, revenue,
// cancellations, notification delivery), as JSON or CSV.
package reports

import (
	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"
	"tutorbase/migrations"

	"github.com/pocketbase/pocketbase/core"
)

// Service answers the reports route.
type Service struct {
	env      platform.Env
	channels *notify.Registry
}

// New returns the reports of an app whose notification channels are
// channels.
func New(env platform.Env, channels *notify.Registry) *Service {
	return &Service{env: env, channels: channels}
}

// Register keeps the report_days, report_tutor_days and
// report_student_months tables in the school's zone: when the zone
// changes, they are counted again in the transaction that changes it
// (triggers keep them as bookings change, migrations.ReportDays and
// migrations.ReportTutorDays).
func (s *Service) Register(app core.App) {
	app.OnRecordUpdate("school").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("timezone") == e.Record.Original().GetString("timezone") {
			return e.Next()
		}
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := e.Next(); err != nil {
				return err
			}
			loc, err := platform.Location(tx, e.Record.GetString("timezone"))
			if err != nil {
				return err
			}
			if err := migrations.RebuildReportDays(tx, loc); err != nil {
				return err
			}
			return migrations.RebuildReportTotals(tx)
		})
	})
}
