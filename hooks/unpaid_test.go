package hooks_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"
	"tutorbase/jobs"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// setSchool saves fields on the school record (through the model hooks).
func setSchool(t testing.TB, app core.App, fields map[string]any) {
	t.Helper()
	s, err := app.FindRecordById("school", migrations.SchoolId)
	require.NoError(t, err)
	s.Load(fields)
	require.NoError(t, app.Save(s))
}

// noUnpaidCap makes app's school one that invoices monthly: no cap on
// unpaid lessons, no payment deadline (for tests of other rules that book
// many unpaid lessons for one student).
func noUnpaidCap(t testing.TB, app core.App) {
	t.Helper()
	setSchool(t, app, map[string]any{"max_unpaid_lessons": 0, "unpaid_pay_hours": 0})
}

// unverifiedStudent signs up a student who has not confirmed their email.
func unverifiedStudent(t testing.TB, app core.App, email string) (*core.Record, string) {
	t.Helper()
	u, err := hookstest.CreateUser(app, email, "New Student", platform.RoleStudent)
	require.NoError(t, err)
	u.SetVerified(false)
	require.NoError(t, app.Save(u))
	tok, err := u.NewStaticAuthToken(time.Hour)
	require.NoError(t, err)
	return u, tok
}

func TestBookingNeedsAConfirmedEmail(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	u, tok := unverifiedStudent(t, app, "fresh@test.localhost")
	slot := func(hour int) map[string]any {
		start, end := romeSlot(3, hour, 0, 60)
		return map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end}
	}
	count := func() int64 {
		n, err := app.CountRecords("bookings", dbx.HashExp{"student": u.Id})
		require.NoError(t, err)
		return n
	}

	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, tok, slot(9))
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"student":{"code":"email_unverified"`)
	series := slot(9)
	series["weeks"] = 2
	res = hookstest.Call(t, srv, http.MethodPost, "/api/series", tok, series)
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"code":"email_unverified"`)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/batch", tok, map[string]any{"requests": []map[string]any{
		{"method": "POST", "url": bookingsURL, "body": slot(11)}}})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Zero(t, count(), "nothing booked")

	// staff may book for them; the student may not pay before confirming
	staffBody := slot(13)
	staffBody["student"] = u.Id
	res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Admin], staffBody)
	require.Equal(t, 200, res.Status, string(res.Body))
	booked := res.JSON()["id"].(string)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/purchases/checkout", tok, map[string]any{"booking": booked})
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"booking":{"code":"email_unverified"`)

	// once confirmed, they book and pay
	u.SetVerified(true)
	require.NoError(t, app.Save(u))
	res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, tok, slot(9))
	require.Equal(t, 200, res.Status, string(res.Body))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/purchases/checkout", tok, map[string]any{"booking": booked})
	require.Equal(t, 200, res.Status, string(res.Body))

	t.Run("a school may switch the rule off", func(t *testing.T) {
		setSchool(t, app, map[string]any{"require_verified_email": false})
		_, other := unverifiedStudent(t, app, "fresh2@test.localhost")
		res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, other, slot(15))
		require.Equal(t, 200, res.Status, string(res.Body))
	})
}

// The fixture student already holds one upcoming unpaid lesson ("booking").
func TestUnpaidLessonsAreCapped(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	book := func(hour int) hookstest.Response { return s.book(t, hookstest.Student, "", 3, hour) }

	require.Equal(t, 200, book(9).Status)
	require.Equal(t, 200, book(10).Status)
	res := book(11)
	require.Equal(t, 400, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), `"purchase":{"code":"unpaid_limit"`)
	start, _ := romeSlot(3, 11, 0, 60)
	n, err := s.app.CountRecords("bookings", dbx.NewExp("student = {:s} AND start = {:start}",
		dbx.Params{"s": cast.Users[hookstest.Student], "start": dbDate(start)}))
	require.NoError(t, err)
	require.Zero(t, n, "nothing written")

	t.Run("a lesson paid with a package credit does not count", func(t *testing.T) {
		p := s.buy(t, hookstest.Student)
		res := s.book(t, hookstest.Student, p.Id, 3, 11)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "credit", res.JSON()["payment_status"])
		require.Empty(t, res.JSON()["pay_by"], "nothing to pay, no deadline")
	})
	t.Run("paying for one frees a place", func(t *testing.T) {
		id := cast.IDs["booking"]
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, 200, book(12).Status)
		require.Equal(t, 400, book(13).Status)
	})
	t.Run("a series counts each unpaid lesson, all or nothing", func(t *testing.T) {
		start, end := romeSlot(4, 9, 0, 60)
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/series", cast.Tokens[hookstest.Student2],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end, "weeks": 4})
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"3":{"code":"unpaid_limit"`)
		n, err := s.app.CountRecords("bookings", dbx.HashExp{"student": cast.Users[hookstest.Student2]})
		require.NoError(t, err)
		require.Zero(t, n, "no lesson of the series is written")
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/series", cast.Tokens[hookstest.Student2],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end, "weeks": 3})
		require.Equal(t, 200, res.Status, string(res.Body))
	})
	t.Run("a series paid from a package does not count", func(t *testing.T) {
		p := s.buy(t, hookstest.Student2)
		start, end := romeSlot(5, 9, 0, 60)
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/series", cast.Tokens[hookstest.Student2],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end, "weeks": 4, "purchase": p.Id})
		require.Equal(t, 200, res.Status, string(res.Body))
	})
	t.Run("0 means no cap", func(t *testing.T) {
		setSchool(t, s.app, map[string]any{"max_unpaid_lessons": 0})
		require.Equal(t, 200, book(13).Status)
		require.Equal(t, 200, book(14).Status)
	})
}

