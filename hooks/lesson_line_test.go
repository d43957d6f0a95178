package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestLessonLineInStudentZone: a lesson's payment and invoice line give
// its time in the student's zone, named, not in UTC.
func TestLessonLineInStudentZone(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	u, err := s.app.FindRecordById("users", cast.Users[hookstest.Student])
	require.NoError(t, err)
	u.Set("timezone", "America/Los_Angeles")
	require.NoError(t, s.app.Save(u))

	start, end := romeSlot(3, 15, 30, 60)
	res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 200, res.Status, string(res.Body))
	id := res.JSON()["id"].(string)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"booking": id})
	require.Equal(t, 200, res.Status, string(res.Body))

	la, err := time.LoadLocation("America/Los_Angeles")
	require.NoError(t, err)
	at, err := time.Parse(time.RFC3339, start)
	require.NoError(t, err)
	want := "Lesson with Theo Tutor on " + at.In(la).Format("2006-01-02 15:04") + " (America/Los_Angeles)"
	require.Equal(t, want, res.JSON()["payment"].(map[string]any)["description"])

	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
	require.Equal(t, 200, res.Status, string(res.Body))
	pay, err := s.app.FindFirstRecordByData("payments", "booking", id)
	require.NoError(t, err)
	inv, err := s.app.FindRecordById("invoices", pay.GetString("invoice"))
	require.NoError(t, err)
	var lines []struct{ Description string }
	require.NoError(t, json.Unmarshal([]byte(inv.GetString("lines")), &lines))
	require.Len(t, lines, 1)
	require.Equal(t, want, lines[0].Description, "the invoice line says the same")
}
