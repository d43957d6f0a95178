package hooks_test

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/privacy"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// erasedAudits counts the audit entries of a person's erasure.
func erasedAudits(t *testing.T, app core.App, user string) int64 {
	t.Helper()
	return countOf(t, app, "audit_log", dbx.HashExp{"action": "privacy.erased", "record": user})
}

// TestErasureThatFailsChangesNothing: when any write of an erasure fails
// (a lesson to cancel, the account, a report with files, a message, a
// Google sign-in link),
// staff are refused without the internal error and the person's data is
// as it was: the erasure is one transaction. Once the write can be made,
// the erasure goes through.
func TestErasureThatFailsChangesNothing(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	f := injectFaults(app)
	student := cast.Users[hookstest.Student]
	msg := saveMessage(t, app, messagesCollection(t, app), student, cast.Users[hookstest.Tutor], "Call me, Stella")
	link := core.NewExternalAuth(app)
	link.SetCollectionRef(reloaded(t, app, "users", student).Collection().Id)
	link.SetRecordRef(student)
	link.SetProvider("google")
	link.SetProviderId("google-stella-1")
	require.NoError(t, app.Save(link))
	require.NotZero(t, countOf(t, app, "lesson_reports", dbx.HashExp{"student": student}), "a report to delete")
	erase := func() hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/users/"+student+"/erase", cast.Tokens[hookstest.Admin], nil)
	}

	for _, broken := range [][2]string{{"bookings", "update"}, {"users", "update"}, {"lesson_reports", "delete"}, {"messages", "update"}, {"_externalAuths", "delete"}} {
		f.Break(broken[0], broken[1])
		refusedSafely(t, erase())
		f.Mend()
		require.Equal(t, "Stella Student", reloaded(t, app, "users", student).GetString("name"), "%s %s failed: not erased", broken[0], broken[1])
		require.Equal(t, "Call me, Stella", reloaded(t, app, privacy.Messages, msg.Id).GetString("body"))
		require.Zero(t, erasedAudits(t, app, student))
	}
	res := erase()
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, privacy.DeletedName, reloaded(t, app, "users", student).GetString("name"))
	require.EqualValues(t, 1, erasedAudits(t, app, student))
}

// TestErasingATutorWhoseProfileCannotBeWritten: a tutor's erasure fails
// whole when their public profile cannot be emptied: it stays in the
// directory only because the account was not erased either.
func TestErasingATutorWhoseProfileCannotBeWritten(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	f := injectFaults(app)
	f.BreakIf("tutors", "update", func(r *core.Record) bool { return r.GetString("status") == "suspended" })
	tutor := cast.Users[hookstest.Tutor2]
	refusedSafely(t, hookstest.Call(t, srv, http.MethodPost, "/api/users/"+tutor+"/erase", cast.Tokens[hookstest.Admin], nil))
	require.NotEqual(t, privacy.DeletedName, reloaded(t, app, "tutors", cast.Tutors[hookstest.Tutor2]).GetString("name"))
	require.NotEqual(t, privacy.DeletedName, reloaded(t, app, "users", tutor).GetString("name"))
}

// TestErasuresThatFailAreNotLost: the daily job reports a person it could
// not erase (and erases them on a later run), and a superuser's delete of
// a person with history, which erases them, is refused when that fails.
func TestErasuresThatFailAreNotLost(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	f := injectFaults(app)
	svc := hookstest.ServicesOf(app).Privacy
	otto := cast.Users[hookstest.Student2]
	_, err := app.DB().Update("users", dbx.Params{"erase_after": cast.Now().Add(-time.Hour).UTC().Format("2006-01-02 15:04:05.000Z")}, dbx.HashExp{"id": otto}).Execute()
	require.NoError(t, err)
	f.Break("users", "update")
	require.ErrorContains(t, svc.EraseDue(app, cast.Now()), otto)
	require.NotEmpty(t, reloaded(t, app, "users", otto).GetString("erase_after"), "still due")

	student := cast.Users[hookstest.Student]
	refusedSafely(t, hookstest.Call(t, srv, http.MethodDelete, "/api/collections/users/records/"+student, cast.Tokens[hookstest.Superuser], nil))
	require.Equal(t, "Stella Student", reloaded(t, app, "users", student).GetString("name"))

	f.Mend()
	require.NoError(t, svc.EraseDue(app, cast.Now()))
	require.Equal(t, privacy.DeletedName, reloaded(t, app, "users", otto).GetString("name"))
}

