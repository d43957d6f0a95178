package hooks_test

import (
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"github.com/stretchr/testify/require"
)

// refused asserts a refusal in PocketBase's error shape: the status, and
// the field's error with the code ({"data": {field: {"code": code, …}}}).
func refused(t testing.TB, res hookstest.Response, status int, field, code string) {
	t.Helper()
	require.Equal(t, status, res.Status, string(res.Body))
	body := res.JSON()
	require.NotNil(t, body, "a JSON error: %s", res.Body)
	require.NotEmpty(t, body["message"], "a message: %s", res.Body)
	data, _ := body["data"].(map[string]any)
	fe, _ := data[field].(map[string]any)
	require.NotNil(t, fe, "an error on %q: %s", field, res.Body)
	require.Equal(t, code, fe["code"], string(res.Body))
}

// countOf is the number of records of collection matching exprs.
func countOf(t testing.TB, app core.App, collection string, exprs ...dbx.Expression) int64 {
	t.Helper()
	n, err := app.CountRecords(collection, exprs...)
	require.NoError(t, err)
	return n
}
