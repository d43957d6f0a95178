package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestDeliveriesShowTheirMessageToStaff: the deliveries page lists the
// outbox with each delivery's notification expanded (its title and app
// text), which staff may view one by one; their own list of notifications
// (and its live topic) stays theirs.
func TestDeliveriesShowTheirMessageToStaff(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/deliveries/records?expand=notification&sort=-created", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	items := res.JSON()["items"].([]any)
	require.NotEmpty(t, items)
	for _, it := range items {
		expand, _ := it.(map[string]any)["expand"].(map[string]any)
		n, _ := expand["notification"].(map[string]any)
		require.NotEmpty(t, n["title"], "the delivery's message is there: %v", it)
	}
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/notifications/records", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, float64(0), res.JSON()["totalItems"], "an admin's list is their own notifications only")
}
