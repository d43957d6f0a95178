package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

func TestSeries(t *testing.T) {
	t.Parallel()
	t.Run("weekly lessons keep their local time across the DST change", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		setTutor(hookstest.Tutor2, map[string]any{"max_advance_days": 0})(t, app, nil)
		noUnpaidCap(t, app) // four unpaid lessons: a school that invoices monthly
		srv := hookstest.Serve(t, app)
		// a Monday 10:00 in Rome two weeks before summer time starts
		monday := mondayBeforeSpringForward(cast.Now())
		at := func(week, hour int) time.Time {
			return time.Date(monday.Year(), monday.Month(), monday.Day()+7*week, hour, 0, 0, 0, rome)
		}
		res := hookstest.Call(t, srv, http.MethodPost, "/api/series", cast.Tokens[hookstest.Student], map[string]any{
			"tutor": cast.Tutors[hookstest.Tutor2], "start": at(0, 10).Format(time.RFC3339), "end": at(0, 11).Format(time.RFC3339), "weeks": 4, "notes": "Algebra",
		})
		require.Equal(t, 200, res.Status, string(res.Body))
		var out struct {
			Series   map[string]any   `json:"series"`
			Bookings []map[string]any `json:"bookings"`
		}
		require.NoError(t, json.Unmarshal(res.Body, &out))
		require.Len(t, out.Bookings, 4)
		var starts []string
		for _, b := range out.Bookings {
			starts = append(starts, b["start"].(string))
			require.Equal(t, out.Series["id"], b["series"])
			require.Equal(t, "Algebra", b["notes"])
		}
		var want []string
		for week := range 4 {
			want = append(want, at(week, 10).UTC().Format("2006-01-02 15:04:05.000Z"))
		}
		require.Equal(t, want, starts)
		require.Equal(t, 9, at(1, 10).UTC().Hour(), "before the change 10:00 in Rome is 09:00Z")
		require.Equal(t, 8, at(2, 10).UTC().Hour(), "after it, 08:00Z")
		require.Equal(t, "10:00", out.Series["start_time"])
		require.EqualValues(t, 1, out.Series["weekday"])
		require.Equal(t, "Europe/Rome", out.Series["timezone"])
		requireNotified(t, app, hookstest.Tutor2, "booking_created", 1)

		t.Run("cancel this one and all following", func(t *testing.T) {
			third := out.Bookings[2]["id"].(string)
			res := hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+third+"/cancel", cast.Tokens[hookstest.Student], map[string]any{"following": true})
			require.Equal(t, 200, res.Status, string(res.Body))
			for i, b := range out.Bookings {
				want := "confirmed"
				if i >= 2 {
					want = "cancelled"
				}
				requireBooking(t, app, b["id"].(string), map[string]any{"status": want})
			}
			s, err := app.FindRecordById("series", out.Series["id"].(string))
			require.NoError(t, err)
			require.Equal(t, "cancelled", s.GetString("status"))
		})
		t.Run("cancel one occurrence", func(t *testing.T) {
			first := out.Bookings[0]["id"].(string)
			res := hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+first+"/cancel", cast.Tokens[hookstest.Student], nil)
			require.Equal(t, 200, res.Status, string(res.Body))
			requireBooking(t, app, out.Bookings[1]["id"].(string), map[string]any{"status": "confirmed"})
		})
	})

	t.Run("all or nothing: a conflict in week 3 writes nothing", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		first := romeTime(7, 10, 0)
		third := romeTime(21, 10, 0)
		bookedBy(hookstest.Student2, hookstest.Tutor2, third.Format(time.RFC3339), third.Add(time.Hour).Format(time.RFC3339))(t, app, nil)
		before := countAll(t, app)
		srv := hookstest.Serve(t, app)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/series", cast.Tokens[hookstest.Student], map[string]any{
			"tutor": cast.Tutors[hookstest.Tutor2], "start": first, "end": first.Add(time.Hour), "weeks": 4,
		})
		require.Equal(t, 409, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"occurrences":{"2":{"code":"slot_conflict","message":"`+third.Format(time.RFC3339))
		require.NotContains(t, string(res.Body), `"0":`)
		require.Equal(t, before, countAll(t, app), "nothing is written")
	})

	t.Run("skip: after the refusal, the weeks that fit are booked", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		noUnpaidCap(t, app)
		first := romeTime(7, 10, 0)
		third := romeTime(21, 10, 0)
		bookedBy(hookstest.Student2, hookstest.Tutor2, third.Format(time.RFC3339), third.Add(time.Hour).Format(time.RFC3339))(t, app, nil)
		srv := hookstest.Serve(t, app)
		body := map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": first, "end": first.Add(time.Hour), "weeks": 4}
		res := hookstest.Call(t, srv, http.MethodPost, "/api/series", cast.Tokens[hookstest.Student], body)
		require.Equal(t, 409, res.Status, "all or nothing stays the default: %s", res.Body)
		body["skip"] = []int{2}
		res = hookstest.Call(t, srv, http.MethodPost, "/api/series", cast.Tokens[hookstest.Student], body)
		require.Equal(t, 200, res.Status, string(res.Body))
		var out struct {
			Bookings []map[string]any `json:"bookings"`
		}
		require.NoError(t, json.Unmarshal(res.Body, &out))
		var starts []string
		for _, b := range out.Bookings {
			starts = append(starts, b["start"].(string))
		}
		format := func(d int) string { return romeTime(d, 10, 0).Format("2006-01-02 15:04:05.000Z") }
		require.Equal(t, []string{format(7), format(14), format(28)}, starts, "weeks 1, 2 and 4; week 3 left out")
		requireNotified(t, app, hookstest.Student, "booking_created", 1) // one, listing the three
	})

	t.Run("every failing occurrence is listed with its code", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		srv := hookstest.Serve(t, app)
		first := romeTime(70, 10, 0) // weeks 3 and 4 fall beyond the 90-day limit
		res := hookstest.Call(t, srv, http.MethodPost, "/api/series", cast.Tokens[hookstest.Student], map[string]any{
			"tutor": cast.Tutors[hookstest.Tutor2], "start": first, "end": first.Add(time.Hour), "weeks": 5,
		})
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"3":{"code":"too_far"`)
		require.Contains(t, string(res.Body), `"4":{"code":"too_far"`)
		n, err := app.CountRecords("series")
		require.NoError(t, err)
		require.EqualValues(t, 1, n, "only the fixture's series")
	})

	t.Run("bad input", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		srv := hookstest.Serve(t, app)
		s, e := romeSlot(7, 10, 0, 60)
		for _, c := range []struct {
			name, role string
			body       map[string]any
			status     int
			want       string
		}{
			{"zero weeks", hookstest.Student, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 0}, 400, `"weeks":{"code":"validation_out_of_range"`},
			{"one week is no series", hookstest.Student, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 1}, 400, `"weeks":{"code":"validation_out_of_range","message":"Una serie ha da 2 a 52 lezioni settimanali."`},
			{"skip beyond the series", hookstest.Student, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 4, "skip": []int{4}}, 400, `"skip":{"code":"validation_out_of_range"`},
			{"a negative skip", hookstest.Student, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 4, "skip": []int{-1}}, 400, `"skip":{"code":"validation_out_of_range"`},
			{"every week skipped", hookstest.Student, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 2, "skip": []int{1, 0}}, 400, `"skip":{"code":"nothing_to_book"`},
			{"skip is a list of numbers", hookstest.Student, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 2, "skip": "1"}, 400, `"status":400`},
			{"53 weeks", hookstest.Student, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 53}, 400, `"weeks":{"code":"validation_out_of_range"`},
			{"an unknown tutor", hookstest.Student, map[string]any{"tutor": "nosuchtutor0000", "start": s, "end": e, "weeks": 2}, 400, `"tutor":{"code":"validation_missing_rel_records"`},
			{"a tutor cannot book a series", hookstest.Tutor2, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 2}, 403, `"status":403`},
			{"a visitor", hookstest.Visitor, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "weeks": 2}, 401, `"status":401`},
			{"no times", hookstest.Student, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "weeks": 2}, 400, `"start":{"code":"validation_required"`},
		} {
			res := hookstest.Call(t, srv, http.MethodPost, "/api/series", cast.Tokens[c.role], c.body)
			require.Equal(t, c.status, res.Status, "%s: %s", c.name, res.Body)
			require.Contains(t, string(res.Body), c.want, c.name)
		}
		require.Equal(t, int64(fixtureBookings), countWhere(t, app, "bookings", nil))
	})
}

func countAll(t testing.TB, app core.App) [2]int64 {
	b, err := app.CountRecords("bookings")
	require.NoError(t, err)
	s, err := app.CountRecords("series")
	require.NoError(t, err)
	return [2]int64{b, s}
}

func countWhere(t testing.TB, app core.App, collection string, where dbx.Expression) int64 {
	var n int64
	var err error
	if where == nil {
		n, err = app.CountRecords(collection)
	} else {
		n, err = app.CountRecords(collection, where)
	}
	require.NoError(t, err)
	return n
}

// mondayBeforeSpringForward is the Monday 13 days before the next last
// Sunday of March (when Rome moves to summer time) at least three days
// after now, in Rome.
func mondayBeforeSpringForward(now time.Time) time.Time {
	for y := now.Year(); ; y++ {
		sunday := time.Date(y, time.March, 31, 0, 0, 0, 0, rome)
		for sunday.Weekday() != time.Sunday {
			sunday = sunday.AddDate(0, 0, -1)
		}
		if monday := sunday.AddDate(0, 0, -13); monday.After(now.AddDate(0, 0, 3)) {
			return monday
		}
	}
}
