package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	churnapp "tutorbase/internal/app/churn"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/churn"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// newChurnSchool is a cast clone with two students of the first tutor,
// their lessons whole days from the test clock's now: Stan, weekly, last lesson 3 days ago and the
// next booked; Lena, weekly for six weeks until 30 days ago, who cancelled
// two lessons, rated her first lesson 5 and her last 2, and has left a
// message from staff unread for 8 days.
func newChurnSchool(t *testing.T) (*tests.TestApp, *core.Record, *core.Record) {
	t.Helper()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	lena, err := hookstest.CreateUser(app, "lena@test.localhost", "Lena Leaving", platform.RoleStudent)
	require.NoError(t, err)
	stan, err := hookstest.CreateUser(app, "stan@test.localhost", "Stan Steady", platform.RoleStudent)
	require.NoError(t, err)
	tutor := cast.Tutors[hookstest.Tutor]
	bookings, err := app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	// exact days from now (not calendar days), so the gaps are whole days whatever the hour
	base := cast.Now().UTC().Truncate(time.Minute)
	book := func(student *core.Record, days int, status string) *core.Record {
		start := base.Add(time.Duration(days) * 24 * time.Hour)
		r := core.NewRecord(bookings)
		r.Load(map[string]any{"tutor": tutor, "student": student.Id, "start": start, "end": start.Add(time.Hour), "status": status})
		if status == platform.StatusCancelled {
			r.Set("cancelled_by", student.Id)
		}
		require.NoError(t, app.SaveWithContext(importedCtx(), r))
		return r
	}
	var lenas []*core.Record
	for w := range 6 {
		book(stan, -3-7*w, platform.StatusCompleted)
		lenas = append(lenas, book(lena, -30-7*w, platform.StatusCompleted))
	}
	book(stan, 4, platform.StatusConfirmed)
	book(lena, -33, platform.StatusCancelled)
	book(lena, -40, platform.StatusCancelled)
	tutorRec, err := app.FindRecordById("tutors", tutor)
	require.NoError(t, err)
	for i, b := range map[int]*core.Record{5: lenas[5], 2: lenas[0]} { // her first lesson 5 stars, her last 2
		_, err := app.DB().NewQuery(`INSERT INTO reviews (id, booking, student, tutor, rating, hidden, student_name, created, updated)
			VALUES ({:id}, {:b}, {:s}, {:t}, {:r}, 0, 'Lena Leaving', {:at}, {:at})`).Bind(dbx.Params{"id": core.GenerateDefaultRandomId(),
			"b": b.Id, "s": lena.Id, "t": tutorRec.Id, "r": i, "at": platform.DBTime(b.GetDateTime("end").Time().Add(time.Hour))}).Execute()
		require.NoError(t, err)
	}
	// staff wrote to Lena 8 days ago; she never read it
	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/threads", cast.Tokens[hookstest.Admin], map[string]any{"to": lena.Id, "subject": "How are you?"})
	require.Equal(t, 200, res.Status, string(res.Body))
	thread := res.JSON()["id"].(string)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/messages/records", cast.Tokens[hookstest.Admin],
		map[string]any{"thread": thread, "author": cast.Users[hookstest.Admin], "body": "We miss you: shall we book?"})
	require.Equal(t, 200, res.Status, string(res.Body))
	_, err = app.DB().NewQuery("UPDATE messages SET created = {:at} WHERE thread = {:t}").
		Bind(dbx.Params{"at": platform.DBTime(cast.Now().Add(-8 * 24 * time.Hour)), "t": thread}).Execute()
	require.NoError(t, err)
	return app, lena, stan
}

type atRisk struct {
	Items     []churnapp.AtRiskJSON `json:"items"`
	Threshold int                   `json:"threshold"`
}

