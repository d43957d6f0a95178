package config

import (
	"strings"
	"testing"
)

func TestLoadGoogle(t *testing.T) {
	key := "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" // 32 bytes
	tests := []struct {
		name    string
		env     []string
		wantErr string
		check   func(t *testing.T, g Google)
	}{
		{name: "off by default", check: func(t *testing.T, g Google) {
			if g.SignIn() || g.Calendar() || g.TokenURL() != DefaultGoogleTokenURL || g.CalendarEndpoint() != "https://www.googleapis.com/calendar/v3/" {
				t.Fatalf("got %+v", g)
			}
		}},
		{name: "sign-in without the key", env: []string{"GOOGLE_CLIENT_ID=id", "GOOGLE_CLIENT_SECRET=s"}, check: func(t *testing.T, g Google) {
			if !g.SignIn() || g.Calendar() {
				t.Fatalf("want sign-in only, got %+v", g)
			}
		}},
		{name: "calendar with the key and a fake", env: []string{"GOOGLE_CLIENT_ID=id", "GOOGLE_CLIENT_SECRET=s", "TB_GOOGLE_TOKEN_KEY=" + key,
			"GOOGLE_OAUTH_BASE=http://127.0.0.1:9/", "GOOGLE_API_BASE=http://127.0.0.1:9"}, check: func(t *testing.T, g Google) {
			if !g.Calendar() || g.TokenURL() != "http://127.0.0.1:9/token" || g.AuthURL() != "http://127.0.0.1:9/o/oauth2/v2/auth" ||
				g.UserInfoURL() != "http://127.0.0.1:9/oauth2/v3/userinfo" || g.CalendarEndpoint() != "http://127.0.0.1:9/calendar/v3/" {
				t.Fatalf("got %+v", g)
			}
		}},
		{name: "half a client", env: []string{"GOOGLE_CLIENT_ID=id"}, wantErr: "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET"},
		{name: "short key", env: []string{"TB_GOOGLE_TOKEN_KEY=c2hvcnQ="}, wantErr: "TB_GOOGLE_TOKEN_KEY"},
		{name: "bad base", env: []string{"GOOGLE_API_BASE=www.googleapis.com"}, wantErr: "GOOGLE_API_BASE"},
		{name: "bad push address", env: []string{"GOOGLE_PUSH_URL=school.example"}, wantErr: "GOOGLE_PUSH_URL"},
		{name: "push address", env: []string{"GOOGLE_PUSH_URL=https://school.example/"}, check: func(t *testing.T, g Google) {
			if g.PushURL != "https://school.example" {
				t.Fatalf("got %+v", g)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Load(tt.env)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got %v, want an error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c.Google)
		})
	}
}
