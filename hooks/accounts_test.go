package hooks_test

import (
	"net/http"
	"strings"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

const goodPassword = "a-long-enough-passphrase"

func signUp(body string) *strings.Reader { return strings.NewReader(body) }

func TestSignUp(t *testing.T) {
	t.Parallel()
	scenarios := []tests.ApiScenario{
		{
			Name:               "a visitor signs up as a student by default",
			Method:             http.MethodPost,
			URL:                "/api/collections/users/records",
			Body:               signUp(`{"email":"new@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","name":"New Student"}`),
			ExpectedStatus:     200,
			ExpectedContent:    []string{`"role":"student"`, `"timezone":"Europe/Rome"`, `"locale":"it"`},
			NotExpectedContent: []string{`calendar_token`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				u, err := app.FindAuthRecordByEmail("users", "new@test.localhost")
				require.NoError(t, err)
				_, err = app.FindFirstRecordByData("students", "user", u.Id)
				require.NoError(t, err, "a student profile is created with the account")
				require.Len(t, u.GetString("calendar_token"), 32)
			},
		},
		{
			Name:            "a visitor signs up as a tutor, unverified and pending",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Body:            signUp(`{"email":"newtutor@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","name":"New Tutor","role":"tutor","timezone":"America/New_York","locale":"en"}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"role":"tutor"`, `"timezone":"America/New_York"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				u, err := app.FindAuthRecordByEmail("users", "newtutor@test.localhost")
				require.NoError(t, err)
				p, err := app.FindFirstRecordByData("tutors", "user", u.Id)
				require.NoError(t, err, "a tutor profile is created with the account")
				require.False(t, p.GetBool("verified"))
				require.Equal(t, "pending", p.GetString("status"))
				require.Equal(t, "New Tutor", p.GetString("name"))
				require.Equal(t, "America/New_York", p.GetString("timezone"))
				require.True(t, p.GetBool("auto_confirm"))
			},
		},
		{
			Name:            "nobody signs up as an admin",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Body:            signUp(`{"email":"evil@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","role":"admin"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"status":400`},
			AfterTestFunc:   requireNoUser("evil@test.localhost"),
		},
		{
			Name:            "a student cannot create an admin either",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Headers:         cast.Auth(hookstest.Student),
			Body:            signUp(`{"email":"evil@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","role":"admin"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"status":400`},
			AfterTestFunc:   requireNoUser("evil@test.localhost"),
		},
		{
			Name:            "a sign-up cannot mark its email verified",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Body:            signUp(`{"email":"evil@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","verified":true}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"verified"`},
			AfterTestFunc:   requireNoUser("evil@test.localhost"),
		},
		{
			Name:            "a sign-up cannot choose its calendar token (hidden fields are ignored)",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Body:            signUp(`{"email":"cal@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","calendar_token":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"name":"cal"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				u, err := app.FindAuthRecordByEmail("users", "cal@test.localhost")
				require.NoError(t, err)
				require.NotEqual(t, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", u.GetString("calendar_token"))
			},
		},
		{
			Name:            "an admin creates another admin",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Headers:         cast.Auth(hookstest.Admin),
			Body:            signUp(`{"email":"admin2@test.localhost","password":"v7#Qk2!mZ","passwordConfirm":"v7#Qk2!mZ","role":"admin"}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"role":"admin"`},
		},
		{
			Name:            "an unknown time zone is a field error",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Body:            signUp(`{"email":"tz@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","timezone":"Mars/Olympus"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"timezone":{"code":"invalid_timezone"`},
			AfterTestFunc:   requireNoUser("tz@test.localhost"),
		},
		{
			Name:            "unknown notification channels are a field error",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Body:            signUp(`{"email":"n@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","notify":{"reminder":{"pigeon":true}}}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"notify":{"code":"unknown_channel"`},
			AfterTestFunc:   requireNoUser("n@test.localhost"),
		},
		{
			Name:            "over-long names and wrong types are field errors",
			Method:          http.MethodPost,
			URL:             "/api/collections/users/records",
			Body:            signUp(`{"email":"verbose@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","name":"` + strings.Repeat("n", 121) + `","locale":"xx"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"name":{"code":"validation_max_text_constraint"`, `"locale":{"code":"validation_invalid_value"`},
			AfterTestFunc:   requireNoUser("verbose@test.localhost"),
		},
		{
			Name:            "a sign-up through the batch API cannot escalate either",
			Method:          http.MethodPost,
			URL:             "/api/batch",
			Body:            signUp(`{"requests":[{"method":"POST","url":"/api/collections/users/records","body":{"email":"evil@test.localhost","password":"` + goodPassword + `","passwordConfirm":"` + goodPassword + `","role":"admin"}}]}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"status":400`},
			AfterTestFunc:   requireNoUser("evil@test.localhost"),
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}

func requireNoUser(email string) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, res *http.Response) {
		_, err := app.FindAuthRecordByEmail("users", email)
		require.Error(t, err, "nothing is written")
	}
}

func TestNoSelfEscalation(t *testing.T) {
	t.Parallel()
	scenarios := []tests.ApiScenario{
		{
			Name:            "a student cannot make themselves an admin",
			Method:          http.MethodPatch,
			URL:             "/api/collections/users/records/" + cast.Users[hookstest.Student],
			Headers:         cast.Auth(hookstest.Student),
			Body:            strings.NewReader(`{"role":"admin"}`),
			ExpectedStatus:  404,
			ExpectedContent: []string{`"status":404`},
			AfterTestFunc:   requireField("users", cast.Users[hookstest.Student], "role", "student"),
		},
		{
			Name:            "a student may resend their own role unchanged",
			Method:          http.MethodPatch,
			URL:             "/api/collections/users/records/" + cast.Users[hookstest.Student],
			Headers:         cast.Auth(hookstest.Student),
			Body:            strings.NewReader(`{"role":"student","name":"Stella S."}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"name":"Stella S."`},
		},
		{
			Name:            "a student cannot edit another user",
			Method:          http.MethodPatch,
			URL:             "/api/collections/users/records/" + cast.Users[hookstest.Student2],
			Headers:         cast.Auth(hookstest.Student),
			Body:            strings.NewReader(`{"name":"Hacked"}`),
			ExpectedStatus:  404,
			ExpectedContent: []string{`"status":404`},
			AfterTestFunc:   requireField("users", cast.Users[hookstest.Student2], "name", "Otto Other"),
		},
		{
			Name:            "a tutor cannot verify themselves",
			Method:          http.MethodPatch,
			URL:             "/api/collections/tutors/records/" + cast.Tutors[hookstest.TutorPending],
			Headers:         cast.Auth(hookstest.TutorPending),
			Body:            strings.NewReader(`{"verified":true,"status":"active"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"verified":{"code":"staff_only"`, `"status":{"code":"staff_only"`},
			AfterTestFunc:   requireField("tutors", cast.Tutors[hookstest.TutorPending], "verified", false),
		},
		{
			Name:            "a tutor cannot forge their rating",
			Method:          http.MethodPatch,
			URL:             "/api/collections/tutors/records/" + cast.Tutors[hookstest.Tutor],
			Headers:         cast.Auth(hookstest.Tutor),
			Body:            strings.NewReader(`{"rating_avg":1,"rating_count":1000}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"rating_avg":{"code":"server_owned"`},
		},
		{
			Name:            "a tutor edits their own profile",
			Method:          http.MethodPatch,
			URL:             "/api/collections/tutors/records/" + cast.Tutors[hookstest.Tutor],
			Headers:         cast.Auth(hookstest.Tutor),
			Body:            strings.NewReader(`{"headline":"Algebra made simple","lesson_minutes":[45,60]}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"headline":"Algebra made simple"`},
		},
		{
			Name:            "a tutor cannot hand their profile to another user",
			Method:          http.MethodPatch,
			URL:             "/api/collections/tutors/records/" + cast.Tutors[hookstest.Tutor],
			Headers:         cast.Auth(hookstest.Tutor),
			Body:            strings.NewReader(`{"user":"` + cast.Users[hookstest.Student] + `"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"user":{"code":"immutable"`},
		},
		{
			Name:            "a tutor cannot edit another tutor's profile",
			Method:          http.MethodPatch,
			URL:             "/api/collections/tutors/records/" + cast.Tutors[hookstest.Tutor2],
			Headers:         cast.Auth(hookstest.Tutor),
			Body:            strings.NewReader(`{"headline":"Hacked"}`),
			ExpectedStatus:  404,
			ExpectedContent: []string{`"status":404`},
		},
		{
			Name:            "an admin verifies a tutor, which activates them and is audited",
			Method:          http.MethodPatch,
			URL:             "/api/collections/tutors/records/" + cast.Tutors[hookstest.TutorPending],
			Headers:         cast.Auth(hookstest.Admin),
			Body:            strings.NewReader(`{"verified":true}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"verified":true`, `"status":"active"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				requireAudit(t, app, "tutors.verified_change", cast.Users[hookstest.Admin], cast.Tutors[hookstest.TutorPending])
				requireAudit(t, app, "record.update", cast.Users[hookstest.Admin], cast.Tutors[hookstest.TutorPending])
			},
		},
		{
			Name:            "an admin changes a role, audited",
			Method:          http.MethodPatch,
			URL:             "/api/collections/users/records/" + cast.Users[hookstest.Student2],
			Headers:         cast.Auth(hookstest.Admin),
			Body:            strings.NewReader(`{"role":"tutor"}`),
			ExpectedStatus:  200,
			ExpectedContent: []string{`"role":"tutor"`},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				requireAudit(t, app, "users.role_change", cast.Users[hookstest.Admin], cast.Users[hookstest.Student2])
				_, err := app.FindFirstRecordByData("tutors", "user", cast.Users[hookstest.Student2])
				require.NoError(t, err, "the new tutor gets a profile")
			},
		},
		{
			Name:            "a second student profile for the same user is refused",
			Method:          http.MethodPost,
			URL:             "/api/collections/students/records",
			Headers:         cast.Auth(hookstest.Student),
			Body:            strings.NewReader(`{"user":"` + cast.Users[hookstest.Student] + `"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"user":{"code":"validation_not_unique"`},
		},
		{
			Name:            "a student cannot create a profile for someone else",
			Method:          http.MethodPost,
			URL:             "/api/collections/students/records",
			Headers:         cast.Auth(hookstest.Student),
			Body:            strings.NewReader(`{"user":"` + cast.Users[hookstest.Tutor] + `"}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"status":400`},
		},
		{
			Name:            "a batch cannot slip a self-verification through",
			Method:          http.MethodPost,
			URL:             "/api/batch",
			Headers:         cast.Auth(hookstest.TutorPending),
			Body:            strings.NewReader(`{"requests":[{"method":"PATCH","url":"/api/collections/tutors/records/` + cast.Tutors[hookstest.TutorPending] + `","body":{"verified":true}}]}`),
			ExpectedStatus:  400,
			ExpectedContent: []string{`"status":400`},
			AfterTestFunc:   requireField("tutors", cast.Tutors[hookstest.TutorPending], "verified", false),
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = cast.Factory
		s.Test(t)
	}
}

func requireField(collection, id, field string, want any) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, res *http.Response) {
		r, err := app.FindRecordById(collection, id)
		require.NoError(t, err)
		require.Equal(t, want, r.Get(field))
	}
}

func requireAudit(t testing.TB, app core.App, action, actor, record string) {
	t.Helper()
	n, err := app.CountRecords("audit_log", dbxHash("action", action, "actor", actor, "record", record))
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "one audit entry %s by %s on %s", action, actor, record)
}