// TestChurnRisk: the daily job scores Lena 90 with her four reasons and
// their numbers, Stan 0; staff see Lena (in their language), others are
// refused; of eight clicks on "offer a coupon" one makes it; when Lena
// books again her score falls and she leaves the list.
func TestChurnRisk(t *testing.T) {
	t.Parallel()
	app, lena, stan := newChurnSchool(t)
	services := hookstest.ServicesOf(app)
	require.NoError(t, services.Churn.Recompute(app, cast.Now()))
	score := func(student string) int {
		r, err := app.FindFirstRecordByData("churn_scores", "student", student)
		require.NoError(t, err)
		return r.GetInt("score")
	}
	require.Equal(t, 0, score(stan.Id))
	require.Equal(t, 90, score(lena.Id))

	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodGet, "/api/at-risk", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	var list atRisk
	require.NoError(t, json.Unmarshal(res.Body, &list))
	require.Equal(t, churn.Threshold, list.Threshold)
	var got *churnapp.AtRiskJSON
	for i := range list.Items {
		require.NotEqual(t, stan.Id, list.Items[i].Student)
		if list.Items[i].Student == lena.Id {
			got = &list.Items[i]
		}
	}
	require.NotNil(t, got, string(res.Body))
	require.Equal(t, "Lena Leaving", got.Name)
	require.Equal(t, 90, got.Score)
	require.Nil(t, got.Coupon)
	require.Equal(t, []churnapp.ReasonJSON{
		{Reason: churn.Reason{Code: churn.ReasonGap, Points: 60, Values: map[string]float64{"days": 30, "usual_days": 7}},
			Text: "Nessuna lezione da 30 giorni; di solito ogni 7"},
		{Reason: churn.Reason{Code: churn.ReasonRatings, Points: 15, Values: map[string]float64{"before": 5, "last": 2}},
			Text: "Ultima valutazione 2, prima in media 5"},
		{Reason: churn.Reason{Code: churn.ReasonUnread, Points: 10, Values: map[string]float64{"messages": 1, "days": 8}},
			Text: "1 messaggio non letto da 8 giorni"},
		{Reason: churn.Reason{Code: churn.ReasonCancellations, Points: 5, Values: map[string]float64{"dropped": 2, "lessons": 8, "days": 90}},
			Text: "Ha disdetto o saltato 2 delle 8 lezioni degli ultimi 90 giorni"},
	}, got.Reasons, "the admin of the cast speaks Italian")

	for _, who := range []string{hookstest.Student, hookstest.Tutor} {
		require.Equal(t, 403, hookstest.Call(t, srv, http.MethodGet, "/api/at-risk", cast.Tokens[who], nil).Status)
		require.Equal(t, 403, hookstest.Call(t, srv, http.MethodPost, "/api/at-risk/"+lena.Id+"/coupon", cast.Tokens[who], nil).Status)
	}
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/at-risk", "", nil).Status)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/at-risk/"+stan.Id+"/coupon", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"code":"not_at_risk","message":"Questo studente non è a rischio."`)

	// eight clicks at once: one coupon
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/at-risk/"+lena.Id+"/coupon", cast.Tokens[hookstest.Admin], nil)
	codes := map[int]int{}
	var offered churnapp.CouponJSON
	for _, r := range rs {
		codes[r.Status]++
		if r.Status == 200 {
			require.NoError(t, json.Unmarshal(r.Body, &offered))
		} else {
			require.Contains(t, string(r.Body), `"code":"coupon_offered"`)
		}
	}
	require.Equal(t, map[int]int{200: 1, 409: 7}, codes)
	coupon, err := app.FindRecordById("coupons", offered.ID)
	require.NoError(t, err)
	require.Equal(t, offered.Code, coupon.GetString("code"))
	require.Regexp(t, `^BACK-[A-Z0-9]{8}$`, offered.Code)
	require.Equal(t, churnapp.OfferPercent, coupon.GetInt("percent"))
	require.Equal(t, 1, coupon.GetInt("max_uses"))
	require.Equal(t, []string{lena.Id}, coupon.GetStringSlice("people"), "for her only")
	require.True(t, coupon.GetBool("active"))
	require.WithinDuration(t, cast.Now().AddDate(0, 0, churnapp.OfferDays), coupon.GetDateTime("valid_until").Time(), time.Second)
	n, err := app.CountRecords("coupons", dbx.NewExp("code LIKE 'BACK-%'"))
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
	res = hookstest.Call(t, srv, http.MethodGet, "/api/at-risk", cast.Tokens[hookstest.Admin], nil)
	require.NoError(t, json.Unmarshal(res.Body, &list))
	for _, it := range list.Items {
		if it.Student == lena.Id {
			require.Equal(t, &offered, it.Coupon)
		}
	}

	// the next day's run keeps the coupon while she is at risk; once she
	// books again, the gap goes, her score falls under the threshold and
	// the coupon may be offered again another time
	require.NoError(t, services.Churn.Recompute(app, cast.Now().Add(time.Hour)))
	r, err := app.FindFirstRecordByData("churn_scores", "student", lena.Id)
	require.NoError(t, err)
	require.Equal(t, offered.ID, r.GetString("coupon"))
	bookings, err := app.FindCachedCollectionByNameOrId("bookings")
	require.NoError(t, err)
	b := core.NewRecord(bookings)
	b.Load(map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "student": lena.Id, "start": romeTime(5, 10, 0), "end": romeTime(5, 11, 0), "status": "confirmed"})
	require.NoError(t, app.SaveWithContext(importedCtx(), b))
	require.NoError(t, services.Churn.Recompute(app, cast.Now().Add(2*time.Hour)))
	require.Equal(t, 30, score(lena.Id))
	r, err = app.FindFirstRecordByData("churn_scores", "student", lena.Id)
	require.NoError(t, err)
	require.Empty(t, r.GetString("coupon"))
	res = hookstest.Call(t, srv, http.MethodGet, "/api/at-risk", cast.Tokens[hookstest.Admin], nil)
	require.NotContains(t, string(res.Body), lena.Id)
}
