package hooks_test

import (
	"strings"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// insightData is the fixed data set of the analytics tests: a tutor of
// their own (Zoe), a subject (Physics) beside the fixture's Mathematics,
// five students, all months before the fixture's lessons (month m0 is five
// months before the clock's, in the school's zone).
type insightData struct {
	m0                  time.Time // the first of the first month, Rome
	mon                 time.Time // the Monday of the utilisation weeks
	tutor, tutorUser    string
	physics, maths      string
	pkg                 string
	a, b, c, d, e       string // students
	bookings            map[string]string
	from, to, weeksFrom string // the period: m0 and the two months after it; the utilisation's two weeks
	weeksTo             string
}

// buildInsightData writes the data set described in docs/insight.md's tests
// section; the expected numbers are worked out there and in each test.
func buildInsightData(t *testing.T, app core.App) *insightData {
	now := cast.Now().In(rome)
	d := &insightData{m0: time.Date(now.Year(), now.Month()-5, 1, 0, 0, 0, 0, rome), bookings: map[string]string{}, maths: cast.IDs["subject"]}
	d.from, d.to = d.m0.Format(time.DateOnly), d.m0.AddDate(0, 2, 0).Format(time.DateOnly)
	at := func(month, day, hh, mm int) time.Time {
		return time.Date(d.m0.Year(), d.m0.Month()+time.Month(month), day, hh, mm, 0, 0, rome)
	}
	sql := func(q string, p dbx.Params) {
		_, err := app.DB().NewQuery(q).Bind(p).Execute()
		require.NoError(t, err)
	}

	zoe, err := hookstest.CreateUser(app, "zoe@test.localhost", "Zoe Zeta", platform.RoleTutor)
	require.NoError(t, err)
	tut, err := app.FindFirstRecordByData("tutors", "user", zoe.Id)
	require.NoError(t, err)
	d.physics = saveImported(t, app, "subjects", map[string]any{"name": "Physics", "slug": "physics"}).Id
	tut.Set("verified", true)
	tut.Set("hourly_rate", 4000)
	tut.Set("subjects", []string{d.physics, d.maths})
	require.NoError(t, app.Save(tut))
	d.tutor, d.tutorUser = tut.Id, zoe.Id
	// 12 hours a week: Monday 09-17, Wednesday 14-18
	saveImported(t, app, "availability", map[string]any{"tutor": d.tutor, "weekday": 1, "start": "09:00", "end": "17:00", "timezone": "Europe/Rome"})
	saveImported(t, app, "availability", map[string]any{"tutor": d.tutor, "weekday": 3, "start": "14:00", "end": "18:00", "timezone": "Europe/Rome"})

	student := func(name string, created time.Time) string {
		u, err := hookstest.CreateUser(app, strings.ToLower(strings.ReplaceAll(name, " ", "."))+"@test.localhost", name, platform.RoleStudent)
		require.NoError(t, err)
		sql("UPDATE users SET created = {:c} WHERE id = {:id}", dbx.Params{"c": platform.DBTime(created), "id": u.Id})
		return u.Id
	}
	d.a = student("Anna Alpha", at(0, 2, 9, 0))
	d.b = student("Bruno Beta", at(0, 2, 10, 0))
	d.c = student("Carla Gamma", at(0, 2, 11, 0))
	d.d = student("Dario Delta", at(1, 10, 9, 0))
	d.e = student("Elena Epsilon", at(-1, 20, 9, 0)) // signed up before the period

	lesson := func(name, who, subject string, start time.Time, minutes int, status string, extra map[string]any) {
		data := map[string]any{"tutor": d.tutor, "student": who, "subject": subject, "start": start, "end": start.Add(time.Duration(minutes) * time.Minute),
			"status": status, "price": 4000, "currency": "EUR"}
		for k, v := range extra {
			data[k] = v
		}
		d.bookings[name] = saveImported(t, app, "bookings", data).Id
	}
	lesson("a1", d.a, d.physics, at(0, 3, 10, 0), 60, "completed", nil)
	lesson("b1", d.b, d.maths, at(0, 4, 10, 0), 90, "completed", nil)
	lesson("b2", d.b, d.maths, at(0, 6, 10, 0), 60, "cancelled", map[string]any{"cancelled_by": d.b})
	lesson("c1", d.c, d.physics, at(0, 10, 10, 0), 60, "cancelled", map[string]any{"cancelled_by": d.tutorUser})
	lesson("e1", d.e, d.physics, at(1, 3, 10, 0), 60, "completed", nil)
	lesson("a2", d.a, d.physics, at(1, 5, 10, 0), 60, "completed", nil)
	lesson("a3", d.a, d.physics, at(1, 7, 10, 0), 60, "cancelled", map[string]any{"cancelled_by": cast.Users[hookstest.Admin]})
	lesson("d1", d.d, d.physics, at(1, 12, 10, 0), 60, "no_show", nil)
	lesson("a4", d.a, d.physics, at(2, 3, 10, 0), 60, "completed", nil)
	lesson("e2", d.e, d.physics, at(2, 8, 10, 0), 60, "completed", nil)
	lesson("d2", d.d, d.physics, at(3, 25, 10, 0), 60, "completed", nil) // Dario skips a month, then comes back

	// reviews: 5 and 4 count, a hidden 1 does not
	for name, r := range map[string][2]any{"a1": {d.a, 5}, "b1": {d.b, 4}, "e1": {d.e, 1}} {
		saveImported(t, app, "reviews", map[string]any{"booking": d.bookings[name], "student": r[0], "tutor": d.tutor, "rating": r[1], "hidden": name == "e1"})
	}
	// reports: a1 two hours after (on time), b1 three days after (late),
	// a2 23 hours after (on time), e1 none (missing)
	report := func(name string, end time.Time, after time.Duration, data map[string]any) {
		data["booking"] = d.bookings[name]
		r := saveImported(t, app, "lesson_reports", data)
		sql("UPDATE lesson_reports SET created = {:c} WHERE id = {:id}", dbx.Params{"c": platform.DBTime(end.Add(after)), "id": r.Id})
	}
	report("a1", at(0, 3, 11, 0), 2*time.Hour, map[string]any{"topics": "Motion", "ratings": map[string]any{d.physics: 2, d.maths: 4},
		"homework": "Ex 1", "homework_done_at": at(0, 5, 9, 0)})
	report("b1", at(0, 4, 11, 30), 72*time.Hour, map[string]any{"topics": "Sums", "ratings": map[string]any{d.maths: 3}})
	report("a2", at(1, 5, 11, 0), 23*time.Hour, map[string]any{"topics": "Forces", "ratings": map[string]any{d.physics: 4}, "homework": "Ex 2"})

	// money: a package of Zoe's (Physics) paid by Anna, 25.00 of it refunded;
	// one Maths lesson paid by Bruno
	d.pkg = saveImported(t, app, "packages", map[string]any{"tutor": d.tutor, "subject": d.physics, "title": "Five physics", "lessons": 5,
		"minutes": 60, "price": 10000, "currency": "EUR", "status": "published", "valid_days": 90}).Id
	sql(`INSERT INTO purchases (id, student, package, tutor, status, amount, currency, credits_total, credits_used) VALUES ('insightpurch001', {:a}, {:p}, {:t}, 'paid', 10000, 'EUR', 0, 0)`,
		dbx.Params{"a": d.a, "p": d.pkg, "t": d.tutor})
	sql(`INSERT INTO payments (id, user, purchase, amount, currency, status, provider, paid_at, refunded_amount) VALUES
		('insightpay00001', {:a}, 'insightpurch001', 10000, 'EUR', 'paid', 'manual', {:at1}, 2500),
		('insightpay00002', {:b}, '', 4000, 'EUR', 'paid', 'manual', {:at2}, 0)`,
		dbx.Params{"a": d.a, "b": d.b, "at1": platform.DBTime(at(0, 2, 12, 0)), "at2": platform.DBTime(at(0, 4, 12, 0))})
	sql(`UPDATE payments SET booking = {:b} WHERE id = 'insightpay00002'`, dbx.Params{"b": d.bookings["b1"]})
	sql(`INSERT INTO refunds (id, payment, amount, status, updated) VALUES ('insightrefund01', 'insightpay00001', 2500, 'succeeded', {:at})`,
		dbx.Params{"at": platform.DBTime(at(1, 1, 12, 0))})

	// visits: 30 + 12 in the period, 100 the day before, 7 the day after
	for day, n := range map[time.Time]int{at(0, 1, 0, 0): 30, at(0, 5, 0, 0): 12, at(0, 0, 0, 0): 100, at(2, 1, 0, 0): 7} {
		path := map[bool]string{true: "/", false: "/tutors/:id"}[n != 12]
		sql("INSERT INTO page_visits (day, path, count) VALUES ({:d}, {:p}, {:n})", dbx.Params{"d": day.Format(time.DateOnly), "p": path, "n": n})
	}

	// utilisation: the two weeks from the first Monday of month 3; week 1 books
	// 1 + 1.5 hours (a cancelled hour not counted) of 12, week 2 two of 8
	// (Wednesday off)
	first := at(3, 1, 0, 0)
	d.mon = first.AddDate(0, 0, (8-int(first.Weekday()))%7)
	d.weeksFrom, d.weeksTo = d.mon.Format(time.DateOnly), d.mon.AddDate(0, 0, 14).Format(time.DateOnly)
	w := func(days, hh, mm int) time.Time {
		return time.Date(d.mon.Year(), d.mon.Month(), d.mon.Day()+days, hh, mm, 0, 0, rome)
	}
	lesson("u1", d.a, d.physics, w(0, 10, 0), 60, "completed", nil)
	lesson("u2", d.e, d.physics, w(0, 11, 0), 90, "confirmed", nil)
	lesson("u3", d.a, d.physics, w(2, 15, 0), 60, "cancelled", map[string]any{"cancelled_by": d.a})
	lesson("u4", d.e, d.physics, w(7, 9, 0), 120, "completed", nil)
	saveImported(t, app, "time_off", map[string]any{"tutor": d.tutor, "start": w(9, 14, 0), "end": w(9, 18, 0), "reason": "Dentist"})
	return d
}