// TestDeletionRequestThatCannotBeWritten: a person's deletion request is
// refused, without the internal error, when the request or the signing
// out it comes with cannot be written; nothing is asked and the person
// stays signed in.
func TestDeletionRequestThatCannotBeWritten(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	f := injectFaults(app)
	otto := cast.Users[hookstest.Student2]
	for name, when := range map[string]func(*core.Record) bool{
		"the request":     func(r *core.Record) bool { return r.GetString("erase_after") != r.Original().GetString("erase_after") },
		"the signing out": func(r *core.Record) bool { return r.TokenKey() != r.Original().TokenKey() },
	} {
		f.BreakIf("users", "update", when)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", cast.Tokens[hookstest.Student2], map[string]any{"password": hookstest.Password})
		f.Mend()
		refusedSafely(t, res)
		require.Empty(t, reloaded(t, app, "users", otto).GetString("erase_after"), name)
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", cast.Tokens[hookstest.Student2], nil).Status, "%s: still signed in", name)
	}
}

// TestExportWithAFileMissing: a file lost from storage does not stop an
// export: the rest is there, the lost file is not.
func TestExportWithAFileMissing(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	m := reloaded(t, app, "materials", cast.IDs["material"])
	require.NotEmpty(t, m.GetString("file"))
	require.NoError(t, os.Remove(filepath.Join(app.DataDir(), "storage", m.BaseFilesPath(), m.GetString("file"))))
	res, body := download(t, srv, "/api/me/export", cast.Tokens[hookstest.Tutor])
	require.Equal(t, 200, res.StatusCode)
	files := unzipText(t, body)
	require.Contains(t, files["materials/materials.json"], m.Id)
	require.NotContains(t, files, "materials/"+m.Id+"-"+m.GetString("file"))
	require.Contains(t, files, "README.txt")
}

// TestErasureWhoseStatementsFail: an erasure whose statements fail in the
// database (emptying the name on their lessons, replacing it in what
// others were told) is refused and leaves everything as it was; it goes
// through once the database takes them.
func TestErasureWhoseStatementsFail(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	student := cast.Users[hookstest.Student]
	told := saveRecord(t, app, "notifications", map[string]any{"user": cast.Users[hookstest.Tutor], "kind": "booking_created", "title": "New lesson", "body": "Stella Student booked a lesson"})
	for name, trigger := range map[string]string{
		"her lessons":   "BEFORE UPDATE ON bookings WHEN NEW.student_name = 'Deleted user' AND OLD.student_name != 'Deleted user'",
		"others' words": "BEFORE UPDATE ON notifications WHEN instr(OLD.body, 'Stella Student') > 0 AND instr(NEW.body, 'Stella Student') = 0",
	} {
		_, err := app.DB().NewQuery("CREATE TRIGGER stuck " + trigger + " BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END").Execute()
		require.NoError(t, err)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/users/"+student+"/erase", cast.Tokens[hookstest.Admin], nil)
		_, err = app.DB().NewQuery("DROP TRIGGER stuck").Execute()
		require.NoError(t, err)
		refusedSafely(t, res)
		require.NotContains(t, string(res.Body), "disk I/O", name)
		require.Equal(t, "Stella Student", reloaded(t, app, "users", student).GetString("name"), name)
		require.Equal(t, "Stella Student booked a lesson", reloaded(t, app, "notifications", told.Id).GetString("body"), name)
		require.Zero(t, erasedAudits(t, app, student), name)
	}
	res := hookstest.Call(t, srv, http.MethodPost, "/api/users/"+student+"/erase", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "Deleted user booked a lesson", reloaded(t, app, "notifications", told.Id).GetString("body"))
}

// TestSigningInWhenTheErasureCannotBeCancelled: signing in cancels a
// requested erasure; when the cancel cannot be written the sign-in is
// refused, so nobody is let in believing their account is safe while it
// is still to be erased.
func TestSigningInWhenTheErasureCannotBeCancelled(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	otto := cast.Users[hookstest.Student2]
	res := hookstest.Call(t, srv, http.MethodPost, "/api/me/delete", cast.Tokens[hookstest.Student2], map[string]any{"password": hookstest.Password})
	require.Equal(t, 200, res.Status, string(res.Body))
	_, err := app.DB().NewQuery("CREATE TRIGGER stuck BEFORE UPDATE OF erase_after ON users WHEN NEW.erase_after = '' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END").Execute()
	require.NoError(t, err)
	res = signInPlain(t, srv, cast.Emails[hookstest.Student2])
	refusedSafely(t, res)
	require.NotContains(t, string(res.Body), `"token"`)
	require.NotEmpty(t, reloaded(t, app, "users", otto).GetString("erase_after"))
}
