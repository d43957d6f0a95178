package hooks_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestAPICompression: API answers of 1 KiB or more are gzipped for a
// client that asks (three weeks of slots), unchanged once decompressed; small
// answers (the cast's directory of two tutors) and a client that does not
// ask are left alone. docs/benchmarks.md measures the saving on a school
// of 200 tutors.
func TestAPICompression(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	srv := hookstest.Serve(t, app)
	from := time.Now().UTC().AddDate(0, 0, 1).Truncate(time.Hour)
	week := url.Values{"from": {from.Format(time.RFC3339)}, "to": {from.AddDate(0, 0, 21).Format(time.RFC3339)}}
	gz := map[string]string{"Accept-Encoding": "gzip"}
	plain := map[string]string{"Accept-Encoding": "identity"}
	for name, path := range map[string]string{
		"three weeks of slots": "/api/tutors/" + cast.Tutors[hookstest.Tutor] + "/slots?" + week.Encode(),
	} {
		raw := hookstest.CallWith(t, srv, http.MethodGet, path, "", nil, plain)
		require.Equal(t, 200, raw.Status, string(raw.Body))
		require.GreaterOrEqual(t, len(raw.Body), 1024, "%s: a big enough answer to measure", name)
		res, err := getRaw(srv.URL+path, gz)
		require.NoError(t, err)
		require.Equal(t, "gzip", res.header.Get("Content-Encoding"), name)
		require.Contains(t, res.header.Values("Vary"), "Accept-Encoding")
		zr, err := gzip.NewReader(bytes.NewReader(res.body))
		require.NoError(t, err)
		unzipped, err := io.ReadAll(zr)
		require.NoError(t, err)
		require.JSONEq(t, string(raw.Body), string(unzipped), name)
		require.Less(t, len(res.body), len(raw.Body)/2, "%s: gzip saves more than half", name)
		t.Logf("%s: %d bytes, %d gzipped (%.0f %% saved)", name, len(raw.Body), len(res.body),
			100*(1-float64(len(res.body))/float64(len(raw.Body))))
	}
	small, err := getRaw(srv.URL+"/api/search/tutors?perPage=50", gz)
	require.NoError(t, err)
	require.Less(t, len(small.body), 1024)
	require.Empty(t, small.header.Get("Content-Encoding"), "an answer under 1 KiB stays plain")
	res, err := getRaw(srv.URL+"/api/search/tutors?perPage=50", plain)
	require.NoError(t, err)
	require.Empty(t, res.header.Get("Content-Encoding"), "a client that does not ask gets plain JSON")
}

type rawResponse struct {
	header http.Header
	body   []byte
}

// getRaw fetches url with headers, without the transport's own decompression.
func getRaw(url string, headers map[string]string) (rawResponse, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return rawResponse{}, err
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		return rawResponse{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return rawResponse{res.Header, b}, err
}
