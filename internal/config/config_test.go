package config

import (
	"strings"
	"testing"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		env     []string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", check: func(t *testing.T, c Config) {
			if c.AppURL != DefaultAppURL || c.Stripe.Enabled() || c.Twilio.SMSEnabled() || c.Telegram.Enabled() || c.DisableRateLimits {
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
		{name: "telegram and twilio", env: []string{"TELEGRAM_BOT_TOKEN=1:x", "TWILIO_ACCOUNT_SID=AC1", "TWILIO_AUTH_TOKEN=t", "TWILIO_FROM=+15550001"},
			check: func(t *testing.T, c Config) {
				if !c.Telegram.Enabled() || !c.Twilio.SMSEnabled() || c.Twilio.WhatsAppEnabled() {
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
