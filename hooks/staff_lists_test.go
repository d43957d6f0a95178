package hooks_test

import (
	"net/http"
	"net/url"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestStaffListFiltersCannotReadHiddenFields: the staff bookings list takes
// PocketBase's filter syntax, so it must refuse what the records API
// refuses anyone but a superuser: hidden fields and superuser-only
// collections. A filter oracle (true and false guesses answering
// differently) would read a bcrypt hash a character at a time.
func TestStaffListFiltersCannotReadHiddenFields(t *testing.T) {
	t.Parallel()
	app, srv := racingApp(t)
	tutor, err := app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor])
	require.NoError(t, err)
	tutor.Set("iban", "IT60X0542811101000000123456")
	require.NoError(t, app.Save(tutor))
	su, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, cast.Emails[hookstest.Superuser])
	require.NoError(t, err)
	student, err := app.FindRecordById("users", cast.Users[hookstest.Student])
	require.NoError(t, err)

	probes := []struct{ name, yes, no string }{
		{"a superuser's password hash", "@collection._superusers.password ~ '$2a$'", "@collection._superusers.password ?>= '~'"},
		{"a superuser's email", "@collection._superusers.email ?= '" + su.Email() + "'", "@collection._superusers.email ?= 'x@y.z'"},
		{"one-time passwords", "@collection._otps.id ?!= ''", "@collection._otps.id ?= 'none'"},
		{"a user's token key", "student.tokenKey = '" + student.TokenKey() + "'", "student.tokenKey = 'nope'"},
		{"a user's calendar token", "student.calendar_token = '" + student.GetString("calendar_token") + "'", "student.calendar_token = 'nope'"},
		{"a user's password hash", "student.password ~ '$2a'", "student.password ~ 'zzz'"},
		{"a tutor's IBAN", "tutor.iban ~ 'IT60'", "tutor.iban ~ 'DE00'"},
		{"a tutor's Stripe account", "tutor.stripe_account = ''", "tutor.stripe_account != ''"},
		{"users' hidden fields by @collection", "@collection.users.calendar_token ?!= ''", "@collection.users.calendar_token ?= 'x'"},
	}
	for _, p := range probes {
		t.Run(p.name, func(t *testing.T) {
			yes := hookstest.Call(t, srv, http.MethodGet, "/api/collections/bookings/records?filter="+url.QueryEscape(p.yes), cast.Tokens[hookstest.Admin], nil)
			no := hookstest.Call(t, srv, http.MethodGet, "/api/collections/bookings/records?filter="+url.QueryEscape(p.no), cast.Tokens[hookstest.Admin], nil)
			require.Less(t, yes.Status, 500, string(yes.Body))
			if yes.Status == 400 && no.Status == 400 {
				return
			}
			require.Equal(t, yes.Status, no.Status)
			require.Equal(t, yes.JSON()["totalItems"], no.JSON()["totalItems"], "a true and a false guess answer alike")
		})
	}

	t.Run("filters on visible fields still work for staff", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodGet, "/api/collections/bookings/records?filter="+url.QueryEscape("student_name ~ 'Stella' && tutor.headline != 'x'"), cast.Tokens[hookstest.Admin], nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Positive(t, res.JSON()["totalItems"])
	})
}
