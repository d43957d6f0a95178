package hooks_test

import (
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/stretchr/testify/require"
)

// TestFamilyBilling: a guardian pays a child's lesson and buys a family
// package; the payments and invoices record the guardian as payer (the
// invoice is made out to them) and the child as student; the package's
// credits serve any of the guardian's students, each lesson a line of
// that child's ledger; another family sees none of it.
func TestFamilyBilling(t *testing.T) {
	t.Parallel()
	app, srv, gina := family(t)
	defer app.Cleanup()
	admin := cast.Tokens[hookstest.Admin]
	stella := cast.Users[hookstest.Student]
	res := hookstest.Call(t, srv, http.MethodPost, "/api/guardians/children", gina.token, map[string]any{"name": "Leo Guardian"})
	require.Equal(t, 200, res.Status, string(res.Body))
	leo := res.JSON()["id"].(string)

	// a lesson paid on its own: booked for Leo, paid by Gina
	s, e := romeSlot(3, 10, 0, 60)
	res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, gina.token, map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": s, "end": e, "student": leo})
	require.Equal(t, 200, res.Status, string(res.Body))
	lesson := res.JSON()["id"].(string)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student2], map[string]any{"booking": lesson})
	require.Equal(t, 400, res.Status, "not their lesson")
	// the guardian's own invoice details (a guardian has no student profile)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/collections/billing_details/records", gina.token, map[string]any{
		"user": gina.id, "billing_fiscal_code": "gnrgna80a41h501x", "billing_city": "Roma"})
	require.Equal(t, 200, res.Status, string(res.Body))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/purchases/checkout", gina.token, map[string]any{"booking": lesson})
	require.Equal(t, 200, res.Status, string(res.Body))
	pay := res.JSON()["payment"].(map[string]any)
	require.Equal(t, gina.id, pay["payer"])
	require.Equal(t, gina.id, pay["user"])
	require.Equal(t, leo, pay["student"])
	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+lesson+"/mark-paid", admin, map[string]any{"method": "cash"})
	require.Equal(t, 200, res.Status, string(res.Body))
	inv, err := app.FindFirstRecordByData("invoices", "payment", pay["id"].(string))
	require.NoError(t, err)
	require.Equal(t, gina.id, inv.GetString("payer"))
	require.Equal(t, leo, inv.GetString("student"))
	require.Contains(t, inv.GetString("buyer"), "Gina Guardian", "made out to the payer")
	require.Contains(t, inv.GetString("buyer"), "GNRGNA80A41H501X", "with the payer's own tax code")
	require.Equal(t, 200, hookstest.Call(t, srv, http.MethodGet, "/api/collections/invoices/records/"+inv.Id, gina.token, nil).Status)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, "/api/collections/invoices/records/"+inv.Id, cast.Tokens[hookstest.Student2], nil).Status)
	require.Equal(t, 404, hookstest.Call(t, srv, http.MethodGet, "/api/collections/payments/records/"+pay["id"].(string), cast.Tokens[hookstest.Student2], nil).Status)

	// a family package: Gina's credits, for Leo and for Stella
	res = hookstest.Call(t, srv, http.MethodPost, "/api/purchases/checkout", gina.token, map[string]any{"package": cast.IDs["package"], "family": true})
	require.Equal(t, 200, res.Status, string(res.Body))
	purchase := res.JSON()["purchase"].(map[string]any)
	require.Equal(t, gina.id, purchase["student"], "the family's package is held by the guardian")
	require.Equal(t, gina.id, purchase["payer"])
	res = hookstest.Call(t, srv, http.MethodPost, "/api/purchases/"+purchase["id"].(string)+"/mark-paid", admin, map[string]any{"method": "transfer"})
	require.Equal(t, 200, res.Status, string(res.Body))

	fixtureTutor := cast.Tutors[hookstest.Tutor] // the package's tutor teaches Mondays 09:00-17:00 in Rome
	monday := nextMondayInRome(t)
	at := func(hour int) (string, string) {
		s := time.Date(monday.Year(), monday.Month(), monday.Day(), hour, 0, 0, 0, monday.Location())
		return s.UTC().Format(time.RFC3339), s.Add(time.Hour).UTC().Format(time.RFC3339)
	}
	for i, kid := range []string{leo, stella} {
		s, e := at(10 + i)
		res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, gina.token, map[string]any{"tutor": fixtureTutor, "start": s, "end": e, "student": kid, "purchase": purchase["id"]})
		require.Equal(t, 200, res.Status, string(res.Body))
		line, err := app.FindFirstRecordByData("credit_ledger", "booking", res.JSON()["id"].(string))
		require.NoError(t, err)
		require.Equal(t, kid, line.GetString("student"), "the ledger line is the child's")
	}
	s, e = at(13)
	res = hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student2], map[string]any{"tutor": fixtureTutor, "start": s, "end": e, "purchase": purchase["id"]})
	require.Equal(t, 400, res.Status, "another family's student cannot use it")
	require.Contains(t, string(res.Body), "no_credit")
	res = hookstest.Call(t, srv, http.MethodGet, "/api/collections/credit_ledger/records?filter=student%3D%27"+leo+"%27", gina.token, nil)
	require.Equal(t, 200, res.Status)
	require.EqualValues(t, 1, res.JSON()["totalItems"], "Leo's ledger, read by his guardian")
	require.Equal(t, 0, listCount(t, srv, "purchases", cast.Tokens[hookstest.Student2]))
}
