package config

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/base64"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", check: func(t *testing.T, c Config) {
			if c.AppURL != DefaultAppURL || c.Stripe.Enabled() || c.Twilio.AccountSID != "" || c.Telegram.BotToken != "" || c.DisableRateLimits {
				t.Fatalf("got %+v, want the defaults with every integration off", c)
			}
		}},
		{name: "stripe on with both secrets", env: []string{"STRIPE_SECRET_KEY=sk_test_x", "STRIPE_WEBHOOK_SECRET=whsec_x", "STRIPE_API_BASE=http://127.0.0.1:12111"},
			check: func(t *testing.T, c Config) {
				if !c.Stripe.Enabled() || c.Stripe.APIBase != "http://127.0.0.1:12111" {
					t.Fatalf("got %+v", c.Stripe)
				}
			}},
		{name: "stripe half configured", env: []string{"STRIPE_SECRET_KEY=sk_test_x"}, wantErr: "must be set together"},
		{name: "stripe restricted key", env: []string{"STRIPE_SECRET_KEY=rk_live_x", "STRIPE_WEBHOOK_SECRET=whsec_x"}, check: func(t *testing.T, c Config) {
			if !c.Stripe.Enabled() {
				t.Fatal("want Stripe on with a restricted key")
			}
		}},
		{name: "stripe publishable key as the secret", env: []string{"STRIPE_SECRET_KEY=pk_live_51Habcdefgh", "STRIPE_WEBHOOK_SECRET=whsec_x"}, wantErr: `STRIPE_SECRET_KEY: "pk_liv…" is not a Stripe secret key`},
		{name: "stripe secret as the webhook secret", env: []string{"STRIPE_SECRET_KEY=sk_test_x", "STRIPE_WEBHOOK_SECRET=sk_test_x"}, wantErr: "STRIPE_WEBHOOK_SECRET"},
		{name: "stripe key with a typo", env: []string{"STRIPE_SECRET_KEY=sklive_x", "STRIPE_WEBHOOK_SECRET=whsec"}, wantErr: "STRIPE_SECRET_KEY"},
		{name: "app url trailing slash trimmed", env: []string{"TB_APP_URL=https://school.example/"}, check: func(t *testing.T, c Config) {
			if c.AppURL != "https://school.example" {
				t.Fatalf("got %q", c.AppURL)
			}
		}},
		{name: "app url not absolute", env: []string{"TB_APP_URL=school.example"}, wantErr: "TB_APP_URL"},
		{name: "unknown TB_ variable", env: []string{"TB_APP_ULR=https://x.example"}, wantErr: "unknown variable TB_APP_ULR"},
		{name: "cors origins", env: []string{"TB_CORS_ORIGINS=https://a.example, https://b.example"}, check: func(t *testing.T, c Config) {
			if len(c.CORSOrigins) != 2 || c.CORSOrigins[1] != "https://b.example" {
				t.Fatalf("got %v", c.CORSOrigins)
			}
		}},
		{name: "bad cors origin", env: []string{"TB_CORS_ORIGINS=a.example"}, wantErr: "TB_CORS_ORIGINS"},
		{name: "rate limits off", env: []string{"TB_RATE_LIMITS=off"}, check: func(t *testing.T, c Config) {
			if !c.DisableRateLimits {
				t.Fatal("want rate limits off")
			}
		}},
		{name: "rate limits typo", env: []string{"TB_RATE_LIMITS=of"}, wantErr: "TB_RATE_LIMITS"},
		{name: "json logs", env: []string{"TB_LOG_FORMAT=json"}, check: func(t *testing.T, c Config) {
			if !c.LogJSON {
				t.Fatal("want JSON logs")
			}
		}},
		{name: "log format typo", env: []string{"TB_LOG_FORMAT=jsno"}, wantErr: "TB_LOG_FORMAT"},
		{name: "error reporting off by default", check: func(t *testing.T, c Config) {
			if c.Sentry.Enabled() || c.Sentry.Environment != "production" {
				t.Fatalf("got %+v; want off, environment production", c.Sentry)
			}
		}},
		{name: "error reporting", env: []string{"SENTRY_DSN=https://abc123@errors.example/42", "SENTRY_ENVIRONMENT=staging", "SENTRY_RELEASE=tutorbase@1.2"},
			check: func(t *testing.T, c Config) {
				if !c.Sentry.Enabled() || c.Sentry.Environment != "staging" || c.Sentry.Release != "tutorbase@1.2" {
					t.Fatalf("got %+v", c.Sentry)
				}
				if !slices.Contains(c.Secrets(), "https://abc123@errors.example/42") {
					t.Fatal("the DSN is a secret")
				}
			}},
		{name: "error reporting DSN without a key", env: []string{"SENTRY_DSN=https://errors.example/42"}, wantErr: "SENTRY_DSN"},
		{name: "error reporting DSN without a project", env: []string{"SENTRY_DSN=https://abc@errors.example"}, wantErr: "SENTRY_DSN"},
		{name: "cost bounds default", check: func(t *testing.T, c Config) {
			user, guest := c.InFlight.Limits()
			if c.Timeout() != 5*time.Second || user != 4 || guest != 16 {
				t.Fatalf("got timeout %v, in flight %d/%d; want 5s, 4/16", c.Timeout(), user, guest)
			}
		}},
		{name: "query timeout in seconds", env: []string{"TB_QUERY_TIMEOUT=12"}, check: func(t *testing.T, c Config) {
			if c.Timeout() != 12*time.Second {
				t.Fatalf("got %v", c.Timeout())
			}
		}},
		{name: "query timeout as a duration", env: []string{"TB_QUERY_TIMEOUT=1m"}, check: func(t *testing.T, c Config) {
			if c.Timeout() != time.Minute {
				t.Fatalf("got %v", c.Timeout())
			}
		}},
		{name: "query timeout below a second", env: []string{"TB_QUERY_TIMEOUT=500ms"}, wantErr: "TB_QUERY_TIMEOUT"},
		{name: "query timeout not a number", env: []string{"TB_QUERY_TIMEOUT=fast"}, wantErr: "TB_QUERY_TIMEOUT"},
		{name: "in-flight limits", env: []string{"TB_MAX_INFLIGHT=2", "TB_MAX_INFLIGHT_GUEST=off"}, check: func(t *testing.T, c Config) {
			if user, guest := c.InFlight.Limits(); user != 2 || guest != 0 {
				t.Fatalf("got %d/%d, want 2 and no limit", user, guest)
			}
		}},
		{name: "in-flight limit typo", env: []string{"TB_MAX_INFLIGHT=-3"}, wantErr: "TB_MAX_INFLIGHT"},
		{name: "telegram and twilio", env: []string{"TELEGRAM_BOT_TOKEN=1:x", "TWILIO_ACCOUNT_SID=AC1", "TWILIO_AUTH_TOKEN=t", "TWILIO_FROM=+15550001"},
			check: func(t *testing.T, c Config) {
				if c.Telegram.BotToken == "" || c.Twilio.From == "" || c.Twilio.WhatsAppFrom != "" {
					t.Fatalf("got %+v %+v", c.Telegram, c.Twilio)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}

func TestLoadPush(t *testing.T) {
	key, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	pub, priv := "TB_VAPID_PUBLIC_KEY="+b64(key.PublicKey().Bytes()), "TB_VAPID_PRIVATE_KEY="+b64(key.Bytes())
	tests := []struct {
		name    string
		env     []string
		wantErr string
		subject string
	}{
		{name: "off without keys"},
		{name: "a pair with a mail subject", env: []string{pub, priv, "TB_VAPID_SUBJECT=mailto:office@school.example"}, subject: "mailto:office@school.example"},
		{name: "the subject defaults to an https app url", env: []string{pub, priv, "TB_APP_URL=https://school.example"}, subject: "https://school.example"},
		{name: "padded base64 is read too", env: []string{pub + "=", priv, "TB_VAPID_SUBJECT=mailto:a@b.example"}, subject: "mailto:a@b.example"},
		{name: "no subject with an http app url", env: []string{pub, priv}, wantErr: "TB_VAPID_SUBJECT"},
		{name: "a subject that is neither", env: []string{pub, priv, "TB_VAPID_SUBJECT=office@school.example"}, wantErr: "TB_VAPID_SUBJECT"},
		{name: "one key alone", env: []string{pub}, wantErr: "must be set together"},
		{name: "keys of two pairs", env: []string{pub, "TB_VAPID_PRIVATE_KEY=" + b64(other.Bytes()), "TB_VAPID_SUBJECT=mailto:a@b.example"}, wantErr: "not a pair"},
		{name: "a public key that is no point", env: []string{"TB_VAPID_PUBLIC_KEY=abc", priv}, wantErr: "65 bytes"},
		{name: "a private key of the wrong size", env: []string{pub, "TB_VAPID_PRIVATE_KEY=" + b64([]byte("short"))}, wantErr: "32 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.Push.Enabled(); got != (tt.subject != "") {
				t.Fatalf("push enabled %v, want %v", got, tt.subject != "")
			}
			if c.Push.Subject != tt.subject {
				t.Fatalf("subject %q, want %q", c.Push.Subject, tt.subject)
			}
		})
	}
}
