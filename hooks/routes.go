package hooks

import (
	"database/sql"
	"errors"
	"io/fs"
	"net/http"
	"slices"

	"tutorbase/internal/app/accounts"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/google"
	"tutorbase/internal/app/guardians"
	"tutorbase/internal/app/ops"
	"tutorbase/internal/app/platform"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/router"
)

// route is one custom route: its method and path, its handler, who may
// call it, and the rate-limit rule it counts against (the label of one of
// migrations.RateLimitRules, which PocketBase matches by path; a test holds
// every route to it).
type route struct {
	method, path string
	handler      func(*core.RequestEvent) error
	who          *hook.Handler[*core.RequestEvent] // nil: anyone, visitors included
	limit        string
}

// callers are who may call a route at all.
type callers struct {
	person, anyone, family, tutor, staff *hook.Handler[*core.RequestEvent]
}

// routes is every custom route of Tutorbase, beside PocketBase's own API
// (records, auth, files, realtime, batch, settings), by capability.
// Handlers check what depends on the record (a booking's party, a
// purchase's buyer); who may call a route at all is said here.
func (s *Services) routes() []route {
	c := callers{
		person: apis.RequireAuth("users"),                                         // a signed-in person
		anyone: apis.RequireAuth("users", core.CollectionNameSuperusers),          // a person or a superuser
		family: platform.RequireRole(platform.RoleStudent, platform.RoleGuardian), // a student, a guardian for theirs, or staff
		tutor:  platform.RequireRole(platform.RoleTutor),                          // a tutor, or staff
		staff:  platform.RequireStaff(),                                           // an admin or a superuser
	}
	return slices.Concat(s.lessonRoutes(c), s.moneyRoutes(c), s.accountRoutes(c), s.teachingRoutes(c), s.staffRoutes(c))
}

