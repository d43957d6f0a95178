package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestReportCounts: the bookings and cancellations reports count each
// outcome in its week, and the notifications report each delivery status.
func TestReportCounts(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	// a week well away from the fixture's lessons: 5 weeks ago, Wednesday
	now := cast.Now().In(rome)
	monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, rome).AddDate(0, 0, -35)
	day := monday.AddDate(0, 0, 2)
	student, tutorUser, admin := cast.Users[hookstest.Student], cast.Users[hookstest.Tutor2], cast.Users[hookstest.Admin]
	lesson := func(hour int, status string, fields map[string]any) {
		data := map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": student, "start": day.Add(time.Duration(hour) * time.Hour),
			"end": day.Add(time.Duration(hour+1) * time.Hour), "status": status}
		for k, v := range fields {
			data[k] = v
		}
		saveImported(t, app, "bookings", data)
	}
	lesson(8, "no_show", nil)
	lesson(9, "cancelled", map[string]any{"cancelled_by": student, "late_cancel": true})
	lesson(10, "cancelled", map[string]any{"cancelled_by": student})
	lesson(11, "cancelled", map[string]any{"cancelled_by": tutorUser})
	lesson(12, "cancelled", map[string]any{"cancelled_by": admin})
	lesson(13, "cancelled", map[string]any{"cancel_reason": "expired"})
	for ch, st := range map[string]string{"sms": "sent", "whatsapp": "failed", "telegram": "skipped"} {
		saveImported(t, app, "deliveries", map[string]any{"notification": cast.IDs["notification"], "user": student, "channel": ch, "status": st})
	}

	get := func(name string) map[string]any {
		t.Helper()
		q := "?from=" + monday.Format(time.DateOnly) + "&to=" + monday.AddDate(0, 0, 7).Format(time.DateOnly)
		res := hookstest.Call(t, srv, http.MethodGet, "/api/reports/"+name+q, cast.Tokens[hookstest.Admin], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		rows := res.JSON()["rows"].([]any)
		require.Len(t, rows, 1, "one week")
		return rows[0].(map[string]any)
	}
	b := get("bookings")
	require.EqualValues(t, 6, b["total"])
	require.EqualValues(t, 1, b["no_show"])
	require.EqualValues(t, 5, b["cancelled"])
	require.EqualValues(t, 1, b["late_cancelled"])
	c := get("cancellations")
	for k, want := range map[string]float64{"by_student": 1, "by_student_late": 1, "by_tutor": 1, "by_staff": 1, "expired": 1} {
		require.EqualValues(t, want, c[k], k)
	}

	res := hookstest.Call(t, srv, http.MethodGet, "/api/reports/notifications?from=2020-01-01&to=2020-12-01", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status)
	res = hookstest.Call(t, srv, http.MethodGet, "/api/reports/notifications", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	byChannel := map[string]map[string]any{}
	for _, r := range res.JSON()["rows"].([]any) {
		byChannel[r.(map[string]any)["channel"].(string)] = r.(map[string]any)
	}
	require.EqualValues(t, 1, byChannel["sms"]["sent"], string(res.Body))
	require.EqualValues(t, 1, byChannel["whatsapp"]["failed"])
	require.EqualValues(t, 1, byChannel["telegram"]["skipped"])
	require.NotZero(t, byChannel["email"]["queued"], "the fixture's emails, no SMTP")
	require.Equal(t, "1.000", byChannel["sms"]["delivery_rate"], "sent of sent and failed")
	require.Equal(t, "0.000", byChannel["whatsapp"]["delivery_rate"])
	require.Equal(t, "", byChannel["telegram"]["delivery_rate"], "skipped only: nothing ended")

	bad := hookstest.Call(t, srv, http.MethodGet, "/api/reports/bookings?from=2027-03-08&to=2027-03-01", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 400, bad.Status)
	require.Contains(t, string(bad.Body), `"to":{"code":"invalid_range"`)
}
