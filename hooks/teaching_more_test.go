package hooks_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// postFiles posts a multipart form with the named file parts.
func postFiles(t *testing.T, srv, path, token string, files ...string) hookstest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	require.NoError(t, w.WriteField("note", "done"))
	for _, name := range files {
		f, err := w.CreateFormFile("file", name)
		require.NoError(t, err)
		_, err = f.Write([]byte("my homework"))
		require.NoError(t, err)
	}
	require.NoError(t, w.Close())
	return postRaw(t, srv+path, token, w.FormDataContentType(), &body)
}

// TestHomeworkDoneForms: a lesson without homework has nothing to mark
// done; two files are refused (one, or none); a form without a file
// marks it done without one.
func TestHomeworkDoneForms(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	student := cast.Tokens[hookstest.Student]
	id := cast.IDs["lesson_report"]

	refused(t, postFiles(t, srv.URL, homeworkDoneURL(id), student, "a.pdf", "b.pdf"), 400, "file", "bad_file")
	require.True(t, reloaded(t, app, "lesson_reports", id).GetDateTime("homework_done_at").IsZero(), "nothing marked")
	res := postFiles(t, srv.URL, homeworkDoneURL(id), student)
	require.Equal(t, 200, res.Status, string(res.Body))
	got := reloaded(t, app, "lesson_reports", id)
	require.False(t, got.GetDateTime("homework_done_at").IsZero())
	require.Empty(t, got.GetString("homework_file"))

	r := reloaded(t, app, "lesson_reports", id)
	r.Set("homework", "")
	r.Set("due", "")
	r.Set("homework_done_at", "")
	require.NoError(t, app.Save(r))
	refused(t, hookstest.Call(t, srv, http.MethodPost, homeworkDoneURL(id), student, nil), 400, "homework", "no_homework")
}

// TestReportRatesAtMostTenSubjects: a report rating more subjects than
// the limit is refused, and nothing is written.
func TestReportRatesAtMostTenSubjects(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	ratings := map[string]any{}
	for i := range 11 {
		ratings[fmt.Sprintf("subject%07d", i)] = 3
	}
	before := countOf(t, app, "lesson_reports")
	res := hookstest.Call(t, srv, http.MethodPost, reportsURL, cast.Tokens[hookstest.Tutor], map[string]any{"booking": cast.IDs["unreviewed_booking"], "ratings": ratings})
	refused(t, res, 400, "ratings", "bad_rating")
	require.Contains(t, string(res.Body), "10")
	require.Equal(t, before, countOf(t, app, "lesson_reports"))
}

// TestReportRatingsMustBeAnObject: ratings sent as a list (not an object
// of subjects) are refused, and nothing is written.
func TestReportRatingsMustBeAnObject(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	before := countOf(t, app, "lesson_reports")
	res := hookstest.Call(t, srv, http.MethodPost, reportsURL, cast.Tokens[hookstest.Tutor],
		map[string]any{"booking": cast.IDs["unreviewed_booking"], "ratings": []int{4, 5}})
	refused(t, res, 400, "ratings", "bad_rating")
	require.Contains(t, string(res.Body), "oggetto", "the tutor reads Italian: give ratings as an object")
	require.Equal(t, before, countOf(t, app, "lesson_reports"))
}

// TestAgendaOfAnUnknownTutor: staff asking for the agenda of a tutor who
// does not exist get an empty agenda, not an error.
func TestAgendaOfAnUnknownTutor(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	from := cast.Now().Add(-72 * time.Hour)
	q := "/api/agenda?from=" + url.QueryEscape(from.Format(time.RFC3339)) +
		"&to=" + url.QueryEscape(from.Add(6*24*time.Hour).Format(time.RFC3339)) + "&tutor=nosuchtutor0000"
	res := hookstest.Call(t, srv, http.MethodGet, q, cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	for _, list := range []string{"lessons", "time_off", "available", "busy"} {
		require.Contains(t, res.JSON(), list)
		require.Empty(t, res.JSON()[list], list)
	}
}
