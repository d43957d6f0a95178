package hooks_test

import (
	"net/http"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestMaterialsBulkBodies: a bulk move or unshare whose body is not an
// object is refused, and no material changes.
func TestMaterialsBulkBodies(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	before := reloaded(t, app, "materials", cast.IDs["material"])
	for _, path := range []string{"/api/materials/move", "/api/materials/unshare"} {
		res := hookstest.Call(t, srv, http.MethodPost, path, cast.Tokens[hookstest.Tutor], []string{cast.IDs["material"]})
		require.Equal(t, 400, res.Status, "%s: %s", path, res.Body)
		require.NotEmpty(t, res.JSON()["message"])
	}
	after := reloaded(t, app, "materials", cast.IDs["material"])
	require.Equal(t, before.GetString("folder"), after.GetString("folder"))
	require.Equal(t, before.GetStringSlice("shared_with"), after.GetStringSlice("shared_with"))
	require.Equal(t, before.GetString("updated"), after.GetString("updated"))
}
