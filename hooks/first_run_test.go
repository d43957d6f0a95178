package hooks_test

import (
	"bytes"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/notifications"

	"github.com/stretchr/testify/require"
)

// console is a goroutine-safe buffer standing for the server's stderr.
type console struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (c *console) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.Write(p)
}

func (c *console) String() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.b.String()
}

// TestAccountEmailsWithoutSMTP: without SMTP, PocketBase's account emails
// print their codes and links to the server's console between markers (a
// demo admin reads their second factor there), the printed code signs in,
// and GET /api/setup tells the web app that email is not sent.
func TestAccountEmailsWithoutSMTP(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	out := &console{}
	notifications.UseMailer(app, out)
	srv := hookstest.Serve(t, app)
	email := cast.Emails[hookstest.Student]

	res := hookstest.Call(t, srv, http.MethodGet, "/api/setup", "", nil)
	require.Equal(t, 200, res.Status)
	require.Equal(t, map[string]any{"smtp": false}, res.JSON())

	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/request-otp", "", map[string]any{"email": email})
	require.Equal(t, 200, res.Status, string(res.Body))
	otpID, _ := res.JSON()["otpId"].(string)
	printed := waitFor(t, out, 1) // PocketBase sends the code in the background
	require.Contains(t, printed, notifications.ConsoleMarker)
	require.Contains(t, printed, "To:      "+email)
	m := regexp.MustCompile(`(?m)^Code:    ([0-9]+)$`).FindStringSubmatch(printed)
	require.NotNil(t, m, "the sign-in code is printed:\n%s", printed)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-otp", "", map[string]any{"otpId": otpID, "password": m[1]})
	require.Equal(t, 200, res.Status, "the printed code signs in: %s", res.Body)

	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/request-password-reset", "", map[string]any{"email": email})
	require.Equal(t, 204, res.Status)
	waitFor(t, out, 2)
	require.Regexp(t, `(?m)^Link:    http://127\.0\.0\.1:8090/reset-password\?token=[A-Za-z0-9._-]+$`, out.String())
	require.Equal(t, 2, strings.Count(out.String(), "=== END OF EMAIL ==="))

	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, "127.0.0.1", 2525
	require.NoError(t, app.Save(s))
	res = hookstest.Call(t, srv, http.MethodGet, "/api/setup", "", nil)
	require.Equal(t, map[string]any{"smtp": true}, res.JSON())
}

// waitFor waits until the console holds n printed emails, and returns it.
func waitFor(t *testing.T, c *console, n int) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Count(c.String(), "=== END OF EMAIL ===") >= n {
			break
		}
	}
	return c.String()
}