// lessonRoutes are the routes of discovery and booking.
func (s *Services) lessonRoutes(c callers) []route {
	b := s.Booking
	return []route{
		// discovery: public
		{http.MethodGet, "/api/search/tutors", s.Discovery.SearchTutors, nil, "/api/search/"},
		{http.MethodGet, "/api/search/packages", s.Discovery.SearchPackages, nil, "/api/search/"},
		{http.MethodGet, "/api/match", s.Discovery.Match, nil, "/api/match"},
		{http.MethodGet, "/api/tutors/{id}/also-booked", s.Discovery.AlsoBooked, nil, "/api/tutors/"},
		{http.MethodGet, "/api/packages/popular", s.Discovery.PopularPackages, nil, "/api/packages/"},

		// booking (creating one is the records API: POST /api/collections/bookings/records)
		{http.MethodGet, "/api/tutors/{id}/slots", b.Slots, nil, "/api/tutors/"},
		{http.MethodPost, "/api/series", b.CreateSeries, c.family, "/api/series"},
		{http.MethodPost, "/api/bookings/{id}/confirm", b.Action("confirm"), c.anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/bookings/{id}/cancel", b.Action("cancel"), c.anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/bookings/{id}/reschedule", b.Action("reschedule"), c.anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/bookings/{id}/complete", b.Action("complete"), c.anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/bookings/{id}/no-show", b.Action("no-show"), c.anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/time-off/{id}/cancel-lessons", b.CancelForTimeOff, c.anyone, "/api/"}, // its tutor or staff
	}
}

// moneyRoutes are the routes of payments, plans and subscriptions, and payouts.
func (s *Services) moneyRoutes(c callers) []route {
	p := s.Payments
	return []route{
		// payments
		{http.MethodPost, "/api/purchases/checkout", p.Checkout, c.family, "/api/purchases/"},
		{http.MethodPost, "/api/purchases/{id}/cancel", p.CancelPurchase, c.anyone, "/api/purchases/"},
		{http.MethodPost, "/api/purchases/{id}/mark-paid", p.MarkPurchasePaid, c.staff, "/api/purchases/"},
		{http.MethodPost, "/api/bookings/{id}/mark-paid", p.MarkBookingPaid, c.staff, "POST /api/bookings/"},
		{http.MethodPost, "/api/payments/{id}/refund", p.Refund, c.staff, "/api/"},
		{http.MethodGet, "/api/invoices/{id}/pdf", p.InvoicePDF, c.anyone, "/api/"},
		{http.MethodGet, "/api/invoices/fatturapa.zip", p.FatturaPAZip, c.staff, "/api/"}, // ?month=YYYY-MM
		{http.MethodPost, "/api/stripe/webhook", p.Webhook, nil, "/api/stripe/webhook"},   // signed by the provider

		// plans and subscriptions
		{http.MethodPost, "/api/subscriptions", s.Subscriptions.Subscribe, c.family, "/api/"},
		{http.MethodPost, "/api/subscriptions/{id}/cancel", s.Subscriptions.Cancel, c.anyone, "/api/"},   // its payer or staff
		{http.MethodPost, "/api/subscriptions/{id}/plan", s.Subscriptions.ChangePlan, c.anyone, "/api/"}, // its payer or staff
		{http.MethodPost, "/api/subscriptions/{id}/portal", s.Subscriptions.Portal, c.anyone, "/api/"},   // its payer or staff
		{http.MethodPost, "/api/subscriptions/{id}/renew", s.Subscriptions.Renew, c.staff, "/api/"},

		// payouts
		{http.MethodGet, "/api/payouts/export.csv", s.Payouts.ExportCSV, c.staff, "/api/"},
		{http.MethodPost, "/api/payouts/{id}/mark-paid", s.Payouts.MarkPaid, c.staff, "/api/"},
		{http.MethodGet, "/api/payouts/account", s.Payouts.PayoutAccount, c.tutor, "/api/"},           // the caller's own, staff ?tutor=
		{http.MethodPost, "/api/payouts/account/link", s.Payouts.PayoutAccountLink, c.tutor, "/api/"}, // the caller's own, staff ?tutor=
		{http.MethodGet, "/api/statements/{month}", s.Statements.Statement, c.anyone, "/api/"},        // the caller's own, staff ?tutor= or ?user=
	}
}

// accountRoutes are the routes of notifications and proofs of contact, one's own sign-ins, data rights and families.
func (s *Services) accountRoutes(c callers) []route {
	n := s.Notifications
	return []route{
		// notifications and the proof of contact details
		{http.MethodGet, "/api/setup", n.Setup, nil, "/api/"}, // whether email is sent, for the sign-in screens
		{http.MethodPost, "/api/notifications/read-all", n.ReadAll, c.person, "/api/"},
		{http.MethodPost, "/api/deliveries/{id}/retry", n.RetryDelivery, c.staff, "/api/"},
		{http.MethodPost, "/api/account/phone/send", n.SendPhoneCode, c.person, "/api/account/"},
		{http.MethodPost, "/api/account/phone/verify", n.VerifyPhoneCode, c.person, "/api/account/"},
		{http.MethodPost, "/api/account/telegram/link", n.TelegramLink, c.person, "/api/account/"},
		{http.MethodPost, "/api/account/telegram/check", n.TelegramCheck, c.person, "/api/account/"},
		{http.MethodPost, "/api/account/telegram/disconnect", n.TelegramDisconnect, c.person, "/api/account/"},
		{http.MethodGet, "/api/account/push", n.PushKey, c.person, "/api/account/"},
		{http.MethodPost, "/api/account/push/subscribe", n.PushSubscribe, c.person, "/api/account/"},
		{http.MethodPost, "/api/account/push/unsubscribe", n.PushUnsubscribe, c.person, "/api/account/"},

		// one's own sign-ins
		{http.MethodGet, "/api/me/sessions", s.Signin.ListSessions, c.person, "/api/me/"},
		{http.MethodPost, "/api/me/sessions/revoke", s.Signin.RevokeSession, c.person, "/api/me/"},
		{http.MethodPost, "/api/me/sessions/revoke-all", s.Signin.RevokeAllSessions, c.person, "/api/me/"},
		{http.MethodPost, "/api/me/totp/setup", s.Signin.SetupTOTP, c.person, "/api/me/"},
		{http.MethodPost, "/api/me/totp/enable", s.Signin.EnableTOTP, c.person, "/api/me/"},
		{http.MethodPost, "/api/me/totp/disable", s.Signin.DisableTOTP, c.person, "/api/me/"},
		{http.MethodPost, "/api/me/totp/recovery-codes", s.Signin.NewRecoveryCodes, c.person, "/api/me/"},
		// the second step of a sign-in: its mfaId is the key
		{http.MethodPost, "/api/auth/second-factors", s.Signin.SecondFactors, nil, "/api/auth/"},
		{http.MethodPost, "/api/auth/totp", s.Signin.AuthWithTOTP, nil, "/api/auth/"},
		{http.MethodPost, "/api/auth/not-me", s.Signin.NotMe, nil, "/api/auth/"}, // the secret of a sign-in alert's link

		// data rights: one's own export and erasure; staff's for anyone
		{http.MethodGet, "/api/me/export", s.Privacy.ExportMe, c.person, "GET /api/me/export"},
		{http.MethodPost, "/api/me/delete", s.Privacy.RequestDeletion, c.person, "POST /api/me/delete"},
		{http.MethodGet, "/api/users/{id}/export", s.Privacy.ExportUser, c.staff, "/api/users/"},
		{http.MethodPost, "/api/users/{id}/erase", s.Privacy.EraseNow, c.staff, "/api/users/"},

		// families: the handlers check whose student it is
		{http.MethodPost, "/api/guardians/invite", s.Guardians.Invite, c.anyone, "/api/"},
		{http.MethodPost, "/api/guardians/accept", s.Guardians.Accept, c.person, "/api/"},
		{http.MethodPost, "/api/guardians/children", s.Guardians.AddChild, c.person, "/api/"},
		{http.MethodPost, "/api/guardians/link", s.Guardians.Link, c.staff, "/api/"},
		{http.MethodPost, "/api/guardians/{id}/remove", s.Guardians.Remove, c.anyone, "/api/"},
		{http.MethodPost, "/api/guardians/{id}/notices", s.Guardians.Notices, c.person, "/api/"},
	}
}

// teachingRoutes are the routes of calendars, materials, teaching between lessons and Google.
func (s *Services) teachingRoutes(c callers) []route {
	return []route{
		// calendar feeds: the feed's secret address is its own key
		{http.MethodGet, "/api/calendar/{file}", s.Calendar.Feed, nil, "/api/calendar/"},
		{http.MethodGet, "/api/calendar", s.Calendar.Link, c.person, "/api/calendar/"},
		{http.MethodPost, "/api/calendar/rotate", s.Calendar.Rotate, c.person, "/api/calendar/"},
		// busy times from the tutor's own calendars: the handler finds the feed's tutor (or staff)
		{http.MethodPost, "/api/calendar/feeds/{id}/refresh", s.Busy.RefreshNow, c.anyone, "/api/calendar/"},

		// materials (uploads, new versions and sharing are the records API:
		// /api/collections/materials/records); zip and open take a file token
		{http.MethodPost, "/api/materials/move", s.Materials.Move, c.tutor, "/api/materials/"},
		{http.MethodPost, "/api/materials/unshare", s.Materials.Unshare, c.tutor, "/api/materials/"},
		{http.MethodGet, "/api/materials/zip", s.Materials.Zip, nil, "/api/materials/"},
		{http.MethodGet, "/api/materials/{id}/open", s.Materials.Open, nil, "/api/materials/"},

		// teaching between lessons (reports themselves are the records API)
		{http.MethodPost, "/api/lesson-reports/{id}/homework-done", s.Teaching.HomeworkDone, c.person, "/api/"},
		{http.MethodGet, "/api/students/{id}/progress", s.Teaching.StudentProgress, c.anyone, "/api/"},
		{http.MethodGet, "/api/agenda", s.Teaching.AgendaRoute, c.anyone, "/api/"},

		// Google Calendar: the caller's own connection (docs/calendars.md)
		{http.MethodGet, "/api/google/calendar", s.Google.CalendarStatus, c.person, "/api/"},
		{http.MethodPost, "/api/google/calendar/connect", s.Google.Connect, c.person, "/api/"},
		{http.MethodPost, "/api/google/calendar/callback", s.Google.Callback, c.person, "/api/"},
		{http.MethodPost, "/api/google/calendar/disconnect", s.Google.Disconnect, c.person, "/api/"},
		{http.MethodGet, "/api/google/calendars", s.Google.Calendars, c.person, "/api/"},        // the caller's Google calendars and their choice
		{http.MethodPost, "/api/google/calendars", s.Google.ChooseCalendars, c.person, "/api/"}, // which block their slots, which gets the lessons
		{http.MethodPost, google.PushPath, s.Google.Push, nil, "/api/"},                         // Google's push: its channel's secret token
		{http.MethodGet, "/api/google/picker", s.Google.Picker, c.tutor, "/api/"},               // the Picker's keys, the tutor's own access token
		{http.MethodPost, "/api/google/drive/share", s.Google.DriveShare, c.tutor, "/api/"},     // the material's owner
	}
}

// staffRoutes are the routes of staff, assistance, messages, churn risk and follow-up sequences.
func (s *Services) staffRoutes(c callers) []route {
	return []route{
		// staff
		{http.MethodGet, "/api/reports/{name}", s.Reports.Report, c.staff, "/api/reports/"},
		{http.MethodPost, "/api/visits", s.Reports.CountVisit, nil, "/api/"}, // anonymous page views, counted per day (docs/insight.md)
		{http.MethodPost, "/api/flags/{id}/review", s.Flags.Review, c.staff, "/api/"},
		{http.MethodGet, "/metrics", s.Ops.Metrics, nil, ""},      // a superuser or the metrics token
		{http.MethodGet, "/api/ready", s.Ops.Ready, nil, "/api/"}, // load balancers, compose, systemd

		// assistance (docs/insight.md): the help assistant answers from the FAQ and the caller's own data
		{http.MethodPost, "/api/assistant", s.Assist.Ask, c.person, "POST /api/assistant"},
		{http.MethodGet, "/api/suggestions", s.Assist.Suggestions, c.person, "/api/"}, // the caller's own: a student's usual lessons
		// messages (sending and editing one is the records API: /api/collections/messages/records);
		// the handlers check who takes part in the thread
		{http.MethodPost, "/api/threads", s.Messages.Start, c.person, "/api/threads/"},
		{http.MethodGet, "/api/threads/unread", s.Messages.Unread, c.person, "/api/threads/"},
		{http.MethodPost, "/api/threads/{id}/read", s.Messages.Read, c.person, "/api/threads/"},
		{http.MethodPost, "/api/threads/{id}/report", s.Messages.Report, c.person, "/api/threads/"},
		{http.MethodPost, "/api/threads/{id}/close", s.Messages.Close, c.staff, "/api/threads/"},
		{http.MethodPost, "/api/bookings/{id}/thread", s.Messages.LessonThread, c.person, "POST /api/bookings/"},
		{http.MethodPost, "/api/messages/{id}/delete", s.Messages.Delete, c.person, "/api/messages/"},
		// churn risk (docs/insight.md): the students at risk, and a coupon offered to one of them
		{http.MethodGet, "/api/at-risk", s.Churn.List, c.staff, "/api/"},
		{http.MethodPost, "/api/at-risk/{id}/coupon", s.Churn.OfferCoupon, c.staff, "/api/"},
		// follow-up sequences (docs/insight.md): staff read them with their counts; the links in their
		// messages work without signing in, the signed token is the proof
		{http.MethodGet, "/api/sequences", s.Sequences.List, c.staff, "/api/"},
		{http.MethodGet, "/api/sequences/unsubscribe", s.Sequences.UnsubscribeState, nil, "/api/"},
		{http.MethodPost, "/api/sequences/unsubscribe", s.Sequences.Unsubscribe, nil, "/api/"},
		{http.MethodGet, "/api/sequences/open", s.Sequences.Opened, nil, "/api/"}, // an email's image: counted opened
	}
}

// bindRoutes binds the middleware every request goes through, then every
// route of routes(), on the server's router.
func (s *Services) bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		r := se.Router
		r.Bind(s.Ops.Observe())                         // requests by route, latency, SQLite busy errors (/metrics)
		r.Bind(ops.CompressAPI())                       // gzip for API answers of 1 KiB or more
		r.Bind(platform.TranslateErrors())              // every error in the caller's language
		r.Bind(ops.SecurityHeadersWith(s.Google.CSP())) // replaces PocketBase's own
		r.Bind(s.Limits.Middleware())                   // costly filters, query budget, requests in flight
		r.Bind(s.Signin.RefuseEndedSessions())          // tokens of signed-out sessions
		r.Bind(s.Signin.RequireApp())                   // staff set up an authenticator app before anything else
		r.Bind(s.Materials.UploadLimit())               // a material larger than the school allows is refused unread
		r.Bind(booking.StaffLists())                    // admins' bookings list without the list rule
		r.Bind(guardians.FamilyLists())                 // guardians' bookings list: their students'
		r.Bind(accounts.PrehashPasswords())             // passwords longer than bcrypt reads
		r.BindFunc(accounts.HideTakenEmails)            // request-email-change tells nobody who has an account
		if cfg := s.Env.Config; len(cfg.CORSOrigins) > 0 {
			r.Bind(apis.CORS(apis.CORSConfig{
				AllowOrigins: cfg.CORSOrigins,
				AllowMethods: []string{"GET", "HEAD", "PUT", "PATCH", "POST", "DELETE"},
			}))
		}
		if s.Env.Config.DisableRateLimits {
			se.App.Settings().RateLimits.Enabled = false
		}
		for _, rt := range s.routes() {
			h := r.Route(rt.method, rt.path, answered(rt.handler))
			if rt.who != nil {
				h.Bind(rt.who)
			}
			if rt.path == "/api/calendar/{file}" {
				// calendar apps poll hourly: only failures go to the request
				// log, which would otherwise fill with feed fetches (and
				// their tokens)
				h.Bind(apis.SkipSuccessActivityLog())
			}
		}
		return se.Next()
	})
}

// answered gives what a handler returns PocketBase's error shape as the
// records API does (an ApiError as it is, field errors as a 400, a missing
// row as a 404), except that a failure of the server's own (a write or a
// query that failed) is a 500 and logged: PocketBase answers 400 to any
// plain error, which would blame the client.
func answered(h func(*core.RequestEvent) error) func(*core.RequestEvent) error {
	return func(e *core.RequestEvent) error {
		err := h(e)
		var apiErr *router.ApiError
		var fields validation.Errors
		var field validation.Error
		switch {
		case err == nil, errors.As(err, &apiErr):
			return err
		case errors.As(err, &fields), errors.As(err, &field):
			return e.BadRequestError("Failed to save.", err)
		case errors.Is(err, sql.ErrNoRows), errors.Is(err, fs.ErrNotExist):
			return e.NotFoundError("", err)
		}
		e.App.Logger().Error("request failed", "method", e.Request.Method, "path", e.Request.URL.Path, "error", err)
		return e.InternalServerError("", err)
	}
}
