package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// Bad input gets a 400 with field errors in PocketBase's shape and changes
// nothing; never a 5xx.
func TestFoundationBadInput(t *testing.T) {
	t.Parallel()
	tutor := cast.Tutors[hookstest.Tutor]
	unchangedTutor := func(t testing.TB, app *tests.TestApp, res *http.Response) {
		r, err := app.FindRecordById("tutors", tutor)
		require.NoError(t, err)
		require.Zero(t, r.GetInt("hourly_rate")-4000, "the profile is unchanged")
		require.Empty(t, r.GetString("headline"))
	}
	countIs := func(collection string, n int64) func(testing.TB, *tests.TestApp, *http.Response) {
		return func(t testing.TB, app *tests.TestApp, res *http.Response) {
			got, err := app.CountRecords(collection)
			require.NoError(t, err)
			require.Equal(t, n, got, "nothing is written to %s", collection)
		}
	}
	scenarios := []tests.ApiScenario{
		{
			Name: "a second school record", Method: http.MethodPost, URL: "/api/collections/school/records",
			Headers:        cast.Auth(hookstest.Superuser),
			Body:           strings.NewReader(`{"name":"Second","timezone":"Europe/Rome","locale":"en","currency":"EUR","slot_step_minutes":30}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"id":{"code":"single_school"`},
			AfterTestFunc: countIs("school", 1),
		},
		{
			Name: "a school in an unknown zone, currency and step", Method: http.MethodPatch, URL: "/api/collections/school/records/tutorbaseschool",
			Headers:        cast.Auth(hookstest.Admin),
			Body:           strings.NewReader(`{"timezone":"Europe/Atlantis","currency":"EUX","slot_step_minutes":7,"reminder_offsets":[60,60]}`),
			ExpectedStatus: 400,
			ExpectedContent: []string{`"timezone":{"code":"invalid_timezone"`, `"currency":{"code":"invalid_currency"`,
				`"slot_step_minutes":{"code":"invalid_step"`, `"reminder_offsets":{"code":"invalid_offsets"`},
			AfterTestFunc: requireField("school", "tutorbaseschool", "timezone", "Europe/Rome"),
		},
		{
			Name: "wrong types on a tutor profile", Method: http.MethodPatch, URL: "/api/collections/tutors/records/" + tutor,
			Headers:        cast.Auth(hookstest.Tutor),
			Body:           strings.NewReader(`{"headline":"Hi","hourly_rate":-5,"lesson_minutes":"sixty","currency":"euro"}`),
			ExpectedStatus: 400,
			ExpectedContent: []string{`"hourly_rate":{"code":"validation_min_number_constraint"`, `"lesson_minutes":{"code":"invalid_lengths"`,
				`"currency":{"code":"invalid_currency"`},
			AfterTestFunc: unchangedTutor,
		},
		{
			Name: "absurd lesson lengths", Method: http.MethodPatch, URL: "/api/collections/tutors/records/" + tutor,
			Headers:        cast.Auth(hookstest.Tutor),
			Body:           strings.NewReader(`{"headline":"Hi","lesson_minutes":[0,7,100000]}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"lesson_minutes":{"code":"invalid_lengths"`},
			AfterTestFunc: unchangedTutor,
		},
		{
			Name: "a relation to a missing record", Method: http.MethodPost, URL: "/api/collections/packages/records",
			Headers: cast.Auth(hookstest.Tutor),
			Body: strings.NewReader(`{"tutor":"` + tutor + `","subject":"nosuchsubject00","title":"Ghost","lessons":5,"minutes":60,"price":100,` +
				`"status":"draft","valid_days":30}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"subject":{"code":"validation_missing_rel_records"`},
			AfterTestFunc: countIs("packages", 2),
		},
		{
			Name: "availability for a missing tutor", Method: http.MethodPost, URL: "/api/collections/availability/records",
			Headers:        cast.Auth(hookstest.Admin),
			Body:           strings.NewReader(`{"tutor":"nosuchtutor0000","weekday":1,"start":"09:00","end":"10:00"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"tutor":{"code":"validation_missing_rel_records"`},
			AfterTestFunc: countIs("availability", 8),
		},
		{
			Name: "a malformed phone number", Method: http.MethodPatch, URL: "/api/collections/users/records/" + cast.Users[hookstest.Student],
			Headers:        cast.Auth(hookstest.Student),
			Body:           strings.NewReader(`{"phone":"call me maybe"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"phone":{"code":"validation_invalid_format"`},
			AfterTestFunc: requireField("users", cast.Users[hookstest.Student], "phone", ""),
		},
		{
			Name: "a body that is not JSON", Method: http.MethodPatch, URL: "/api/collections/users/records/" + cast.Users[hookstest.Student],
			Headers:        cast.Auth(hookstest.Student),
			Body:           strings.NewReader(`{"name": `),
			ExpectedStatus: 400, ExpectedContent: []string{`"status":400`},
			AfterTestFunc: requireField("users", cast.Users[hookstest.Student], "name", "Stella Student"),
		},
		{
			Name: "a 10 MB name", Method: http.MethodPatch, URL: "/api/collections/users/records/" + cast.Users[hookstest.Student],
			Headers:        cast.Auth(hookstest.Student),
			Body:           strings.NewReader(`{"name":"` + strings.Repeat("x", 10<<20) + `"}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"name":{"code":"validation_max_text_constraint"`},
			AfterTestFunc: requireField("users", cast.Users[hookstest.Student], "name", "Stella Student"),
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}
