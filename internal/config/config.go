// Package config holds Tutorbase's typed configuration, read once at start
// from the environment by main and passed down to every package that needs
// it. Nothing else reads the environment.
package config

import (
	"bytes"
	"crypto/ecdh"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
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
	Push     Push
	Google   Google
	LLM      LLM

	// MetricsToken is the bearer token accepted by GET /metrics
	// (TB_METRICS_TOKEN); superusers are always allowed.
	MetricsToken string

	// LogJSON writes every log line (requests with their request id, jobs,
	// errors) to stderr as JSON, one object a line (TB_LOG_FORMAT=json),
	// besides the dashboard's logs.
	LogJSON bool

	// QueryTimeout bounds each SELECT that PocketBase runs for the records
	// API (TB_QUERY_TIMEOUT, whole seconds: "5" or "5s"); zero means
	// DefaultQueryTimeout. It is the default of PocketBase's
	// --queryTimeout flag, which wins when given.
	QueryTimeout time.Duration

	// InFlight bounds the expensive requests one person may have in
	// flight at once.
	InFlight InFlight

	// Sentry sends server errors (5xx answers, panics, failed jobs) to a
	// Sentry-compatible service; off while its DSN is empty.
	Sentry Sentry
}

// Sentry configures error reporting (docs/operations.md).
type Sentry struct {
	DSN         string // SENTRY_DSN: https://KEY@HOST/PROJECT; empty: off
	Environment string // SENTRY_ENVIRONMENT, default "production"
	// Release names the running version (SENTRY_RELEASE; main defaults it
	// to "tutorbase@" and the version stamped by the build).
	Release string
}

// Enabled reports whether errors are reported.
func (s Sentry) Enabled() bool { return s.DSN != "" }

// Secrets are the configured values that must never leave the server in a
// log line or an error report.
func (c Config) Secrets() []string {
	var out []string
	for _, v := range []string{
		c.MetricsToken, c.Stripe.SecretKey, c.Stripe.WebhookSecret, c.Twilio.AuthToken,
		c.Telegram.BotToken, c.Push.PrivateKey, c.Google.ClientSecret, c.Sentry.DSN,
	} {
		if len(v) >= 6 { // shorter values would redact ordinary words
			out = append(out, v)
		}
	}
	return out
}

// InFlight bounds how many expensive requests (record lists, slots,
// search, match, reports, exports) one person may have in flight at once;
// the next one is answered 429 with Retry-After. Zero means the default, a
// negative value no limit.
type InFlight struct {
	PerUser  int // TB_MAX_INFLIGHT: per signed-in account
	PerGuest int // TB_MAX_INFLIGHT_GUEST: per IP, for visitors
}

// Limits returns the effective limits, 0 meaning none.
func (f InFlight) Limits() (perUser, perGuest int) {
	pick := func(v, def int) int {
		switch {
		case v < 0:
			return 0
		case v == 0:
			return def
		}
		return v
	}
	return pick(f.PerUser, DefaultMaxInFlight), pick(f.PerGuest, DefaultMaxInFlightGuest)
}

