package hooks_test

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/credits"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// shop is a clone with a published 4-lesson package of Tutor2 and a live
// server.
type shop struct {
	app *tests.TestApp
	srv *httptest.Server
	pkg string
}

func newShop(t *testing.T) *shop {
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/packages/records", cast.Tokens[hookstest.Tutor2], map[string]any{
		"tutor": cast.Tutors[hookstest.Tutor2], "title": "Four lessons", "lessons": 4, "minutes": 60, "price": 20000,
		"discount_percent": 10, "status": "published", "valid_days": 30,
	})
	require.Equal(t, 200, res.Status, string(res.Body))
	return &shop{app: app, srv: srv, pkg: res.JSON()["id"].(string)}
}

// buy checks out the package for role and has an admin mark it paid.
func (s *shop) buy(t *testing.T, role string) *core.Record {
	t.Helper()
	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[role], map[string]any{"package": s.pkg})
	require.Equal(t, 200, res.Status, string(res.Body))
	id := res.JSON()["purchase"].(map[string]any)["id"].(string)
	res = hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/"+id+"/mark-paid", cast.Tokens[hookstest.Admin], map[string]any{"method": "cash", "reference": "R1"})
	require.Equal(t, 200, res.Status, string(res.Body))
	p, err := s.app.FindRecordById("purchases", id)
	require.NoError(t, err)
	return p
}

func (s *shop) book(t *testing.T, role, purchase string, days, hour int) hookstest.Response {
	t.Helper()
	start, end := romeSlot(days, hour, 0, 60)
	return hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[role],
		map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end, "purchase": purchase})
}

// ledger lists a purchase's ledger as "kind delta balance" lines.
func ledger(t *testing.T, app core.App, purchase string) []string {
	t.Helper()
	// in the order written: two lines can share a millisecond of created
	var rows []*core.Record
	err := app.RecordQuery("credit_ledger").AndWhere(dbx.HashExp{"purchase": purchase}).OrderBy("created", "rowid").All(&rows)
	require.NoError(t, err)
	var out []string
	for _, r := range rows {
		out = append(out, r.GetString("kind")+" "+itoaSigned(r.GetInt("delta"))+" "+itoaSigned(r.GetInt("balance_after")))
	}
	return out
}

