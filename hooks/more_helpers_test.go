package hooks_test

import (
	"errors"
	"io"
	"net/http"
	"sync"
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

// faults makes chosen record writes of a test app fail, as a full disk
// would: Break("students", "update") fails every update of a students
// record (through the records API, a route or a job alike) until Mend.
type faults struct{ broken sync.Map } // "collection/op" -> func(*core.Record) bool

// injectFaults binds the failing writes to app (after Tutorbase's own
// hooks, so the write fails where the database would refuse it).
func injectFaults(app core.App) *faults {
	f := &faults{}
	fail := func(op string) func(e *core.RecordEvent) error {
		return func(e *core.RecordEvent) error {
			if when, ok := f.broken.Load(e.Record.Collection().Name + "/" + op); ok && when.(func(*core.Record) bool)(e.Record) {
				return errors.New("disk full")
			}
			return e.Next()
		}
	}
	app.OnRecordCreate().BindFunc(fail("create"))
	app.OnRecordUpdate().BindFunc(fail("update"))
	app.OnRecordDelete().BindFunc(fail("delete"))
	return f
}

// Break fails the writes op ("create", "update", "delete") of collection.
func (f *faults) Break(collection, op string) {
	f.BreakIf(collection, op, func(*core.Record) bool { return true })
}

// BreakIf fails the writes op of collection of the records when says.
func (f *faults) BreakIf(collection, op string, when func(*core.Record) bool) {
	f.broken.Store(collection+"/"+op, when)
}

// Mend undoes every Break.
func (f *faults) Mend() { f.broken.Clear() }

// postRaw posts body as it is with its content type and a token (none:
// a visitor), and reads the whole answer.
func postRaw(t testing.TB, url, token, contentType string, body io.Reader) hookstest.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return hookstest.Response{Status: res.StatusCode, Body: out}
}