// Timeout returns the effective query timeout.
func (c Config) Timeout() time.Duration {
	if c.QueryTimeout <= 0 {
		return DefaultQueryTimeout
	}
	return c.QueryTimeout
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

// Telegram configures delivery through the Telegram Bot API.
type Telegram struct {
	BotToken string // TELEGRAM_BOT_TOKEN
	APIBase  string // TELEGRAM_API_BASE, default https://api.telegram.org
}

// Push configures Web Push: the school's VAPID key pair, which signs
// every push message (`tutorbase vapid generate` makes one). It is on when
// both keys are set. Keys are base64url, as browsers and the generator
// write them: the public key is an uncompressed P-256 point (65 bytes),
// the private key its 32-byte scalar.
type Push struct {
	PublicKey  string // TB_VAPID_PUBLIC_KEY
	PrivateKey string // TB_VAPID_PRIVATE_KEY
	// Subject is who push services contact about the school's messages:
	// "mailto:" and an address, or an https URL (TB_VAPID_SUBJECT, default
	// TB_APP_URL when it is https).
	Subject string
}

// Enabled reports whether push notifications are on.
func (p Push) Enabled() bool { return p.PublicKey != "" && p.PrivateKey != "" }

// Defaults for optional endpoints.
const (
	DefaultAppURL          = "http://127.0.0.1:8090"
	DefaultStripeAPIBase   = "https://api.stripe.com"
	DefaultTwilioAPIBase   = "https://api.twilio.com"
	DefaultTelegramAPIBase = "https://api.telegram.org"
)

// Defaults of the request cost bounds (docs/security.md): PocketBase's own
// query timeout is 30 s, long enough for one request to keep a core busy.
const (
	DefaultQueryTimeout     = 5 * time.Second
	DefaultMaxInFlight      = 4
	DefaultMaxInFlightGuest = 16
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
	"TB_QUERY_TIMEOUT", "TB_MAX_INFLIGHT", "TB_MAX_INFLIGHT_GUEST",
	"STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE",
	"TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM", "TWILIO_WHATSAPP_FROM", "TWILIO_API_BASE",
	"TELEGRAM_BOT_TOKEN", "TELEGRAM_API_BASE",
	"TB_VAPID_PUBLIC_KEY", "TB_VAPID_PRIVATE_KEY", "TB_VAPID_SUBJECT",
	"TB_LOG_FORMAT",
	"GOOGLE_CLIENT_ID", "GOOGLE_CLIENT_SECRET", "GOOGLE_OAUTH_BASE", "GOOGLE_API_BASE", "TB_GOOGLE_TOKEN_KEY", "GOOGLE_PUSH_URL", "GOOGLE_PICKER_API_KEY", "GOOGLE_PICKER_APP_ID",
	"SENTRY_DSN", "SENTRY_ENVIRONMENT", "SENTRY_RELEASE",
	"TB_LLM_BASE_URL", "TB_LLM_API_KEY", "TB_LLM_MODEL",
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
		AppURL:       strings.TrimRight(orDefault(env["TB_APP_URL"], DefaultAppURL), "/"),
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
	errs = append(errs, c.checkEndpoints(env["TB_CORS_ORIGINS"])...)
	errs = append(errs, c.readPush(env)...)
	errs = append(errs, c.readGoogle(env)...)
	errs = append(errs, c.readLLM(env)...)
	errs = append(errs, c.readLimits(env)...)
	errs = append(errs, c.Stripe.check()...)
	errs = append(errs, c.readSentry(env)...)
	switch env["TB_LOG_FORMAT"] {
	case "", "text":
	case "json":
		c.LogJSON = true
	default:
		errs = append(errs, fmt.Errorf("TB_LOG_FORMAT: %q is not text or json", env["TB_LOG_FORMAT"]))
	}
	return c, errors.Join(errs...)
}

// check refuses half a Stripe configuration and keys of the wrong kind (a
// publishable pk_ key pasted as the secret, the secret as the webhook's):
// Stripe would only say so at the first payment.
func (s Stripe) check() []error {
	var errs []error
	if (s.SecretKey == "") != (s.WebhookSecret == "") {
		errs = append(errs, errors.New("STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET must be set together"))
	}
	if k := s.SecretKey; k != "" && !strings.HasPrefix(k, "sk_") && !strings.HasPrefix(k, "rk_") {
		errs = append(errs, fmt.Errorf("STRIPE_SECRET_KEY: %q is not a Stripe secret key (sk_...) or restricted key (rk_...); the publishable pk_ key does not go here", redact(k)))
	}
	if w := s.WebhookSecret; w != "" && !strings.HasPrefix(w, "whsec_") {
		errs = append(errs, fmt.Errorf("STRIPE_WEBHOOK_SECRET: %q is not a webhook signing secret (whsec_..., shown with the webhook endpoint in Stripe's dashboard)", redact(w)))
	}
	return errs
}

// readSentry reads the error reporting DSN (a URL with a public key and a
// project) and its environment and release.
func (c *Config) readSentry(env map[string]string) []error {
	c.Sentry = Sentry{DSN: env["SENTRY_DSN"], Environment: orDefault(env["SENTRY_ENVIRONMENT"], "production"),
		Release: env["SENTRY_RELEASE"]}
	if c.Sentry.DSN == "" {
		return nil
	}
	u, err := url.Parse(c.Sentry.DSN)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User.Username() == "" ||
		strings.Trim(u.Path, "/") == "" {
		return []error{errors.New("SENTRY_DSN: not a DSN of the form https://KEY@HOST/PROJECT (shown in the Sentry project's Client Keys)")}
	}
	return nil
}

// redact shows enough of a secret to recognise it, not to use it.
func redact(v string) string {
	if r := []rune(v); len(r) > 8 {
		return string(r[:6]) + "…"
	}
	return v
}

// checkEndpoints checks the base URLs and reads the CORS origins.
func (c *Config) checkEndpoints(cors string) []error {
	var errs []error
	for _, u := range [][2]string{
		{"TB_APP_URL", c.AppURL}, {"STRIPE_API_BASE", c.Stripe.APIBase},
		{"TWILIO_API_BASE", c.Twilio.APIBase}, {"TELEGRAM_API_BASE", c.Telegram.APIBase},
	} {
		if err := checkURL(u[1]); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", u[0], err))
		}
	}
	if cors == "" {
		return errs
	}
	for _, o := range strings.Split(cors, ",") {
		o = strings.TrimSpace(o)
		if o != "*" {
			if err := checkURL(o); err != nil {
				errs = append(errs, fmt.Errorf("TB_CORS_ORIGINS: %q: %w", o, err))
			}
		}
		c.CORSOrigins = append(c.CORSOrigins, o)
	}
	return errs
}

