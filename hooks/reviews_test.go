package hooks_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

func TestReviews(t *testing.T) {
	t.Parallel()
	done := cast.IDs["unreviewed_booking"]
	review := func(body string) *strings.Reader { return strings.NewReader(body) }
	rating := func(avg float64, count int) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, res *http.Response) {
			tu, err := app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor])
			require.NoError(t, err)
			require.InDelta(t, avg, tu.GetFloat("rating_avg"), 1e-9)
			require.Equal(t, count, tu.GetInt("rating_count"))
		}
	}
	scenarios := []tests.ApiScenario{
		{Name: "the student reviews a completed lesson", Method: http.MethodPost, URL: "/api/collections/reviews/records", Headers: cast.Auth(hookstest.Student),
			Body: review(`{"booking":"` + done + `","rating":4,"comment":"Clear and patient"}`), ExpectedStatus: 200,
			ExpectedContent: []string{`"rating":4`, `"student":"` + cast.Users[hookstest.Student] + `"`, `"tutor":"` + cast.Tutors[hookstest.Tutor] + `"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				rating(4.5, 2)(t, app, res) // the fixture's 5 and this 4
				requireNotified(t, app, hookstest.Tutor, "review_received", 1)
			}},
		{Name: "once per lesson", Method: http.MethodPost, URL: "/api/collections/reviews/records", Headers: cast.Auth(hookstest.Student),
			Body: review(`{"booking":"` + cast.IDs["completed_booking"] + `","rating":1}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"booking":{"code":"validation_not_unique"`}, AfterTestFunc: rating(5, 1)},
		{Name: "not before the lesson is completed", Method: http.MethodPost, URL: "/api/collections/reviews/records", Headers: cast.Auth(hookstest.Student),
			Body: review(`{"booking":"` + cast.IDs["booking"] + `","rating":5}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"booking":{"code":"not_completed"`}, AfterTestFunc: rating(5, 1)},
		{Name: "not someone else's lesson", Method: http.MethodPost, URL: "/api/collections/reviews/records", Headers: cast.Auth(hookstest.Student2),
			Body: review(`{"booking":"` + done + `","rating":1}`), ExpectedStatus: 400, ExpectedContent: []string{`"status":400`}, AfterTestFunc: rating(5, 1)},
		{Name: "a rating from 1 to 5", Method: http.MethodPost, URL: "/api/collections/reviews/records", Headers: cast.Auth(hookstest.Student),
			Body: review(`{"booking":"` + done + `","rating":6}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"rating":{"code":"validation_max_number_constraint"`}, AfterTestFunc: rating(5, 1)},
		{Name: "no rating", Method: http.MethodPost, URL: "/api/collections/reviews/records", Headers: cast.Auth(hookstest.Student),
			Body: review(`{"booking":"` + done + `","comment":"ok"}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"rating":{"code":"validation_required"`}},
		{Name: "a student cannot hide their own review", Method: http.MethodPatch, URL: "/api/collections/reviews/records/" + cast.IDs["review"], Headers: cast.Auth(hookstest.Student),
			Body: review(`{"hidden":true}`), ExpectedStatus: 400, ExpectedContent: []string{`"hidden":{"code":"staff_only"`}},
		{Name: "the student edits the rating, which updates the average", Method: http.MethodPatch, URL: "/api/collections/reviews/records/" + cast.IDs["review"],
			Headers: cast.Auth(hookstest.Student), Body: review(`{"rating":3}`), ExpectedStatus: 200, ExpectedContent: []string{`"rating":3`},
			AfterTestFunc: rating(3, 1)},
		{Name: "an admin hides an abusive review", Method: http.MethodPatch, URL: "/api/collections/reviews/records/" + cast.IDs["review"],
			Headers: cast.Auth(hookstest.Admin), Body: review(`{"hidden":true}`), ExpectedStatus: 200, ExpectedContent: []string{`"hidden":true`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				rating(0, 0)(t, app, res)
				n, err := app.CountRecords("reviews", dbx.HashExp{"hidden": false})
				require.NoError(t, err)
				require.Zero(t, n)
			}},
		{Name: "after 14 days a review is final", Method: http.MethodPatch, URL: "/api/collections/reviews/records/" + cast.IDs["review"],
			Headers: cast.Auth(hookstest.Student), Body: review(`{"comment":"changed my mind"}`), ExpectedStatus: 400,
			ExpectedContent: []string{`"rating":{"code":"edit_window_closed"`},
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				_, err := app.DB().NewQuery("UPDATE reviews SET created = {:c} WHERE id = {:id}").
					Bind(dbx.Params{"c": time.Now().Add(-15 * 24 * time.Hour).UTC().Format("2006-01-02 15:04:05.000Z"), "id": cast.IDs["review"]}).Execute()
				require.NoError(t, err)
			}},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}

// Twenty reviews and hides at the same time leave the tutor's figures
// exactly equal to the visible reviews.
func TestRatingUnderConcurrency(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	tokens := manyStudents(t, app, 20)
	var ids []string
	for i, tok := range tokens {
		start := time.Now().UTC().Truncate(time.Hour).Add(-time.Duration(48+i) * time.Hour)
		sub := authUser(t, app, tok)
		b := saveImported(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "student": sub,
			"start": start, "end": start.Add(time.Hour), "status": "completed"})
		ids = append(ids, b.Id)
	}
	var wg sync.WaitGroup
	for i, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/reviews/records", tok, map[string]any{"booking": ids[i], "rating": 1 + i%5})
			if res.Status != 200 {
				t.Errorf("review %d: %d %s", i, res.Status, res.Body)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		res := hookstest.Call(t, srv, http.MethodPatch, "/api/collections/reviews/records/"+cast.IDs["review"], cast.Tokens[hookstest.Admin], map[string]any{"hidden": true})
		if res.Status != 200 {
			t.Errorf("hide: %d %s", res.Status, res.Body)
		}
	}()
	wg.Wait()

	var truth struct {
		Avg   float64 `db:"avg"`
		Count int     `db:"count"`
	}
	require.NoError(t, app.DB().NewQuery("SELECT AVG(rating) AS avg, COUNT(*) AS count FROM reviews WHERE tutor = {:t} AND hidden = FALSE").
		Bind(dbx.Params{"t": cast.Tutors[hookstest.Tutor]}).One(&truth))
	require.Equal(t, 20, truth.Count)
	tu, err := app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor])
	require.NoError(t, err)
	require.Equal(t, truth.Count, tu.GetInt("rating_count"))
	require.InDelta(t, truth.Avg, tu.GetFloat("rating_avg"), 1e-9)
}

// authUser returns the users id behind a token.
func authUser(t testing.TB, app core.App, token string) string {
	t.Helper()
	r, err := app.FindAuthRecordByToken(token, core.TokenTypeAuth)
	require.NoError(t, err)
	return r.Id
}
