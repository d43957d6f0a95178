// Package config holds Tutorbase's typed configuration, read once at start
// from the environment by main and passed down to every package that needs
// it. Nothing else reads the environment.
package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
)

// Config is every setting that comes from the environment: secrets and
// endpoints. Everything a school changes day to day lives in the dashboard
// (the `school` record and PocketBase's settings) instead.
type Config struct {
	// AppURL is the public base URL of the web app, used in emails and
	// Stripe return URLs (TB_APP_URL).
	AppURL string

	// CORSOrigins restricts cross-origin API calls (TB_CORS_ORIGINS,
	// comma-separated; empty keeps PocketBase's --origins flag, default "*").
	CORSOrigins []string

	// DisableRateLimits turns PocketBase's rate limiter off at start
	// (TB_RATE_LIMITS=off); used by load tests, never in production.
	DisableRateLimits bool

	Stripe   Stripe
	Twilio   Twilio
	Telegram Telegram

	// MetricsToken is the bearer token accepted by GET /metrics
	// (TB_METRICS_TOKEN); superusers are always allowed.
	MetricsToken string
}

// Stripe configures the Stripe integration. It is on when both the secret
// key and the webhook secret are set.
type Stripe struct {
	SecretKey     string // STRIPE_SECRET_KEY
	WebhookSecret string // STRIPE_WEBHOOK_SECRET
	APIBase       string // STRIPE_API_BASE, default Stripe's own
}

// Enabled reports whether Stripe mode is on.
func (s Stripe) Enabled() bool { return s.SecretKey != "" && s.WebhookSecret != "" }

// Twilio configures SMS and WhatsApp delivery through Twilio's REST API.
type Twilio struct {
	AccountSID   string // TWILIO_ACCOUNT_SID
	AuthToken    string // TWILIO_AUTH_TOKEN
	From         string // TWILIO_FROM, the SMS sender
	WhatsAppFrom string // TWILIO_WHATSAPP_FROM
	APIBase      string // TWILIO_API_BASE, default https://api.twilio.com
}

// SMSEnabled reports whether SMS delivery is configured.
func (t Twilio) SMSEnabled() bool { return t.AccountSID != "" && t.AuthToken != "" && t.From != "" }

// WhatsAppEnabled reports whether WhatsApp delivery is configured.
func (t Twilio) WhatsAppEnabled() bool {
	return t.AccountSID != "" && t.AuthToken != "" && t.WhatsAppFrom != ""
}

// Telegram configures delivery through the Telegram Bot API.
type Telegram struct {
	BotToken string // TELEGRAM_BOT_TOKEN
	APIBase  string // TELEGRAM_API_BASE, default https://api.telegram.org
}

// Enabled reports whether Telegram delivery is configured.
func (t Telegram) Enabled() bool { return t.BotToken != "" }

// Defaults for optional endpoints.
const (
	DefaultAppURL          = "http://127.0.0.1:8090"
	DefaultStripeAPIBase   = "https://api.stripe.com"
	DefaultTwilioAPIBase   = "https://api.twilio.com"
	DefaultTelegramAPIBase = "https://api.telegram.org"
)

// RequireToolsVar, set to 1 (`make test` does), makes a test fail instead
// of skip when a tool it runs (mailpit, stripe-mock) is not installed.
const RequireToolsVar = "TB_REQUIRE_TOOLS"

// RequireTestTools reports whether RequireToolsVar is 1. Only tests call
// it; the server ignores the variable.
func RequireTestTools() bool { return os.Getenv(RequireToolsVar) == "1" }

// Variables lists every environment variable Load reads (and
// RequireToolsVar, which tests read), so unknown TB_-prefixed names (a
// typo such as TB_APP_ULR) can be refused.
var Variables = []string{
	"TB_APP_URL", "TB_CORS_ORIGINS", "TB_RATE_LIMITS", "TB_METRICS_TOKEN", RequireToolsVar,
	"STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE",
	"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM", "TWILIO_WHATSAPP_FROM", "TWILIO_API_BASE",
	"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE",
}

// Load builds a Config from environ (os.Environ's "KEY=value" form).
// Unknown TB_* variables and malformed values are errors, so a typo stops
// the start with a clear message instead of silently using a default.
func Load(environ []string) (Config, error) {
	env := map[string]string{}
	var errs []error
	for _, kv := range environ {
		k, v, _ := strings.Cut(kv, "=")
		env[k] = strings.TrimSpace(v)
		if strings.HasPrefix(k, "TB_") && !slices.Contains(Variables, k) {
			errs = append(errs, fmt.Errorf("unknown variable %s (known: %s)", k, strings.Join(Variables, ", ")))
		}
	}

	c := Config{
		AppURL:       orDefault(env["TB_APP_URL"], DefaultAppURL),
		MetricsToken: env["TB_METRICS_TOKEN"],
		Stripe: Stripe{
			SecretKey:     env["STRIPE_SECRET_KEY"],
			WebhookSecret: env["STRIPE_WEBHOOK_SECRET"],
			APIBase:       orDefault(env["STRIPE_API_BASE"], DefaultStripeAPIBase),
		},
		Twilio: Twilio{
			AccountSID:   env["TWILIO_ACCOUNT_SID"],
			AuthToken:    env["TWILIO_AUTH_TOKEN"],
			From:         env["TWILIO_FROM"],
			WhatsAppFrom: env["TWILIO_WHATSAPP_FROM"],
			APIBase:      orDefault(env["TWILIO_API_BASE"], DefaultTwilioAPIBase),
		},
		Telegram: Telegram{
			BotToken: env["TELEGRAM_BOT_TOKEN"],
			APIBase:  orDefault(env["TELEGRAM_API_BASE"], DefaultTelegramAPIBase),
		},
	}
	c.AppURL = strings.TrimRight(c.AppURL, "/")

	for _, u := range [][2]string{
		{"TB_APP_URL", c.AppURL}, {"STRIPE_API_BASE", c.Stripe.APIBase},
		{"TWILIO_API_BASE", c.Twilio.APIBase}, {"TELEGRAM_API_BASE", c.Telegram.APIBase},
	} {
		if err := checkURL(u[1]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", u[0], err))
		}
	}

	if v := env["TB_CORS_ORIGINS"]; v != "" {
		for _, o := range strings.Split(v, ",") {
			o = strings.TrimSpace(o)
			if o != "*" {
				if err := checkURL(o); err != nil {
					errs = append(errs, fmt.Errorf("TB_CORS_ORIGINS: %q: %w", o, err))
				}
			}
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}

	switch strings.ToLower(env["TB_RATE_LIMITS"]) {
	case "", "on":
	case "off":
		c.DisableRateLimits = true
	default:
		errs = append(errs, fmt.Errorf("TB_RATE_LIMITS: %q is neither on nor off", env["TB_RATE_LIMITS"]))
	}

	if (c.Stripe.SecretKey == "") != (c.Stripe.WebhookSecret == "") {
		errs = append(errs, errors.New("STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set together"))
	}

	return c, errors.Join(errs...)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}