// readLimits reads the rate limits switch, the query timeout and the
// in-flight limits.
func (c *Config) readLimits(env map[string]string) []error {
	var errs []error
	switch strings.ToLower(env["TB_RATE_LIMITS"]) {
	case "", "on":
	case "off":
		c.DisableRateLimits = true
	default:
		errs = append(errs, fmt.Errorf("TB_RATE_LIMITS: %q is neither on nor off", env["TB_RATE_LIMITS"]))
	}
	if v := env["TB_QUERY_TIMEOUT"]; v != "" {
		d, err := parseSeconds(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("TB_QUERY_TIMEOUT: %w", err))
		}
		c.QueryTimeout = d
	}
	for _, l := range []struct {
		name string
		dst  *int
	}{{"TB_MAX_INFLIGHT", &c.InFlight.PerUser}, {"TB_MAX_INFLIGHT_GUEST", &c.InFlight.PerGuest}} {
		n, err := parseLimit(env[l.name])
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", l.name, err))
		}
		*l.dst = n
	}
	return errs
}

// readPush reads the VAPID keys (both or neither, a matching pair) and the
// subject push services may contact.
func (c *Config) readPush(env map[string]string) []error {
	pub, priv := env["TB_VAPID_PUBLIC_KEY"], env["TB_VAPID_PRIVATE_KEY"]
	if pub == "" && priv == "" {
		return nil
	}
	if pub == "" || priv == "" {
		return []error{errors.New("TB_VAPID_PUBLIC_KEY and TB_VAPID_PRIVATE_KEY must be set together (tutorbase vapid generate prints a pair)")}
	}
	if err := CheckVAPIDPair(pub, priv); err != nil {
		return []error{fmt.Errorf("TB_VAPID_PUBLIC_KEY, TB_VAPID_PRIVATE_KEY: %w", err)}
	}
	c.Push = Push{PublicKey: pub, PrivateKey: priv, Subject: env["TB_VAPID_SUBJECT"]}
	if c.Push.Subject == "" && strings.HasPrefix(c.AppURL, "https://") {
		c.Push.Subject = c.AppURL
	}
	switch s := c.Push.Subject; {
	case strings.HasPrefix(s, "mailto:") && strings.Contains(s, "@"):
	case strings.HasPrefix(s, "https://") && checkURL(s) == nil:
	default:
		return []error{fmt.Errorf("TB_VAPID_SUBJECT: %q is neither mailto:an-address nor an https URL "+
			"(push services ask for one; it defaults to TB_APP_URL when that is https)", s)}
	}
	return nil
}

// CheckVAPIDPair checks that a base64url VAPID key pair is a P-256 key
// and its public point.
func CheckVAPIDPair(public, private string) error {
	pub, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(public, "="))
	if err != nil || len(pub) != 65 || pub[0] != 4 {
		return errors.New("the public key is not a base64url P-256 point (65 bytes)")
	}
	d, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(private, "="))
	if err != nil || len(d) != 32 {
		return errors.New("the private key is not a base64url P-256 key (32 bytes)")
	}
	key, err := ecdh.P256().NewPrivateKey(d)
	if err != nil {
		return errors.New("the private key is not a valid P-256 key")
	}
	if !bytes.Equal(key.PublicKey().Bytes(), pub) {
		return errors.New("the keys are not a pair")
	}
	return nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// parseSeconds reads a whole number of seconds, "5" or a Go duration such
// as "5s" or "1m", from 1 s to 1 h (PocketBase counts its query timeout in
// whole seconds).
func parseSeconds(v string) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if n, nerr := strconv.Atoi(v); nerr == nil {
		d, err = time.Duration(n)*time.Second, nil
	}
	if err != nil || d < time.Second || d > time.Hour || d%time.Second != 0 {
		return 0, fmt.Errorf("%q is not a whole number of seconds from 1 to 3600", v)
	}
	return d, nil
}

// parseLimit reads a positive count, or "off" (or 0) for no limit (-1);
// empty keeps the default (0).
func parseLimit(v string) (int, error) {
	switch strings.ToLower(v) {
	case "":
		return 0, nil
	case "off", "0":
		return -1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10000 {
		return 0, fmt.Errorf("%q is neither a positive number nor off", v)
	}
	return n, nil
}

func checkURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an absolute http(s) URL", raw)
	}
	return nil
}
