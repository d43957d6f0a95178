package hooks_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

var notMeLink = regexp.MustCompile(`/not-me\?token=([0-9a-f]+)`)

func TestSignInAlerts(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	hookstest.NoRateLimits(app)
	app.Settings().TrustedProxy.Headers = []string{"X-Forwarded-For"}
	email := cast.Emails[hookstest.Student]
	signInAs := func(ua, ip string) string {
		t.Helper()
		res := hookstest.CallWith(t, srv, http.MethodPost, authPath, "", map[string]any{"identity": email, "password": hookstest.Password},
			map[string]string{"User-Agent": ua, "X-Forwarded-For": ip})
		require.Equal(t, 200, res.Status, string(res.Body))
		return res.JSON()["token"].(string)
	}
	alerts := func() []string {
		var out []string
		for _, m := range app.TestMailer.Messages() {
			if strings.Contains(m.Text+m.HTML, "/not-me?token=") || strings.Contains(m.Subject, "sign-in") || strings.Contains(m.Subject, "login") {
				out = append(out, m.Subject+"\n"+m.HTML)
			}
		}
		return out
	}

	signInAs(uaWindowsChrome, "198.51.100.7") // the first sign-in: nothing to compare with
	signInAs(uaWindowsChrome, "198.51.100.7")
	require.Empty(t, alerts(), "the same device and address")

	t.Run("stays quiet for a known device on a known network", func(t *testing.T) {
		newer := strings.Replace(uaWindowsChrome, "Chrome/120", "Chrome/121", 1)
		signInAs(newer, "198.51.100.99") // a new browser version and address, same device, browser and /24
		require.Empty(t, alerts())
	})

	t.Run("a new network is told", func(t *testing.T) {
		u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
		require.NoError(t, err)
		u.Set("locale", "en")
		require.NoError(t, app.Save(u))
		signInAs(uaWindowsChrome, "203.0.113.5")
		got := alerts()
		require.Len(t, got, 1)
		require.Contains(t, got[0], "New sign-in to your account")
		require.Contains(t, got[0], "203.0.113.0/24")
	})

	t.Run("a new device is told, in the person's language, and \"not me\" signs it out and starts a reset", func(t *testing.T) {
		u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
		require.NoError(t, err)
		u.Set("locale", "it")
		require.NoError(t, app.Save(u))
		phone := signInAs(uaIPhoneSafari, "198.51.100.7")
		got := alerts()
		require.Len(t, got, 2)
		require.Contains(t, got[1], "Nuovo accesso al tuo account")
		require.Contains(t, got[1], "Safari · iPhone")
		m := notMeLink.FindStringSubmatch(got[1])
		require.Len(t, m, 2)
		s, err := app.FindRecordById("sessions", sessionID(t, phone))
		require.NoError(t, err)
		require.NotContains(t, s.GetString("report_hash"), m[1], "only the link's hash is kept")

		sent := app.TestMailer.TotalSend()
		rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/auth/not-me", "", map[string]any{"token": m[1]})
		require.Equal(t, map[int]int{204: 1, 400: 7}, hookstest.Statuses(rs), "the link works once")
		require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", phone, nil).Status)
		require.Equal(t, sent+1, app.TestMailer.TotalSend())
		require.Contains(t, app.TestMailer.LastMessage().HTML, "/reset-password?token=")
		require.Equal(t, 400, hookstest.Call(t, srv, http.MethodPost, "/api/auth/not-me", "", map[string]any{"token": "made-up"}).Status)
	})
}