// Eight bookings at once by a student one below the cap: exactly one wins.
func TestUnpaidCapUnderConcurrency(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	require.Equal(t, 200, s.book(t, hookstest.Student, "", 3, 8).Status) // 2 of 3 held
	for round := range 3 {
		var wg sync.WaitGroup
		statuses := make([]int, 8)
		gate := make(chan struct{})
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				start, end := romeSlot(4+round, 9+i, 0, 60)
				<-gate
				statuses[i] = postStatus(s.srv, bookingsURL, cast.Tokens[hookstest.Student],
					map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
			}()
		}
		close(gate)
		wg.Wait()
		won := 0
		for _, st := range statuses {
			if st == 200 {
				won++
			} else {
				require.Equal(t, 400, st)
			}
		}
		require.Equal(t, 1, won, "round %d: %v", round, statuses)
		n, err := s.app.CountRecords("bookings", dbx.NewExp("student = {:s} AND status != 'cancelled' AND payment_status = 'unpaid' AND start > {:now}",
			dbx.Params{"s": cast.Users[hookstest.Student], "now": cast.Now().UTC().Format("2006-01-02 15:04:05.000Z")}))
		require.NoError(t, err)
		require.EqualValues(t, 3, n)
		// pay the winner: the next round starts one below the cap again
		b, err := s.app.FindFirstRecordByFilter("bookings", "student = {:s} && payment_status = 'unpaid' && start >= {:from}",
			dbx.Params{"s": cast.Users[hookstest.Student], "from": romeTime(4+round, 0, 0).Format("2006-01-02 15:04:05.000Z")})
		require.NoError(t, err)
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+b.Id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
		require.Equal(t, 200, res.Status, string(res.Body))
	}
}

