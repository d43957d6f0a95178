// Package hooks binds Tutorbase's business rules and custom routes to a
// PocketBase app. It is thin on purpose: it reads records, calls the pure
// domain packages under internal/, writes records and translates errors into
// PocketBase's error shape.
//
// main and the tests call the very same Register, so what is tested is what
// runs.
package hooks

import (
	"tutorbase/internal/config"

	"github.com/pocketbase/pocketbase/core"
)

// Register binds every Tutorbase hook and route to app.
func Register(app core.App, cfg config.Config) error {
	registerSchool(app)
	registerText(app)
	registerStaff(app)
	registerNotifier(app)
	registerAccounts(app, cfg)
	registerContacts(app)
	registerLockout(app)
	registerProfiles(app)
	registerAvatars(app)
	registerAvailability(app)
	registerBookings(app)
	registerPackages(app)
	registerPayments(app, cfg)
	registerInvoices(app)
	registerRefunds(app)
	registerWebhook(app)
	registerPayouts(app)
	registerSearch(app)
	registerMatch(app)
	registerCaches(app)
	registerStaffRealtime(app)
	registerReviews(app)
	registerMaterials(app)
	registerReports(app)
	registerDeliveries(app)
	registerMetrics(app, cfg)
	registerCalendar(app)
	registerGuards(app)
	registerAudit(app)
	registerHTTP(app, cfg)
	return nil
}