func itoaSigned(n int) string {
	if n < 0 {
		return "-" + itoaSigned(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoaSigned(n/10) + string(rune('0'+n%10))
}

func TestPackagesAndCheckout(t *testing.T) {
	t.Parallel()
	s := newShop(t)
	pkg, err := s.app.FindRecordById("packages", s.pkg)
	require.NoError(t, err)
	require.Equal(t, 18000, pkg.GetInt("effective_price"), "20000 less 10 %")
	require.Equal(t, "EUR", pkg.GetString("currency"))

	res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
	require.Equal(t, 200, res.Status, string(res.Body))
	out := res.JSON()
	p := out["purchase"].(map[string]any)
	require.Equal(t, "pending", p["status"])
	require.EqualValues(t, 18000, p["amount"])
	require.EqualValues(t, 0, p["credits_total"], "nothing to spend before it is paid")
	require.Contains(t, out["instructions"], "bank transfer")

	t.Run("the terms are frozen at checkout", func(t *testing.T) {
		res := hookstest.Call(t, s.srv, http.MethodPatch, "/api/collections/packages/records/"+s.pkg, cast.Tokens[hookstest.Tutor2], map[string]any{"price": 99900, "lessons": 10})
		require.Equal(t, 200, res.Status, string(res.Body))
		r, err := s.app.FindRecordById("purchases", p["id"].(string))
		require.NoError(t, err)
		require.Equal(t, 4, r.GetInt("lessons"))
		require.Equal(t, 18000, r.GetInt("amount"))
	})

	t.Run("mark paid: staff only, once, with a method", func(t *testing.T) {
		id := p["id"].(string)
		url := "/api/purchases/" + id + "/mark-paid"
		require.Equal(t, 403, hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Student], map[string]any{"method": "cash"}).Status)
		bad := hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Admin], map[string]any{"method": "bitcoin"})
		require.Equal(t, 400, bad.Status)
		require.Contains(t, string(bad.Body), `"method":{"code":"validation_invalid_value"`)
		ok := hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Admin], map[string]any{"method": "transfer", "reference": "IBAN ref 42"})
		require.Equal(t, 200, ok.Status, string(ok.Body))
		r, err := s.app.FindRecordById("purchases", id)
		require.NoError(t, err)
		require.Equal(t, "paid", r.GetString("status"))
		require.Equal(t, 4, r.GetInt("credits_total"))
		require.WithinDuration(t, cast.Now().Add(30*24*time.Hour), r.GetDateTime("expires_at").Time(), time.Minute)
		require.Equal(t, []string{"bought 4 4"}, ledger(t, s.app, id))
		again := hookstest.Call(t, s.srv, http.MethodPost, url, cast.Tokens[hookstest.Admin], map[string]any{"method": "cash"})
		require.Equal(t, 400, again.Status)
		require.Contains(t, string(again.Body), `"status":{"code":"bad_state"`)
		requireNotified(t, s.app, hookstest.Student, "payment_received", 2) // the fixture has one
		requireAudit(t, s.app, "purchases.mark_paid", cast.Users[hookstest.Admin], id)
	})

	t.Run("package rules", func(t *testing.T) {
		for _, c := range []struct {
			name string
			body map[string]any
			want string
		}{
			{"a discount over 90 %", map[string]any{"discount_percent": 95}, `"discount_percent":{"code":"validation_max_number_constraint"`},
			{"zero lessons", map[string]any{"lessons": 0}, `"lessons":{"code":"validation_required"`},
			{"a negative price", map[string]any{"price": -100}, `"price":{"code":"validation_min_number_constraint"`},
			{"an absurd price", map[string]any{"price": 1e12}, `"price":{"code":"validation_max_number_constraint"`},
			{"a length the tutor does not teach", map[string]any{"minutes": 50}, `"minutes":{"code":"bad_length"`},
			{"back to draft", map[string]any{"status": "draft"}, `"status":{"code":"bad_state"`},
			{"a made-up effective price", map[string]any{"effective_price": 1}, `"effective_price":{"code":"server_owned"`},
		} {
			res := hookstest.Call(t, s.srv, http.MethodPatch, "/api/collections/packages/records/"+s.pkg, cast.Tokens[hookstest.Tutor2], c.body)
			require.Equal(t, 400, res.Status, c.name)
			require.Contains(t, string(res.Body), c.want, c.name)
		}
		archived := hookstest.Call(t, s.srv, http.MethodPatch, "/api/collections/packages/records/"+s.pkg, cast.Tokens[hookstest.Tutor2], map[string]any{"status": "archived"})
		require.Equal(t, 200, archived.Status)
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student2], map[string]any{"package": s.pkg})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"package":{"code":"unavailable"`)
		// the buyer still sees the archived package; others do not
		require.Equal(t, 200, hookstest.Call(t, s.srv, http.MethodGet, "/api/collections/packages/records/"+s.pkg, cast.Tokens[hookstest.Student], nil).Status)
		require.Equal(t, 404, hookstest.Call(t, s.srv, http.MethodGet, "/api/collections/packages/records/"+s.pkg, cast.Tokens[hookstest.Student2], nil).Status)
		require.Equal(t, 404, hookstest.Call(t, s.srv, http.MethodGet, "/api/collections/packages/records/"+s.pkg, "", nil).Status)
		require.Equal(t, 200, hookstest.Call(t, s.srv, http.MethodPatch, "/api/collections/packages/records/"+s.pkg, cast.Tokens[hookstest.Tutor2], map[string]any{"status": "published"}).Status)
	})

	t.Run("an unverified tutor cannot sell", func(t *testing.T) {
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/collections/packages/records", cast.Tokens[hookstest.TutorPending], map[string]any{
			"tutor": cast.Tutors[hookstest.TutorPending], "title": "Nope", "lessons": 4, "minutes": 60, "price": 100, "status": "draft", "valid_days": 30,
		})
		require.Equal(t, 400, res.Status)
	})
}

func TestCredits(t *testing.T) {
	t.Parallel()
	t.Run("booking with a credit, cancelling in time, late, by the tutor, rescheduling, expiry", func(t *testing.T) {
		s := newShop(t)
		p := s.buy(t, hookstest.Student)

		res := s.book(t, hookstest.Student, p.Id, 3, 9)
		require.Equal(t, 200, res.Status, string(res.Body))
		b1 := res.JSON()
		require.Equal(t, "credit", b1["payment_status"])
		require.EqualValues(t, 4500, b1["price"], "a lesson is worth 18000 / 4")

		res = s.book(t, hookstest.Student, p.Id, 4, 9)
		require.Equal(t, 200, res.Status, string(res.Body))
		b2 := res.JSON()["id"].(string)
		res = s.book(t, hookstest.Student, p.Id, 5, 9)
		require.Equal(t, 200, res.Status, string(res.Body))
		b3 := res.JSON()["id"].(string)

		// cancel in time: the credit comes back
		require.Equal(t, 200, hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+b1["id"].(string)+"/cancel", cast.Tokens[hookstest.Student], nil).Status)
		// the tutor cancels: the credit comes back
		require.Equal(t, 200, hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+b2+"/cancel", cast.Tokens[hookstest.Tutor2], nil).Status)
		// a reschedule carries the credit
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+b3+"/reschedule", cast.Tokens[hookstest.Student],
			map[string]any{"start": mustRome(6, 9, 0), "end": mustRome(6, 10, 0)})
		require.Equal(t, 200, res.Status, string(res.Body))
		moved := res.JSON()
		require.Equal(t, p.Id, moved["purchase"])
		require.Equal(t, "credit", moved["payment_status"])

		require.Equal(t, []string{
			"bought 4 4", "spent -1 3", "spent -1 2", "spent -1 1", "returned 1 2", "returned 1 3", "moved 0 3",
		}, ledger(t, s.app, p.Id))

		// a late cancel (inside 24 h) forfeits the credit
		allDay(t, s.app, hookstest.Tutor2)
		setTutor(hookstest.Tutor2, map[string]any{"min_notice_minutes": 0})(t, s.app, nil)
		start, end := soon(3*time.Hour), soon(4*time.Hour)
		res = hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end, "purchase": p.Id})
		require.Equal(t, 200, res.Status, string(res.Body))
		late := hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+res.JSON()["id"].(string)+"/cancel", cast.Tokens[hookstest.Student], nil)
		require.Equal(t, 200, late.Status)
		require.Contains(t, string(late.Body), `"late_cancel":true`)
		lines := ledger(t, s.app, p.Id)
		require.Equal(t, []string{"spent -1 2", "forfeited 0 2"}, lines[len(lines)-2:])

		// the expiry job ends the package and its last credit
		require.NoError(t, credits.Expire(s.app, cast.Now().Add(31*24*time.Hour)))
		lines = ledger(t, s.app, p.Id)
		require.Equal(t, "expired -2 0", lines[len(lines)-1])
		r, err := s.app.FindRecordById("purchases", p.Id)
		require.NoError(t, err)
		require.Equal(t, "expired", r.GetString("status"))
		res = s.book(t, hookstest.Student, p.Id, 8, 9)
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"purchase":{"code":"no_credit"`)
	})

	t.Run("a credit that cannot pay is refused and nothing is written", func(t *testing.T) {
		s := newShop(t)
		mine := s.buy(t, hookstest.Student)
		res := hookstest.Call(t, s.srv, http.MethodPost, "/api/purchases/checkout", cast.Tokens[hookstest.Student], map[string]any{"package": s.pkg})
		unpaid := res.JSON()["purchase"].(map[string]any)["id"].(string)
		other := cast.IDs["purchase"] // the fixture's: Tutor's package

		before := countWhere(t, s.app, "bookings", nil)
		for _, c := range []struct {
			name, role, purchase string
			days, minutes        int
		}{
			{"someone else's purchase", hookstest.Student2, mine.Id, 3, 60},
			{"an unpaid purchase", hookstest.Student, unpaid, 3, 60},
			{"a purchase for another tutor", hookstest.Student, other, 3, 60},
			{"a lesson of another length", hookstest.Student, mine.Id, 3, 90},
			{"an unknown purchase", hookstest.Student, "nosuchpurchase1", 3, 60},
		} {
			start, end := romeSlot(c.days, 10, 0, c.minutes)
			res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[c.role],
				map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end, "purchase": c.purchase})
			require.Equal(t, 400, res.Status, c.name+": "+string(res.Body))
			require.Contains(t, string(res.Body), `"purchase":{"code":"no_credit"`, c.name)
		}
		require.Equal(t, before, countWhere(t, s.app, "bookings", nil))
		require.Equal(t, []string{"bought 4 4"}, ledger(t, s.app, mine.Id))
	})

	t.Run("two bookings racing for the last credit: one wins", func(t *testing.T) {
		for round := 0; round < 5; round++ {
			s := newShop(t)
			p := s.buy(t, hookstest.Student)
			for i := range 3 { // one credit left
				require.Equal(t, 200, s.book(t, hookstest.Student, p.Id, 6, 9+2*i).Status)
			}
			var wg sync.WaitGroup
			statuses := make([]int, 10)
			for i := range statuses {
				wg.Add(1)
				go func() {
					defer wg.Done()
					statuses[i] = s.book(t, hookstest.Student, p.Id, 3+i/5, 9+2*(i%5)).Status
				}()
			}
			wg.Wait()
			won := 0
			for _, st := range statuses {
				require.Contains(t, []int{200, 400}, st)
				if st == 200 {
					won++
				}
			}
			require.Equal(t, 1, won, "round %d: %v", round, statuses)
			r, err := s.app.FindRecordById("purchases", p.Id)
			require.NoError(t, err)
			require.Equal(t, 4, r.GetInt("credits_used"))
			require.EqualValues(t, 4, countWhere(t, s.app, "credit_ledger", dbx.HashExp{"purchase": p.Id, "kind": "spent"}), "three lessons and the winner")
		}
	})

	t.Run("a rescheduled credit lesson keeps the package's length", func(t *testing.T) {
		s := newShop(t)
		p := s.buy(t, hookstest.Student)
		res := s.book(t, hookstest.Student, p.Id, 5, 10)
		require.Equal(t, 200, res.Status, string(res.Body))
		id := res.JSON()["id"].(string)
		for _, minutes := range []int{120, 30} {
			start, end := romeSlot(6, 10, 0, minutes)
			res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/reschedule", cast.Tokens[hookstest.Student],
				map[string]any{"start": start, "end": end})
			require.Equal(t, 400, res.Status, string(res.Body))
			require.Contains(t, string(res.Body), `"purchase":{"code":"no_credit"`)
		}
		requireBooking(t, s.app, id, map[string]any{"status": "confirmed"})
		require.Equal(t, []string{"bought 4 4", "spent -1 3"}, ledger(t, s.app, p.Id), "nothing moved")
		start, end := romeSlot(6, 10, 0, 60)
		res = hookstest.Call(t, s.srv, http.MethodPost, "/api/bookings/"+id+"/reschedule", cast.Tokens[hookstest.Student],
			map[string]any{"start": start, "end": end})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, []string{"bought 4 4", "spent -1 3", "moved 0 3"}, ledger(t, s.app, p.Id))
	})

	t.Run("pay per lesson: priced from the hourly rate, unpaid", func(t *testing.T) {
		s := newShop(t)
		start, end := romeSlot(3, 10, 0, 90)
		res := hookstest.Call(t, s.srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.EqualValues(t, 6000, res.JSON()["price"], "€40/h for 90 minutes")
		require.Equal(t, "unpaid", res.JSON()["payment_status"])
	})
}