func TestUnpaidLessonsHaveADeadline(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	hookstest.NoRateLimits(s.app)
	setTutor(hookstest.Tutor2, map[string]any{"min_notice_minutes": 60})(t, s.app, nil)
	allDay(t, s.app, hookstest.Tutor2)
	noDeadline := func(r hookstest.Response) time.Time {
		v, _ := r.JSON()["pay_by"].(string)
		tm, err := time.Parse("2006-01-02 15:04:05.000Z", v)
		require.NoError(t, err, "pay_by %q", v)
		return tm
	}

	before := cast.Now()
	far := s.book(t, hookstest.Student, "", 10, 9)
	require.Equal(t, 200, far.Status, string(far.Body))
	require.WithinDuration(t, before.Add(24*time.Hour), noDeadline(far), 5*time.Second, "a day to pay a lesson far away")
	movedStart, movedEnd := romeSlot(11, 9, 0, 60)
	moved := hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+far.JSON()["id"].(string)+"/reschedule", cast.Tokens[hookstest.Student],
		map[string]any{"start": movedStart, "end": movedEnd})
	require.Equal(t, 200, moved.Status, string(moved.Body))
	require.Equal(t, noDeadline(far), noDeadline(moved), "moving a lesson does not buy time to pay it")
	far = moved

	soonStart := cast.Now().Add(3 * time.Hour).Truncate(30 * time.Minute).Add(30 * time.Minute)
	res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student2], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "start": soonStart.UTC().Format(time.RFC3339), "end": soonStart.Add(time.Hour).UTC().Format(time.RFC3339)})
	require.Equal(t, 200, res.Status, string(res.Body))
	soon := res.JSON()["id"].(string)
	payBy := noDeadline(res)
	require.WithinDuration(t, cast.Now().Add(15*time.Minute), payBy, 5*time.Second, "inside the cancel window: 15 minutes")

	res = hookstest.Call(t, s.srv, http.MethodPatch, bookingsURL+"/"+soon, cast.Tokens[hookstest.Student2], map[string]any{"pay_by": cast.Now().Add(48 * time.Hour)})
	require.Equal(t, 400, res.Status, "the deadline is the server's")

	// the expiry job, 14 minutes later: nothing yet
	require.NoError(t, jobs.ExpirePending(hookstest.ServicesOf(s.app), s.app, payBy.Add(-time.Minute)))
	b, err := s.app.FindRecordById("bookings", soon)
	require.NoError(t, err)
	require.Equal(t, "confirmed", b.GetString("status"))

	// the far lesson is paid: the job leaves it alone whenever it runs
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+far.JSON()["id"].(string)+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, 200, res.Status, string(res.Body))
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student2], map[string]any{"booking": soon})
	require.Equal(t, 200, res.Status, string(res.Body))
	payment := res.JSON()["payment"].(map[string]any)["id"].(string)

	// past the deadline, eight runs of the job at once cancel it once
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = jobs.ExpirePending(hookstest.ServicesOf(s.app), s.app, payBy.Add(time.Minute))
		}()
	}
	wg.Wait()
	b, err = s.app.FindRecordById("bookings", soon)
	require.NoError(t, err)
	require.Equal(t, "cancelled", b.GetString("status"))
	require.Equal(t, "unpaid", b.GetString("cancel_reason"))
	pay, err := s.app.FindRecordById("payments", payment)
	require.NoError(t, err)
	require.Equal(t, "failed", pay.GetString("status"), "its pending payment is closed")
	farB, err := s.app.FindRecordById("bookings", far.JSON()["id"].(string))
	require.NoError(t, err)
	require.Equal(t, "confirmed", farB.GetString("status"))

	// both told, once each
	for _, who := range []string{hookstest.Student2, hookstest.Tutor2} {
		n, err := s.app.CountRecords("notifications", dbx.NewExp("user = {:u} AND kind = 'booking_cancelled' AND json_extract(data, '$.booking') = {:b}",
			dbx.Params{"u": cast.Users[who], "b": soon}))
		require.NoError(t, err)
		require.EqualValues(t, 1, n, who)
	}
	// and the slot is free again
	res = hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "start": soonStart.UTC().Format(time.RFC3339), "end": soonStart.Add(time.Hour).UTC().Format(time.RFC3339)})
	require.Equal(t, 200, res.Status, string(res.Body))
}

// dbDate is an RFC 3339 instant as PocketBase stores it.
func dbDate(rfc3339 string) string {
	t, err := time.Parse(time.RFC3339, rfc3339)
	if err != nil {
		panic(err)
	}
	return t.UTC().Format("2006-01-02 15:04:05.000Z")
}

// postStatus posts JSON and returns the status (from a goroutine: no t).
func postStatus(srv *httptest.Server, path, token string, body any) int {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, bytes.NewReader(b))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	res, err := srv.Client().Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}
