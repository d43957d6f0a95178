package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"
	"tutorbase/migrations"

	"github.com/stretchr/testify/require"
)

// TestSchoolSettingsRules: staff editing the school get a field error for
// each value the app could not work with, and nothing changes.
func TestSchoolSettingsRules(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	url := "/api/collections/school/records/" + migrations.SchoolId
	for field, c := range map[string]struct {
		value any
		code  string
	}{
		"reminder_offsets":   {[]int{1440, 720, 360, 180, 60, 30}, "invalid_offsets"},
		"reminder_offsets ":  {map[string]int{"day": 1440}, "invalid_offsets"},
		"commission_percent": {12.345, "invalid_percent"},
		"tax_rate_percent":   {22.001, "invalid_percent"},
	} {
		field = strings.TrimSpace(field)
		res := hookstest.Call(t, srv, http.MethodPatch, url, cast.Tokens[hookstest.Superuser], map[string]any{field: c.value})
		require.Equal(t, 400, res.Status, "%s: %s", field, res.Body)
		require.Contains(t, string(res.Body), `"`+field+`":{"code":"`+c.code+`"`)
	}
	s, err := app.FindRecordById("school", migrations.SchoolId)
	require.NoError(t, err)
	require.EqualValues(t, 20, s.GetFloat("commission_percent"), "unchanged")
}

// TestFieldGuardsOnCreate: a client cannot set the server's fields, nor a
// non-staff user the staff's, when creating a record.
func TestFieldGuardsOnCreate(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	before := countWhere(t, app, "packages", nil)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/packages/records", cast.Tokens[hookstest.Tutor2], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "title": "Cheap", "lessons": 4, "minutes": 60, "price": 20000, "effective_price": 1,
		"status": "published", "valid_days": 30})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"effective_price":{"code":"server_owned"`)
	require.Equal(t, before, countWhere(t, app, "packages", nil))

	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/reviews/records", cast.Tokens[hookstest.Student], map[string]any{
		"booking": cast.IDs["unreviewed_booking"], "rating": 1, "comment": "Hide the others", "hidden": false})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"hidden":{"code":"staff_only"`)
	require.Zero(t, countWhere(t, app, "reviews", dbxHash("booking", cast.IDs["unreviewed_booking"])))
}

// TestAvailabilityClockErrors: a window whose times are not clock times is
// a field error, never a 5xx.
func TestAvailabilityClockErrors(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	for _, w := range []map[string]any{
		{"weekday": 2, "start": "09:00", "end": "09:00", "timezone": "Europe/Rome"},
		{"weekday": 2, "start": "09:00", "end": "17:00", "timezone": "Mars/Olympus"},
		{"weekday": 2, "start": "9am", "end": "17:00"},
	} {
		w["tutor"] = cast.Tutors[hookstest.Tutor]
		res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/availability/records", cast.Tokens[hookstest.Tutor], w)
		require.Equal(t, 400, res.Status, "%v: %s", w, res.Body)
	}
}
