package notify

import (
	"errors"
	"strings"
	"testing"
)

// allChannels are the channels of a server with every one configured.
var allChannels = []string{ChannelInApp, ChannelEmail, ChannelSMS, ChannelWhatsApp, ChannelTelegram, ChannelPush}

func TestParsePrefs(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		want     Prefs
		wantErrs []error
		mention  []string // substrings the error must contain
	}{
		{name: "empty", raw: "", want: Prefs{}},
		{name: "null", raw: " null ", want: Prefs{}},
		{name: "empty object", raw: "{}", want: Prefs{}},
		{name: "valid", raw: `{"reminder": {"email": true, "sms": false}, "digest": {"email": false}}`,
			want: Prefs{"reminder": {"email": true, "sms": false}, "digest": {"email": false}}},
		{name: "unknown kinds", raw: `{"remindr": {"email": true}, "bogus": {}}`,
			wantErrs: []error{ErrUnknownKind}, mention: []string{`"bogus"`, `"remindr"`}},
		{name: "unknown channel", raw: `{"reminder": {"fax": true, "email": true}}`,
			wantErrs: []error{ErrUnknownChannel}, mention: []string{`"fax" (in "reminder")`}},
		{name: "both", raw: `{"x": {}, "refund": {"pigeon": true}}`,
			wantErrs: []error{ErrUnknownKind, ErrUnknownChannel}, mention: []string{`"x"`, `"pigeon"`}},
		{name: "not a bool", raw: `{"reminder": {"email": "yes"}}`, mention: []string{"parse notification preferences"}},
		{name: "not an object", raw: `[1]`, mention: []string{"parse notification preferences"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParsePrefs([]byte(tt.raw), allChannels)
			if tt.mention == nil {
				if err != nil {
					t.Fatalf("ParsePrefs() error = %v", err)
				}
				if len(got) != len(tt.want) {
					t.Fatalf("ParsePrefs() = %v, want %v", got, tt.want)
				}
				for kind, chans := range tt.want {
					for ch, want := range chans {
						if v, ok := got[kind][ch]; !ok || v != want {
							t.Errorf("ParsePrefs()[%s][%s] = %v, %v; want %v", kind, ch, v, ok, want)
						}
					}
				}
				return
			}
			if err == nil {
				t.Fatalf("ParsePrefs() = %v, want an error", got)
			}
			for _, w := range tt.wantErrs {
				if !errors.Is(err, w) {
					t.Errorf("ParsePrefs() error = %v, want it to wrap %v", err, w)
				}
			}
			for _, m := range tt.mention {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("ParsePrefs() error = %q, want it to mention %s", err, m)
				}
			}
		})
	}
}

func TestDefaultWants(t *testing.T) {
	// The whole default matrix: in-app, email and push (a device is the
	// opt-in) on, the paid or number-bound channels off.
	want := map[string]bool{
		ChannelInApp: true, ChannelEmail: true, ChannelSMS: false, ChannelWhatsApp: false, ChannelTelegram: false, ChannelPush: true,
	}
	for _, kind := range Kinds() {
		for _, ch := range allChannels {
			if got := DefaultWants(kind, ch); got != want[ch] {
				t.Errorf("DefaultWants(%s, %s) = %v, want %v", kind, ch, got, want[ch])
			}
		}
	}
	for _, tt := range []struct{ kind, ch string }{{"nope", ChannelInApp}, {KindReminder, "fax"}} {
		if DefaultWants(tt.kind, tt.ch) {
			t.Errorf("DefaultWants(%q, %q) = true, want false", tt.kind, tt.ch)
		}
	}
}

func TestPrefsWants(t *testing.T) {
	p := Prefs{
		KindReminder: {ChannelEmail: false, ChannelSMS: true, ChannelInApp: false},
		KindDigest:   {ChannelTelegram: true},
	}
	tests := []struct {
		name     string
		prefs    Prefs
		kind, ch string
		want     bool
	}{
		{"explicit off wins", p, KindReminder, ChannelEmail, false},
		{"explicit on wins", p, KindReminder, ChannelSMS, true},
		{"in-app cannot be turned off", p, KindReminder, ChannelInApp, true},
		{"missing channel takes default", p, KindReminder, ChannelWhatsApp, false},
		{"missing kind takes default", p, KindRefund, ChannelEmail, true},
		{"other kind entry", p, KindDigest, ChannelTelegram, true},
		{"nil prefs default email", nil, KindPayout, ChannelEmail, true},
		{"nil prefs default sms", nil, KindPayout, ChannelSMS, false},
		{"unknown kind", p, "bogus", ChannelInApp, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.prefs.Wants(tt.kind, tt.ch); got != tt.want {
				t.Errorf("Wants(%s, %s) = %v, want %v", tt.kind, tt.ch, got, tt.want)
			}
		})
	}
}
