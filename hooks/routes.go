package hooks

import (
	"database/sql"
	"errors"
	"io/fs"
	"net/http"

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

// routes is every custom route of Tutorbase, beside PocketBase's own API
// (records, auth, files, realtime, batch, settings). Handlers check what
// depends on the record (a booking's party, a purchase's buyer); who may
// call a route at all is said here.
func (s *Services) routes() []route {
	var (
		person = apis.RequireAuth("users")                                         // a signed-in person
		anyone = apis.RequireAuth("users", core.CollectionNameSuperusers)          // a person or a superuser
		family = platform.RequireRole(platform.RoleStudent, platform.RoleGuardian) // a student, a guardian for theirs, or staff
		tutor  = platform.RequireRole(platform.RoleTutor)                          // a tutor, or staff
		staff  = platform.RequireStaff()                                           // an admin or a superuser
	)
	b, p, n := s.Booking, s.Payments, s.Notifications
	return []route{
		// discovery: public
		{http.MethodGet, "/api/search/tutors", s.Discovery.SearchTutors, nil, "/api/search/"},
		{http.MethodGet, "/api/search/packages", s.Discovery.SearchPackages, nil, "/api/search/"},
		{http.MethodGet, "/api/match", s.Discovery.Match, nil, "/api/match"},
		{http.MethodGet, "/api/tutors/{id}/also-booked", s.Discovery.AlsoBooked, nil, "/api/tutors/"},
		{http.MethodGet, "/api/packages/popular", s.Discovery.PopularPackages, nil, "/api/packages/"},

		// booking (creating one is the records API: POST /api/collections/bookings/records)
		{http.MethodGet, "/api/tutors/{id}/slots", b.Slots, nil, "/api/tutors/"},
		{http.MethodPost, "/api/series", b.CreateSeries, family, "/api/series"},
		{http.MethodPost, "/api/bookings/{id}/confirm", b.Action("confirm"), anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/bookings/{id}/cancel", b.Action("cancel"), anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/bookings/{id}/reschedule", b.Action("reschedule"), anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/bookings/{id}/complete", b.Action("complete"), anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/bookings/{id}/no-show", b.Action("no-show"), anyone, "POST /api/bookings/"},
		{http.MethodPost, "/api/time-off/{id}/cancel-lessons", b.CancelForTimeOff, anyone, "/api/"}, // its tutor or staff

		// payments
		{http.MethodPost, "/api/purchases/checkout", p.Checkout, family, "/api/purchases/"},
		{http.MethodPost, "/api/purchases/{id}/cancel", p.CancelPurchase, anyone, "/api/purchases/"},
		{http.MethodPost, "/api/purchases/{id}/mark-paid", p.MarkPurchasePaid, staff, "/api/purchases/"},
		{http.MethodPost, "/api/bookings/{id}/mark-paid", p.MarkBookingPaid, staff, "POST /api/bookings/"},
		{http.MethodPost, "/api/payments/{id}/refund", p.Refund, staff, "/api/"},
		{http.MethodGet, "/api/invoices/{id}/pdf", p.InvoicePDF, anyone, "/api/"},
		{http.MethodGet, "/api/invoices/fatturapa.zip", p.FatturaPAZip, staff, "/api/"}, // ?month=YYYY-MM
		{http.MethodPost, "/api/stripe/webhook", p.Webhook, nil, "/api/stripe/webhook"}, // signed by the provider

		// plans and subscriptions
		{http.MethodPost, "/api/subscriptions", s.Subscriptions.Subscribe, family, "/api/"},
		{http.MethodPost, "/api/subscriptions/{id}/cancel", s.Subscriptions.Cancel, anyone, "/api/"},   // its payer or staff
		{http.MethodPost, "/api/subscriptions/{id}/plan", s.Subscriptions.ChangePlan, anyone, "/api/"}, // its payer or staff
		{http.MethodPost, "/api/subscriptions/{id}/portal", s.Subscriptions.Portal, anyone, "/api/"},   // its payer or staff
		{http.MethodPost, "/api/subscriptions/{id}/renew", s.Subscriptions.Renew, staff, "/api/"},

		// payouts
		{http.MethodGet, "/api/payouts/export.csv", s.Payouts.ExportCSV, staff, "/api/"},
		{http.MethodPost, "/api/payouts/{id}/mark-paid", s.Payouts.MarkPaid, staff, "/api/"},
		{http.MethodGet, "/api/payouts/account", s.Payouts.PayoutAccount, tutor, "/api/"},           // the caller's own, staff ?tutor=
		{http.MethodPost, "/api/payouts/account/link", s.Payouts.PayoutAccountLink, tutor, "/api/"}, // the caller's own, staff ?tutor=
		{http.MethodGet, "/api/statements/{month}", s.Statements.Statement, anyone, "/api/"},        // the caller's own, staff ?tutor= or ?user=

		// notifications and the proof of contact details
		{http.MethodGet, "/api/setup", n.Setup, nil, "/api/"}, // whether email is sent, for the sign-in screens
		{http.MethodPost, "/api/notifications/read-all", n.ReadAll, person, "/api/"},
		{http.MethodPost, "/api/deliveries/{id}/retry", n.RetryDelivery, staff, "/api/"},
		{http.MethodPost, "/api/account/phone/send", n.SendPhoneCode, person, "/api/account/"},
		{http.MethodPost, "/api/account/phone/verify", n.VerifyPhoneCode, person, "/api/account/"},
		{http.MethodPost, "/api/account/telegram/link", n.TelegramLink, person, "/api/account/"},
		{http.MethodPost, "/api/account/telegram/check", n.TelegramCheck, person, "/api/account/"},
		{http.MethodPost, "/api/account/telegram/disconnect", n.TelegramDisconnect, person, "/api/account/"},
		{http.MethodGet, "/api/account/push", n.PushKey, person, "/api/account/"},
		{http.MethodPost, "/api/account/push/subscribe", n.PushSubscribe, person, "/api/account/"},
		{http.MethodPost, "/api/account/push/unsubscribe", n.PushUnsubscribe, person, "/api/account/"},

		// one's own sign-ins
		{http.MethodGet, "/api/me/sessions", s.Signin.ListSessions, person, "/api/me/"},
		{http.MethodPost, "/api/me/sessions/revoke", s.Signin.RevokeSession, person, "/api/me/"},
		{http.MethodPost, "/api/me/sessions/revoke-all", s.Signin.RevokeAllSessions, person, "/api/me/"},
		{http.MethodPost, "/api/me/totp/setup", s.Signin.SetupTOTP, person, "/api/me/"},
		{http.MethodPost, "/api/me/totp/enable", s.Signin.EnableTOTP, person, "/api/me/"},
		{http.MethodPost, "/api/me/totp/disable", s.Signin.DisableTOTP, person, "/api/me/"},
		{http.MethodPost, "/api/me/totp/recovery-codes", s.Signin.NewRecoveryCodes, person, "/api/me/"},
		// the second step of a sign-in: its mfaId is the key
		{http.MethodPost, "/api/auth/second-factors", s.Signin.SecondFactors, nil, "/api/auth/"},
		{http.MethodPost, "/api/auth/totp", s.Signin.AuthWithTOTP, nil, "/api/auth/"},
		{http.MethodPost, "/api/auth/not-me", s.Signin.NotMe, nil, "/api/auth/"}, // the secret of a sign-in alert's link

		// calendar feeds: the feed's secret address is its own key
		{http.MethodGet, "/api/calendar/{file}", s.Calendar.Feed, nil, "/api/calendar/"},
		{http.MethodGet, "/api/calendar", s.Calendar.Link, person, "/api/calendar/"},
		{http.MethodPost, "/api/calendar/rotate", s.Calendar.Rotate, person, "/api/calendar/"},
		// busy times from the tutor's own calendars: the handler finds the feed's tutor (or staff)
		{http.MethodPost, "/api/calendar/feeds/{id}/refresh", s.Busy.RefreshNow, anyone, "/api/calendar/"},

		// materials (uploads, new versions and sharing are the records API:
		// /api/collections/materials/records); zip and open take a file token
		{http.MethodPost, "/api/materials/move", s.Materials.Move, tutor, "/api/materials/"},
		{http.MethodPost, "/api/materials/unshare", s.Materials.Unshare, tutor, "/api/materials/"},
		{http.MethodGet, "/api/materials/zip", s.Materials.Zip, nil, "/api/materials/"},
		{http.MethodGet, "/api/materials/{id}/open", s.Materials.Open, nil, "/api/materials/"},

		// teaching between lessons (reports themselves are the records API)
		{http.MethodPost, "/api/lesson-reports/{id}/homework-done", s.Teaching.HomeworkDone, person, "/api/"},
		{http.MethodGet, "/api/students/{id}/progress", s.Teaching.StudentProgress, anyone, "/api/"},
		{http.MethodGet, "/api/agenda", s.Teaching.AgendaRoute, anyone, "/api/"},

		// data rights: one's own export and erasure; staff's for anyone
		{http.MethodGet, "/api/me/export", s.Privacy.ExportMe, person, "GET /api/me/export"},
		{http.MethodPost, "/api/me/delete", s.Privacy.RequestDeletion, person, "POST /api/me/delete"},
		{http.MethodGet, "/api/users/{id}/export", s.Privacy.ExportUser, staff, "/api/users/"},
		{http.MethodPost, "/api/users/{id}/erase", s.Privacy.EraseNow, staff, "/api/users/"},

		// Google Calendar: the caller's own connection (docs/calendars.md)
		{http.MethodGet, "/api/google/calendar", s.Google.CalendarStatus, person, "/api/"},
		{http.MethodPost, "/api/google/calendar/connect", s.Google.Connect, person, "/api/"},
		{http.MethodPost, "/api/google/calendar/callback", s.Google.Callback, person, "/api/"},
		{http.MethodPost, "/api/google/calendar/disconnect", s.Google.Disconnect, person, "/api/"},
		{http.MethodGet, "/api/google/calendars", s.Google.Calendars, person, "/api/"},        // the caller's Google calendars and their choice
		{http.MethodPost, "/api/google/calendars", s.Google.ChooseCalendars, person, "/api/"}, // which block their slots, which gets the lessons
		{http.MethodPost, google.PushPath, s.Google.Push, nil, "/api/"},                       // Google's push: its channel's secret token
		{http.MethodGet, "/api/google/picker", s.Google.Picker, tutor, "/api/"},               // the Picker's keys, the tutor's own access token
		{http.MethodPost, "/api/google/drive/share", s.Google.DriveShare, tutor, "/api/"},     // the material's owner

		// staff
		{http.MethodGet, "/api/reports/{name}", s.Reports.Report, staff, "/api/reports/"},
		{http.MethodPost, "/api/visits", s.Reports.CountVisit, nil, "/api/"}, // anonymous page views, counted per day (docs/insight.md)
		{http.MethodPost, "/api/flags/{id}/review", s.Flags.Review, staff, "/api/"},
		{http.MethodGet, "/metrics", s.Ops.Metrics, nil, ""},      // a superuser or the metrics token
		{http.MethodGet, "/api/ready", s.Ops.Ready, nil, "/api/"}, // load balancers, compose, systemd

		// families: the handlers check whose student it is
		{http.MethodPost, "/api/guardians/invite", s.Guardians.Invite, anyone, "/api/"},
		{http.MethodPost, "/api/guardians/accept", s.Guardians.Accept, person, "/api/"},
		{http.MethodPost, "/api/guardians/children", s.Guardians.AddChild, person, "/api/"},
		{http.MethodPost, "/api/guardians/link", s.Guardians.Link, staff, "/api/"},
		{http.MethodPost, "/api/guardians/{id}/remove", s.Guardians.Remove, anyone, "/api/"},
		{http.MethodPost, "/api/guardians/{id}/notices", s.Guardians.Notices, person, "/api/"},

		// assistance (docs/insight.md): the help assistant answers from the FAQ and the caller's own data
		{http.MethodPost, "/api/assistant", s.Assist.Ask, person, "POST /api/assistant"},
		{http.MethodGet, "/api/suggestions", s.Assist.Suggestions, person, "/api/"}, // the caller's own: a student's usual lessons
		// messages (sending and editing one is the records API: /api/collections/messages/records);
		// the handlers check who takes part in the thread
		{http.MethodPost, "/api/threads", s.Messages.Start, person, "/api/threads/"},
		{http.MethodGet, "/api/threads/unread", s.Messages.Unread, person, "/api/threads/"},
		{http.MethodPost, "/api/threads/{id}/read", s.Messages.Read, person, "/api/threads/"},
		{http.MethodPost, "/api/threads/{id}/report", s.Messages.Report, person, "/api/threads/"},
		{http.MethodPost, "/api/threads/{id}/close", s.Messages.Close, staff, "/api/threads/"},
		{http.MethodPost, "/api/bookings/{id}/thread", s.Messages.LessonThread, person, "POST /api/bookings/"},
		{http.MethodPost, "/api/messages/{id}/delete", s.Messages.Delete, person, "/api/messages/"},
		// churn risk (docs/insight.md): the students at risk, and a coupon offered to one of them
		{http.MethodGet, "/api/at-risk", s.Churn.List, staff, "/api/"},
		{http.MethodPost, "/api/at-risk/{id}/coupon", s.Churn.OfferCoupon, staff, "/api/"},
		// follow-up sequences (docs/insight.md): staff read them with their counts; the links in their
		// messages work without signing in, the signed token is the proof
		{http.MethodGet, "/api/sequences", s.Sequences.List, staff, "/api/"},
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
