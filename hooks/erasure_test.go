package hooks_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/privacy"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/stretchr/testify/require"
)

const (
	stellaPhone    = "+393331234567"
	stellaGuardian = "Giulia Guardiani"
)

// scanFor lists every place of db (every text column of every table but
// skip) that mentions one of needles.
func scanFor(t *testing.T, db dbx.Builder, needles []string, skip ...string) []string {
	t.Helper()
	var tables []string
	require.NoError(t, db.NewQuery("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Column(&tables))
	var found []string
	for _, table := range tables {
		if strings.HasSuffix(table, "_fts") || containsString(skip, table) {
			continue
		}
		var cols []struct {
			Name string `db:"name"`
		}
		require.NoError(t, db.NewQuery("SELECT name FROM pragma_table_info({:t})").Bind(dbx.Params{"t": table}).All(&cols))
		for _, c := range cols {
			for _, n := range needles {
				var hits int
				q := fmt.Sprintf("SELECT count(*) FROM [[%s]] WHERE instr(lower(CAST([[%s]] AS TEXT)), lower({:n})) > 0", table, c.Name)
				require.NoError(t, db.NewQuery(q).Bind(dbx.Params{"n": n}).Row(&hits))
				if hits > 0 {
					found = append(found, fmt.Sprintf("%s.%s holds %q (%d rows)", table, c.Name, n, hits))
				}
			}
		}
	}
	return found
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// payLesson: the student checks a lesson out, the desk takes cash.
func payLesson(t *testing.T, srv *httptest.Server, booking string) {
	t.Helper()
	res := hookstest.Call(t, srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"booking": booking})
	require.Equal(t, 200, res.Status, string(res.Body))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+booking+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, 200, res.Status, string(res.Body))
}

// stella is what the erasure test gives the cast's student to erase.
type stella struct {
	invoice        *core.Record
	mine, theirs   *core.Record // messages she wrote and got
	homework       string       // the path of the file she uploaded
	paymentsBefore int64
}

// stellaWithHistory gives the cast's student a phone, a guardian, a paid
// package with its invoice, a paid future lesson, homework she uploaded,
// messages both ways and a server log line with her email.
func stellaWithHistory(t *testing.T, app core.App, srv *httptest.Server) stella {
	t.Helper()
	student, email := cast.Users[hookstest.Student], cast.Emails[hookstest.Student]
	_, err := app.DB().Update("users", dbx.Params{"phone": stellaPhone, "phone_verified": true}, dbx.HashExp{"id": student}).Execute()
	require.NoError(t, err)
	_, err = app.DB().Update("students", dbx.Params{"guardian_name": stellaGuardian, "guardian_email": "giulia@example.org", "goals": "Pass the exam"}, dbx.HashExp{"user": student}).Execute()
	require.NoError(t, err)

	// money: the package paid at the desk (an invoice), and the future lesson paid
	res := hookstest.Call(t, srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": cast.IDs["package"]})
	require.Equal(t, 200, res.Status, string(res.Body))
	purchase := res.JSON()["purchase"].(map[string]any)["id"].(string)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/purchases/"+purchase+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, 200, res.Status, string(res.Body))
	payLesson(t, srv, cast.IDs["booking"])
	invoices, err := app.FindAllRecords("invoices", dbx.HashExp{"user": student})
	require.NoError(t, err)
	require.NotEmpty(t, invoices)
	require.Contains(t, invoices[0].GetString("buyer"), "Stella Student")

	// homework she uploaded to a lesson report
	report, err := app.FindRecordById("lesson_reports", cast.IDs["lesson_report"])
	require.NoError(t, err)
	hw, err := filesystem.NewFileFromBytes([]byte("my homework, Stella Student"), "homework.txt")
	require.NoError(t, err)
	report.Set("homework_file", hw)
	require.NoError(t, app.SaveNoValidate(report))
	homework := filepath.Join(app.DataDir(), "storage", report.BaseFilesPath(), report.GetString("homework_file"))
	require.FileExists(t, homework)

	// messages both ways, and the tutor's words naming her
	msgs := messagesCollection(t, app)
	mine := saveMessage(t, app, msgs, student, cast.Users[hookstest.Tutor], "Sono Stella Student, chiamami al "+stellaPhone)
	theirs := saveMessage(t, app, msgs, cast.Users[hookstest.Tutor], student, "Ciao Stella Student, a lunedì")

	// a server log line with her email, as a failed request would leave
	_, err = app.AuxDB().Insert("_logs", dbx.Params{"id": "logstella000001", "level": 0, "message": "GET /api/collections/users/records?filter=email='" + email + "'",
		"data": `{"auth":"` + email + `"}`, "created": time.Now().UTC().Format("2006-01-02 15:04:05.000Z")}).Execute()
	require.NoError(t, err)

	paysBefore, err := app.CountRecords("payments", dbx.HashExp{"user": student})
	require.NoError(t, err)
	return stella{invoice: invoices[0], mine: mine, theirs: theirs, homework: homework, paymentsBefore: paysBefore}
}

func TestErasureEndToEnd(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	student, email := cast.Users[hookstest.Student], cast.Emails[hookstest.Student]
	her := stellaWithHistory(t, app, srv)
	needles := []string{"Stella Student", email, stellaPhone, stellaGuardian, "giulia@example.org"}
	require.NotEmpty(t, scanFor(t, app.DB(), needles, "invoices"), "the scan finds her before")

	res := hookstest.Call(t, srv, http.MethodPost, "/api/users/"+student+"/erase", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, res.JSON()["cancelled"], cast.IDs["booking"])

	// nothing personal remains, but in the invoices the law keeps
	require.Empty(t, scanFor(t, app.DB(), needles, "invoices"), "data.db")
	require.Empty(t, scanFor(t, app.AuxDB(), needles), "auxiliary.db")

	// the future lesson: cancelled as a tutor cancels, refunded in full
	b, err := app.FindRecordById("bookings", cast.IDs["booking"])
	require.NoError(t, err)
	require.Equal(t, "cancelled", b.GetString("status"))
	require.Equal(t, "account_closed", b.GetString("cancel_reason"))
	refunds, err := app.FindAllRecords("refunds", dbx.HashExp{"booking": b.Id})
	require.NoError(t, err)
	require.Len(t, refunds, 1)
	require.EqualValues(t, b.GetInt("price"), refunds[0].GetInt("amount"))
	n, err := app.CountRecords("notifications", dbx.HashExp{"user": cast.Users[hookstest.Tutor], "kind": "booking_cancelled"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "the tutor is told")

	// invoices stay with her original billing data, for staff only
	inv := hookstest.Call(t, srv, http.MethodGet, "/api/collections/invoices/records/"+her.invoice.Id, cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, inv.Status)
	require.Contains(t, string(inv.Body), "Stella Student")
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/me/sessions", cast.Tokens[hookstest.Student], nil).Status, "her sessions are over")
	signIn := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/auth-with-password", "", map[string]any{"identity": email, "password": hookstest.Password})
	require.Equal(t, 400, signIn.Status, "nobody signs in as her")

	// the account stays as a placeholder; her words and files are gone
	u, err := app.FindRecordById("users", student)
	require.NoError(t, err)
	require.Equal(t, privacy.DeletedName, u.GetString("name"))
	require.True(t, strings.HasSuffix(u.Email(), "@"+privacy.ErasedDomain))
	m, err := app.FindRecordById(privacy.Messages, her.mine.Id)
	require.NoError(t, err)
	require.Empty(t, m.GetString("body"))
	m, err = app.FindRecordById(privacy.Messages, her.theirs.Id)
	require.NoError(t, err)
	require.Equal(t, "Ciao Deleted user, a lunedì", m.GetString("body"), "the tutor's message stays, without her name")
	_, err = os.Stat(her.homework)
	require.True(t, os.IsNotExist(err), "her uploaded homework is deleted")
	pays, err := app.CountRecords("payments", dbx.HashExp{"user": student})
	require.NoError(t, err)
	require.Equal(t, her.paymentsBefore, pays, "payments are kept")

	// audited without personal data (the scan above covers the entry)
	n, err = app.CountRecords("audit_log", dbx.HashExp{"action": "privacy.erased", "record": student})
	require.NoError(t, err)
	require.EqualValues(t, 1, n)
}

// TestErasureAtOnceIsOneErasure: staff erasing the same person from eight
// tabs at once cancel and refund once, audit once.
func TestErasureAtOnceIsOneErasure(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	payLesson(t, srv, cast.IDs["booking"])
	rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/users/"+cast.Users[hookstest.Student]+"/erase", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(rs))
	for _, table := range []struct {
		name string
		exp  dbx.Expression
	}{
		{"audit_log", dbx.HashExp{"action": "privacy.erased"}},
		{"refunds", dbx.HashExp{"booking": cast.IDs["booking"]}},
	} {
		n, err := app.CountRecords(table.name, table.exp)
		require.NoError(t, err)
		require.EqualValues(t, 1, n, table.name)
	}
}

func TestEraseRoutePerRole(t *testing.T) {
	t.Parallel()
	_, srv := privacyApp(t)
	target := "/api/users/" + cast.Users[hookstest.Student2] + "/erase"
	for _, c := range []struct {
		role string
		want int
	}{
		{hookstest.Visitor, 401}, {hookstest.Student, 403}, {hookstest.Student2, 403}, {hookstest.Tutor, 403}, {hookstest.Tutor2, 403},
	} {
		res := hookstest.Call(t, srv, http.MethodPost, target, cast.Tokens[c.role], nil)
		require.Equal(t, c.want, res.Status, c.role)
	}
	res := hookstest.Call(t, srv, http.MethodPost, "/api/users/"+cast.Users[hookstest.Admin]+"/erase", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 400, res.Status, "staff do not erase themselves")
	require.Contains(t, string(res.Body), "chiedi a un altro amministratore")
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodPost, "/api/users/nosuchuser00000/erase", cast.Tokens[hookstest.Admin], nil).Status)
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, target, cast.Tokens[hookstest.Superuser], nil).Status)
}

