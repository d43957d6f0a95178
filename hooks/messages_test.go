package hooks_test

import (
	"net/http"
	"strconv"
	"testing"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

var italian = map[string]string{"Accept-Language": "it-IT,it;q=0.9,en;q=0.5"}

// fieldMessages are an error answer's field messages by field.
func fieldMessages(t *testing.T, r hookstest.Response) map[string]string {
	t.Helper()
	out := map[string]string{}
	data, _ := r.JSON()["data"].(map[string]any)
	for k, v := range data {
		if item, ok := v.(map[string]any); ok {
			out[k], _ = item["message"].(string)
		}
	}
	return out
}

// TestFormsTellEveryBadFieldInTheirLanguage: the forms of sign-up,
// profile, password, availability and time off answer every bad field at
// once, each in the person's language (their saved one, else
// Accept-Language), with a headline of its own, never PocketBase's
// "Failed to create record." alone.
func TestFormsTellEveryBadFieldInTheirLanguage(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	student, tutor := cast.Tokens[hookstest.Student], cast.Tokens[hookstest.Tutor]
	cases := []struct {
		name, method, path, token string
		body                      map[string]any
		want                      map[string]string // field -> its Italian message (a part of it)
	}{
		{"sign-up", http.MethodPost, "/api/collections/users/records", "", map[string]any{
			"name": "Al", "email": "not-an-email", "password": "aaaaaaaaaaaaaaaaaaaaaa", "passwordConfirm": "other", "timezone": "Mars/Base", "role": "student"},
			map[string]string{"email": "indirizzo email valido", "password": "troppo facile da indovinare", "passwordConfirm": "I valori non coincidono.",
				"timezone": "Fuso orario sconosciuto"}},
		{"profile", http.MethodPatch, "/api/collections/users/records/" + cast.Users[hookstest.Student], student, map[string]any{
			"name": "   ", "timezone": "Mars/Base", "phone": "123"},
			map[string]string{"name": "Usa lettere o numeri", "timezone": "Fuso orario sconosciuto", "phone": "Il formato non è valido."}},
		{"tutor profile", http.MethodPatch, "/api/collections/tutors/records/" + cast.Tutors[hookstest.Tutor], tutor, map[string]any{
			"headline": "   ", "hourly_rate": -5, "lesson_minutes": []int{7}},
			map[string]string{"headline": "Usa lettere o numeri", "hourly_rate": "Deve essere almeno 0.", "lesson_minutes": "multiplo di 5 minuti"}},
		{"password", http.MethodPatch, "/api/collections/users/records/" + cast.Users[hookstest.Student], student, map[string]any{
			"oldPassword": "not-the-password-at-all", "password": "short", "passwordConfirm": "nope"},
			map[string]string{"oldPassword": "La password attuale non è corretta.", "password": "almeno 15 caratteri", "passwordConfirm": "I valori non coincidono."}},
		{"availability", http.MethodPost, "/api/collections/availability/records", tutor, map[string]any{
			"tutor": cast.Tutors[hookstest.Tutor], "weekday": 2, "start": "10:00", "end": "10:00",
			"valid_from": "2030-01-10 00:00:00.000Z", "valid_until": "2030-01-01 00:00:00.000Z"},
			map[string]string{"end": "La fine deve essere diversa dall'inizio.", "valid_until": "non può essere prima"}},
		{"time off", http.MethodPost, "/api/collections/time_off/records", tutor, map[string]any{
			"tutor": cast.Tutors[hookstest.Tutor], "start": "2030-01-10 10:00:00.000Z", "end": "2030-01-01 00:00:00.000Z", "reason": "   "},
			map[string]string{"end": "L'assenza deve finire dopo l'inizio.", "reason": "Usa lettere o numeri"}},
	}
	for _, tc := range cases {
		res := hookstest.CallWith(t, srv, tc.method, tc.path, tc.token, tc.body, italian)
		require.Equal(t, http.StatusBadRequest, res.Status, "%s: %s", tc.name, res.Body)
		got := fieldMessages(t, res)
		for field, want := range tc.want {
			require.Contains(t, got[field], want, "%s: %s", tc.name, res.Body)
		}
		require.Len(t, got, len(tc.want), "%s: every bad field, and no other: %s", tc.name, res.Body)
		require.Equal(t, "Controlla "+strconv.Itoa(len(tc.want))+" campi: ognuno dice cosa cambiare.", res.JSON()["message"], tc.name)
	}

	// one bad field: the headline is its message, in English too
	setLocale(t, app, hookstest.Tutor, "en")
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/time_off/records", tutor, map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor], "start": "2030-01-10 10:00:00.000Z", "end": "2030-01-01 00:00:00.000Z"})
	require.Equal(t, "Time off must end after it starts.", res.JSON()["message"])
	require.NotContains(t, string(res.Body), "Failed to create record")
}

// TestRefusalsInTheSavedLanguage: a signed-in person reads the server's
// refusals in their saved language, whatever the browser asks; a booking
// refusal keeps DESIGN's first failing rule; PocketBase's own answers (a
// missing record) are translated too.
func TestRefusalsInTheSavedLanguage(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	setLocale(t, app, hookstest.Student, "it")
	english := map[string]string{"Accept-Language": "en-GB,en"}
	student := cast.Tokens[hookstest.Student]

	// a completed lesson cannot be cancelled: the status is a word of its own
	res := hookstest.CallWith(t, srv, http.MethodPost, "/api/bookings/"+cast.IDs["completed_booking"]+"/cancel", student, map[string]any{}, english)
	require.Equal(t, http.StatusBadRequest, res.Status)
	require.Equal(t, "Una lezione completata non può essere annullata.", res.JSON()["message"])
	require.Equal(t, "Una lezione completata non può essere annullata.", fieldMessages(t, res)["status"])

	// misaligned (rule 2) is reported before the tutor's absence (rule 3)
	allDay(t, app, hookstest.Tutor2)
	start, end := romeSlot(3, 10, 10, 60)
	res = hookstest.CallWith(t, srv, http.MethodPost, "/api/collections/bookings/records", student, map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end}, english)
	require.Equal(t, http.StatusBadRequest, res.Status, string(res.Body))
	require.Equal(t, "misaligned", res.JSON()["data"].(map[string]any)["start"].(map[string]any)["code"])
	require.Equal(t, "Le lezioni possono iniziare solo ogni 30 minuti, contando dalla mezzanotte.", res.JSON()["message"])

	res = hookstest.CallWith(t, srv, http.MethodGet, "/api/collections/bookings/records/nope", student, nil, english)
	require.Equal(t, http.StatusNotFound, res.Status)
	require.Equal(t, "Non trovato.", res.JSON()["message"])

	// a visitor reads Accept-Language: English stays English
	res = hookstest.CallWith(t, srv, http.MethodGet, "/api/collections/bookings/records/nope", "", nil, english)
	require.Equal(t, "The requested resource wasn't found.", res.JSON()["message"])
}

