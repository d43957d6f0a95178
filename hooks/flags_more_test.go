package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestFlagReviewNoteAndLanguage: a review note over 1000 characters is
// refused and the flag stays open; a warned person reads the school's
// warning in their own language (English here).
func TestFlagReviewNoteAndLanguage(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	id := saveRecord(t, app, "flags", map[string]any{"rule": "booking_churn", "user": cast.Users[hookstest.Student2], "subject": "x1", "status": "open"}).Id
	review := func(body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/flags/"+id+"/review", cast.Tokens[hookstest.Admin], body)
	}
	refused(t, review(map[string]any{"action": "warn", "note": strings.Repeat("n", 1001)}), 400, "note", "validation_length_too_long")
	require.Equal(t, "open", reloaded(t, app, "flags", id).GetString("status"))
	require.Zero(t, countOf(t, app, "notifications", dbxHash("user", cast.Users[hookstest.Student2], "kind", "account_warning")))

	u := reloaded(t, app, "users", cast.Users[hookstest.Student2])
	u.Set("locale", "en")
	require.NoError(t, app.Save(u))
	res := review(map[string]any{"action": "warn", "note": strings.Repeat("n", 1000)})
	require.Equal(t, 200, res.Status, string(res.Body))
	n, err := app.FindFirstRecordByFilter("notifications", "user = {:u} && kind = 'account_warning'", map[string]any{"u": cast.Users[hookstest.Student2]})
	require.NoError(t, err)
	require.Equal(t, "A warning from the school about your account", n.GetString("title"))
	require.Contains(t, n.GetString("body"), "use it fairly")
}