// TestDeletingAPersonWithHistoryErasesThem: a superuser's delete of a
// student with lessons and payments is an erasure (the history stays),
// not a 400; a person without history is deleted outright.
func TestDeletingAPersonWithHistoryErasesThem(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	student := cast.Users[hookstest.Student]
	res := hookstest.Call(t, srv, http.MethodDelete, "/api/collections/users/records/"+student, cast.Tokens[hookstest.Superuser], nil)
	require.Equal(t, 204, res.Status, string(res.Body))
	u, err := app.FindRecordById("users", student)
	require.NoError(t, err, "kept as a placeholder for the history")
	require.Equal(t, privacy.DeletedName, u.GetString("name"))
	n, err := app.CountRecords("bookings", dbx.HashExp{"student": student})
	require.NoError(t, err)
	require.NotZero(t, n)

	fresh, err := hookstest.CreateUser(app, "nobody@test.localhost", "Nora Nobody", "student")
	require.NoError(t, err)
	res = hookstest.Call(t, srv, http.MethodDelete, "/api/collections/users/records/"+fresh.Id, cast.Tokens[hookstest.Superuser], nil)
	require.Equal(t, 204, res.Status, string(res.Body))
	_, err = app.FindRecordById("users", fresh.Id)
	require.Error(t, err, "deleted outright")
}