// TestSubjectNamesAndReasonsInTheReadersLanguage: a subject's name in
// another language reaches a notification in that language, and a bad
// names object is refused.
func TestSubjectNamesAndReasonsInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	admin := cast.Tokens[hookstest.Admin]
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/subjects/records", admin, map[string]any{
		"name": "Physics", "slug": "physics", "names": map[string]any{"it": "Fisica", "xx": "?"}})
	require.Equal(t, http.StatusBadRequest, res.Status)
	require.Equal(t, "invalid_names", res.JSON()["data"].(map[string]any)["names"].(map[string]any)["code"])
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/subjects/records", admin, map[string]any{
		"name": "Physics", "slug": "physics", "names": map[string]any{"it": "Fisica"}})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	physics := res.JSON()["id"].(string)

	setLocale(t, app, hookstest.Tutor2, "it")
	setLocale(t, app, hookstest.Student, "en")
	allDay(t, app, hookstest.Tutor2)
	start, end := romeSlot(3, 10, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/bookings/records", cast.Tokens[hookstest.Student], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end, "subject": physics})
	require.Equal(t, http.StatusOK, res.Status, string(res.Body))
	requireNotified(t, app, hookstest.Tutor2, "booking_created", 1)
	requireNotified(t, app, hookstest.Student, "booking_created", 1)
	n, err := app.FindFirstRecordByFilter("notifications", "user = {:u} && kind = 'booking_created'", dbx.Params{"u": cast.Users[hookstest.Tutor2]})
	require.NoError(t, err)
	require.Contains(t, n.GetString("app"), "(Fisica)", "the tutor reads the subject in Italian")
	require.NotContains(t, n.GetString("app"), "http", "the app's text has no link")
	s, err := app.FindFirstRecordByFilter("notifications", "user = {:u} && kind = 'booking_created'", dbx.Params{"u": cast.Users[hookstest.Student]})
	require.NoError(t, err)
	require.Contains(t, s.GetString("app"), "(Physics)", "the student reads English")
}

// setLocale saves a cast member's language.
func setLocale(t *testing.T, app core.App, role, locale string) {
	t.Helper()
	u, err := app.FindRecordById("users", cast.Users[role])
	require.NoError(t, err)
	u.Set("locale", locale)
	require.NoError(t, app.Save(u))
}
