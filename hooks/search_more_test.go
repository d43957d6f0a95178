package hooks_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestSearchDefaultsAndTimeOff: a tutor stored without a zone or lesson
// lengths (an older record) is shown with the school's zone and the default
// lengths; a tutor away for the whole of a free-time window is not free.
func TestSearchDefaultsAndTimeOff(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	_, err := app.DB().NewQuery("UPDATE tutors SET timezone = '', lesson_minutes = '[]' WHERE id = {:id}").
		Bind(map[string]any{"id": cast.Tutors[hookstest.Tutor]}).Execute()
	require.NoError(t, err)
	search := func(q url.Values) map[string]map[string]any {
		t.Helper()
		res := hookstest.Call(t, srv, http.MethodGet, "/api/search/tutors?"+q.Encode(), "", nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		out := map[string]map[string]any{}
		for _, it := range res.JSON()["items"].([]any) {
			m := it.(map[string]any)
			out[m["id"].(string)] = m
		}
		return out
	}

	tina := search(url.Values{})[cast.Tutors[hookstest.Tutor]]
	require.NotNil(t, tina)
	require.Equal(t, "Europe/Rome", tina["timezone"])
	require.Equal(t, []any{30.0, 45.0, 60.0, 90.0, 120.0}, tina["lesson_minutes"])

	// the booking rules read the same tutor with the school's zone
	week := url.Values{"from": {romeTime(1, 0, 0).Format(time.RFC3339)}, "to": {romeTime(8, 0, 0).Format(time.RFC3339)}}
	res := hookstest.Call(t, srv, http.MethodGet, "/api/tutors/"+cast.Tutors[hookstest.Tutor]+"/slots?"+week.Encode(), "", nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	for d := 1; d <= 7; d++ {
		if monday := romeTime(d, 9, 0); monday.In(rome).Weekday() == time.Monday {
			require.Contains(t, string(res.Body), monday.Format(time.RFC3339), "Monday 09:00 in the school's zone")
		}
	}

	from := romeTime(20, 8, 0)
	saveImported(t, app, "time_off", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": from.Add(-time.Hour), "end": from.Add(26 * time.Hour), "reason": "Away"})
	window := func(f time.Time) url.Values {
		return url.Values{"free_from": {f.Format(time.RFC3339)}, "free_to": {f.Add(24 * time.Hour).Format(time.RFC3339)}}
	}
	require.NotContains(t, search(window(from)), cast.Tutors[hookstest.Tutor2], "away the whole window")
	require.Contains(t, search(window(from.AddDate(0, 0, 3))), cast.Tutors[hookstest.Tutor2], "free again three days on")

	// a "+02:00" offset typed into a URL arrives as " 02:00": read the same
	later := from.AddDate(0, 0, 3).In(time.FixedZone("", 2*3600))
	raw := "/api/search/tutors?free_from=" + later.Format("2006-01-02T15:04:05+07:00") + "&free_to=" + later.Add(24*time.Hour).Format("2006-01-02T15:04:05+07:00")
	res = hookstest.Call(t, srv, http.MethodGet, raw, "", nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), cast.Tutors[hookstest.Tutor2])
}
