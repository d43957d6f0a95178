// Package hooks wires Tutorbase's capabilities (internal/app/...) to a
// PocketBase app, in order, and holds the one table of custom routes.
//
// main and the tests call the very same Register, so what is tested is what
// runs.
package hooks

import (
	"tutorbase/internal/app/accounts"
	"tutorbase/internal/app/assist"
	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/busy"
	"tutorbase/internal/app/calendar"
	"tutorbase/internal/app/churn"
	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/discovery"
	"tutorbase/internal/app/flags"
	"tutorbase/internal/app/google"
	"tutorbase/internal/app/guardians"
	"tutorbase/internal/app/limits"
	"tutorbase/internal/app/materials"
	"tutorbase/internal/app/messages"
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/ops"
	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/payouts"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/app/privacy"
	"tutorbase/internal/app/reports"
	"tutorbase/internal/app/reviews"
	"tutorbase/internal/app/sequences"
	"tutorbase/internal/app/signin"
	"tutorbase/internal/app/statements"
	"tutorbase/internal/app/subscriptions"
	"tutorbase/internal/app/teaching"
	"tutorbase/internal/billing"
	"tutorbase/internal/billing/manual"
	"tutorbase/internal/billing/stripe"
	"tutorbase/internal/config"
	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
)

// Services are the capabilities of one app, wired once by Register; jobs
// and commands call them.
type Services struct {
	Env           platform.Env
	Notifications *notifications.Service
	Credits       *credits.Service
	Payments      *payments.Service
	Payouts       *payouts.Service
	Booking       *booking.Service
	Accounts      *accounts.Service
	Discovery     *discovery.Service
	Reviews       *reviews.Service
	Reports       *reports.Service
	Calendar      *calendar.Service
	Busy          *busy.Service
	Materials     *materials.Service
	Teaching      *teaching.Service
	Limits        *limits.Service
	Ops           *ops.Service
	Signin        *signin.Service
	Flags         *flags.Service
	Privacy       *privacy.Service
	Statements    *statements.Service
	Subscriptions *subscriptions.Service
	Google        *google.Service
	Guardians     *guardians.Service
	Assist        *assist.Service
	Messages      *messages.Service
	Churn         *churn.Service
	Sequences     *sequences.Service
}

// Channels is the registry of the notification channels env configures:
// in-app, email (the dashboard's SMTP settings), SMS and WhatsApp
// (Twilio), Telegram, Web Push (VAPID keys). A new channel is one file in internal/notify and one
// line here.
func Channels(app core.App, env platform.Env) *notify.Registry {
	t, tg, p := env.Config.Twilio, env.Config.Telegram, env.Config.Push
	twilio := notify.Twilio{AccountSID: t.AccountSID, AuthToken: t.AuthToken, From: t.From, WhatsAppFrom: t.WhatsAppFrom, BaseURL: t.APIBase}
	return notify.NewRegistry(
		notify.InApp{},
		notify.EmailChannel{Settings: notifications.SMTPSettings(app)},
		notify.SMSChannel{Twilio: twilio},
		notify.WhatsAppChannel{Twilio: twilio},
		notify.TelegramChannel{Telegram: notify.Telegram{BotToken: tg.BotToken, BaseURL: tg.APIBase}},
		notify.PushChannel{PublicKey: p.PublicKey, PrivateKey: p.PrivateKey, Subject: p.Subject, Devices: notifications.PushDevices(app)},
	)
}

// PaymentProvider is the school's choice of payment provider: Stripe when
// its keys are set, else manual (staff mark payments paid).
func PaymentProvider(cfg config.Config) billing.Provider {
	if cfg.Stripe.Enabled() {
		return stripe.New(cfg.Stripe.SecretKey, cfg.Stripe.APIBase, cfg.Stripe.WebhookSecret)
	}
	return manual.Provider{}
}

// Register binds every Tutorbase hook and route to app and returns the
// wired capabilities.
func Register(app core.App, env platform.Env) (*Services, error) {
	s := &Services{Env: env}
	s.Notifications = notifications.New(env, Channels(app, env))
	s.Credits = credits.New(s.Notifications)
	provider := PaymentProvider(env.Config)
	s.Payments = payments.New(env, provider, s.Notifications, s.Credits)
	s.Payouts = payouts.New(env, provider, s.Notifications)
	s.Subscriptions = subscriptions.New(env, s.Notifications, s.Payments)
	s.Booking = booking.New(env, s.Notifications, s.Credits, s.Payments)
	s.Accounts = accounts.New(env, s.Notifications)
	s.Discovery = discovery.New(env)
	s.Reviews = reviews.New(s.Notifications)
	s.Reports = reports.New(env, s.Notifications.Channels())
	s.Calendar = calendar.New(env)
	s.Busy = busy.New(env, s.Notifications)
	s.Materials = materials.New(env)
	s.Teaching = teaching.New(env, s.Notifications)
	s.Limits = limits.New(env.Config)
	s.Ops = ops.New(env, s.Limits, s.Notifications)
	s.Signin = signin.New(env)
	s.Flags = flags.New(env)
	s.Privacy = privacy.New(env, s.Booking)
	s.Statements = statements.New(env)
	s.Google = google.New(env, s.Notifications)
	if s.Google.CalendarOn() {
		s.Booking.Observe(s.Google.BookingChanged) // lessons owed to connected Google Calendars, in the change's transaction
	}
	s.Guardians = guardians.New(env)
	s.Assist = assist.New(env)
	s.Messages = messages.New(env, s.Notifications)
	s.Churn = churn.New(env)
	s.Sequences = sequences.New(env, s.Notifications)
	s.Guardians.Observe(s.Messages.FamilyChanged) // a guardian linked or unlinked joins or leaves their student's threads

	platform.Register(app)
	s.Accounts.Register(app)
	s.Signin.Register(app)
	s.Notifications.Register(app)
	availability.Register(app)
	s.Busy.Register(app)
	s.Booking.Register(app)
	s.Payments.Register(app)
	s.Payouts.Register(app)
	s.Subscriptions.Register(app)
	s.Reviews.Register(app)
	s.Reports.Register(app)
	s.Materials.Register(app)
	s.Teaching.Register(app)
	s.Limits.Register(app)
	s.Flags.Register(app)
	s.Privacy.Register(app)
	s.Ops.Register(app)
	s.Google.Register(app)
	s.Guardians.Register(app)
	s.Messages.Register(app)
	s.Sequences.Register(app)
	s.bindRoutes(app)
	return s, nil
}
