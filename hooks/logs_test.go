package hooks_test

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/testkit/syncbuf"

	"github.com/stretchr/testify/require"
)

// TestRequestIDsAndJSONLogs: every answer carries X-Request-Id (the
// proxy's when sane, a new one otherwise); with TB_LOG_FORMAT=json each
// stored log line is also written as one JSON object, the request's id in
// its meta.
func TestRequestIDsAndJSONLogs(t *testing.T) {
	t.Parallel()
	cfg := hookstest.Config
	cfg.LogJSON = true
	app := cast.CloneWith(t, cfg)
	app.Settings().Logs.MaxDays = 1 // test apps store no logs; production keeps 5 days
	out := &syncbuf.Buffer{}
	hookstest.ServicesOf(app).Ops.SetLogOutput(out)
	srv := hookstest.Serve(t, app)

	res, err := getRaw(srv.URL+"/api/collections/nothing_here/records", map[string]string{"X-Request-Id": "proxy-id-42"})
	require.NoError(t, err)
	require.Equal(t, "proxy-id-42", res.header.Get("X-Request-Id"))
	res, err = getRaw(srv.URL+"/api/health", map[string]string{"X-Request-Id": "<script>"})
	require.NoError(t, err)
	made := res.header.Get("X-Request-Id")
	require.Regexp(t, `^[A-Za-z0-9]{20}$`, made, "an unsafe id is replaced")
	res, err = getRaw(srv.URL+"/api/health", nil)
	require.NoError(t, err)
	require.NotEqual(t, made, res.header.Get("X-Request-Id"))

	var line map[string]any
	require.Eventually(t, func() bool { // PocketBase stores logs every 3 seconds
		sc := bufio.NewScanner(strings.NewReader(out.String()))
		for sc.Scan() {
			var l map[string]any
			require.NoError(t, json.Unmarshal(sc.Bytes(), &l), sc.Text())
			if meta, ok := l["meta"].(map[string]any); ok && meta["requestId"] == "proxy-id-42" {
				line = l
				return true
			}
		}
		return false
	}, 10*time.Second, 100*time.Millisecond, "the request's JSON log line:\n%s", out)
	require.Equal(t, "GET /api/collections/nothing_here/records", line["msg"])
	require.Equal(t, "ERROR", line["level"], "PocketBase logs a failed request as an error")
	require.EqualValues(t, http.StatusNotFound, line["status"])
	require.NotEmpty(t, line["time"])
}