// TestErasingATutor: a tutor's future lessons are cancelled (the student
// told and refunded), the profile leaves the directory without its
// words, and the files they uploaded are deleted.
func TestErasingATutor(t *testing.T) {
	t.Parallel()
	app, srv := privacyApp(t)
	tutor := cast.Users[hookstest.Tutor]
	payLesson(t, srv, cast.IDs["booking"])
	res := hookstest.Call(t, srv, http.MethodPost, "/api/users/"+tutor+"/erase", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Contains(t, res.JSON()["cancelled"], cast.IDs["booking"])
	profile, err := app.FindRecordById("tutors", cast.Tutors[hookstest.Tutor])
	require.NoError(t, err)
	require.Equal(t, privacy.DeletedName, profile.GetString("name"))
	require.Equal(t, "suspended", profile.GetString("status"))
	require.Empty(t, profile.GetString("bio"))
	_, err = app.FindRecordById("materials", cast.IDs["material"])
	require.Error(t, err, "their uploads are deleted")
	n, err := app.CountRecords("notifications", dbx.HashExp{"user": cast.Users[hookstest.Student], "kind": "booking_cancelled"})
	require.NoError(t, err)
	require.EqualValues(t, 1, n, "the student is told")
	require.Empty(t, scanFor(t, app.DB(), []string{"Tina Tutor", cast.Emails[hookstest.Tutor]}, "invoices"))
}
