package jobs_test

import (
	"context"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/jobs"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/stretchr/testify/require"
)

// save stores a record as an import would (past times allowed).
func save(t *testing.T, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCachedCollectionByNameOrId(collection)
	require.NoError(t, err)
	r := core.NewRecord(col)
	r.Load(data)
	require.NoError(t, app.SaveWithContext(platform.Imported(context.Background()), r))
	return r
}

func setSchool(t *testing.T, app core.App, fields map[string]any) {
	t.Helper()
	s, err := app.FindRecordById("school", migrations.SchoolId)
	require.NoError(t, err)
	for k, v := range fields {
		s.Set(k, v)
	}
	require.NoError(t, app.Save(s))
}

// purchase is a pending package purchase of the student with its pending
// payment; paidAt, when set, settles it as the desk would at that time.
func purchase(t *testing.T, app core.App, student string, paidAt time.Time) (*core.Record, *core.Record) {
	t.Helper()
	pkg := save(t, app, "packages", map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "title": "Five lessons", "lessons": 5,
		"minutes": 60, "price": 20000, "currency": "EUR", "status": "published", "valid_days": 30})
	p := save(t, app, "purchases", map[string]any{"student": cast.Users[student], "package": pkg.Id, "tutor": cast.Tutors[hookstest.Tutor],
		"lessons": 5, "minutes": 60, "list_price": 20000, "amount": 20000, "currency": "EUR", "status": "pending", "provider": "manual"})
	var pay *core.Record
	require.NoError(t, app.RunInTransaction(func(tx core.App) error {
		var err error
		if pay, err = payments.PendingPayment(tx, p); err != nil || paidAt.IsZero() {
			return err
		}
		return hookstest.ServicesOf(tx).Payments.RecordPayment(tx, pay, payments.Paid{Provider: "manual", Method: "cash", At: paidAt})
	}))
	return reload(t, app, "purchases", p.Id), reload(t, app, "payments", pay.Id)
}

func reload(t *testing.T, app core.App, collection, id string) *core.Record {
	t.Helper()
	r, err := app.FindRecordById(collection, id)
	require.NoError(t, err)
	return r
}

func notes(t *testing.T, app core.App, user, kind string) []*core.Record {
	t.Helper()
	list, err := app.FindAllRecords("notifications", dbx.HashExp{"user": user, "kind": kind})
	require.NoError(t, err)
	return list
}

// A student hears once, a week ahead, that a package with lessons left
// runs out; not of one that has weeks to go, nor of one refunded.
func TestPackageExpiring(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := cast.Now().UTC()
	expiring, _ := purchase(t, app, hookstest.Student, now.Add(-25*24*time.Hour)) // 30 valid days: 5 left
	purchase(t, app, hookstest.Student, now.Add(-5*24*time.Hour))                 // 25 days left
	refunded, pay := purchase(t, app, hookstest.Student2, now.Add(-26*24*time.Hour))
	_, err := hookstest.ServicesOf(app).Payments.RequestRefund(app, pay, payments.RefundRequest{Amount: 20000, Credits: 5})
	require.NoError(t, err)
	require.Equal(t, "refunded", reload(t, app, "purchases", refunded.Id).GetString("status"))

	s := hookstest.ServicesOf(app)
	require.NoError(t, jobs.PackageExpiring(s, app, now))
	got := notes(t, app, cast.Users[hookstest.Student], "package_expiring")
	require.Len(t, got, 1)
	var data map[string]any
	require.NoError(t, got[0].UnmarshalJSONField("data", &data))
	require.Equal(t, expiring.Id, data["purchase"])
	require.Contains(t, got[0].GetString("body"), "5", "the lessons left are named")
	require.Empty(t, notes(t, app, cast.Users[hookstest.Student2], "package_expiring"), "refunded: nothing left to lose")

	require.NoError(t, jobs.PackageExpiring(s, app, now.Add(24*time.Hour)), "the next day's run")
	require.Len(t, notes(t, app, cast.Users[hookstest.Student], "package_expiring"), 1, "told once")
}

// A purchase left unpaid for a week is cancelled with its pending payment;
// a younger one and a paid one are left alone.
func TestExpireUnpaid(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := cast.Now().UTC()
	stale, stalePay := purchase(t, app, hookstest.Student, time.Time{})
	stale.SetRaw("created", types.NowDateTime().Add(-8*24*time.Hour))
	require.NoError(t, app.Save(stale))
	fresh, freshPay := purchase(t, app, hookstest.Student, time.Time{})
	paid, _ := purchase(t, app, hookstest.Student2, now.Add(-8*24*time.Hour))
	paid.SetRaw("created", types.NowDateTime().Add(-9*24*time.Hour))
	require.NoError(t, app.Save(paid))

	require.NoError(t, jobs.ExpireUnpaid(hookstest.ServicesOf(app), app, now))
	require.Equal(t, "cancelled", reload(t, app, "purchases", stale.Id).GetString("status"))
	require.Equal(t, "failed", reload(t, app, "payments", stalePay.Id).GetString("status"))
	require.Equal(t, "pending", reload(t, app, "purchases", fresh.Id).GetString("status"), "a week has not passed")
	require.Equal(t, "pending", reload(t, app, "payments", freshPay.Id).GetString("status"))
	require.Equal(t, "paid", reload(t, app, "purchases", paid.Id).GetString("status"))

	require.NoError(t, jobs.ExpireUnpaid(hookstest.ServicesOf(app), app, now.Add(8*24*time.Hour)), "a week on")
	require.Equal(t, "cancelled", reload(t, app, "purchases", fresh.Id).GetString("status"))
}

// The daily payout job pays the last complete week once: a lesson of that
// week is in one payout, however often the job runs.
func TestPayLastWeek(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := cast.Now().UTC()
	monday := func(t time.Time) time.Time {
		rome, _ := time.LoadLocation("Europe/Rome")
		l := t.In(rome)
		return time.Date(l.Year(), l.Month(), l.Day()-(int(l.Weekday())+6)%7, 0, 0, 0, 0, rome)
	}
	lastWeek := monday(now).AddDate(0, 0, -7)
	lesson := save(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "student": cast.Users[hookstest.Student],
		"start": lastWeek.Add(34 * time.Hour), "end": lastWeek.Add(35 * time.Hour), "status": "completed",
		"price": 4000, "currency": "EUR", "payment_status": "paid"})
	older := save(t, app, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "student": cast.Users[hookstest.Student],
		"start": lastWeek.Add(-48 * time.Hour), "end": lastWeek.Add(-47 * time.Hour), "status": "completed",
		"price": 4000, "currency": "EUR", "payment_status": "paid"})

	s := hookstest.ServicesOf(app)
	require.NoError(t, jobs.PayLastWeek(s, app, now))
	require.NoError(t, jobs.PayLastWeek(s, app, now.Add(24*time.Hour)), "the next day's run changes nothing")
	list, err := app.FindAllRecords("payouts", dbx.HashExp{"tutor": cast.Tutors[hookstest.Tutor], "period_start": platform.DBTime(lastWeek)})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Equal(t, platform.DBTime(lastWeek.AddDate(0, 0, 7)), list[0].GetDateTime("period_end").String())
	require.Equal(t, 1, list[0].GetInt("lessons"))
	require.Equal(t, 4000, list[0].GetInt("gross"))
	require.Equal(t, list[0].Id, reload(t, app, "bookings", lesson.Id).GetString("payout"))
	require.Empty(t, reload(t, app, "bookings", older.Id).GetString("payout"), "the week before is not this run's")
}

// Quiet, unlocked sign-in failure counts are forgotten after 30 days; a
// recent one and a lock still running are kept.
func TestCleanupLoginAttempts(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := cast.Now().UTC()
	attempt := func(identity string, last, lockedUntil time.Time) *core.Record {
		data := map[string]any{"identity": identity, "failures": 3, "level": 1, "last_failure": last}
		if !lockedUntil.IsZero() {
			data["locked_until"] = lockedUntil
		}
		return save(t, app, "login_attempts", data)
	}
	quiet := attempt("quiet@test.localhost", now.Add(-31*24*time.Hour), time.Time{})
	lockExpired := attempt("was-locked@test.localhost", now.Add(-40*24*time.Hour), now.Add(-39*24*time.Hour))
	recent := attempt("recent@test.localhost", now.Add(-29*24*time.Hour), time.Time{})
	locked := attempt("locked@test.localhost", now.Add(-31*24*time.Hour), now.Add(time.Hour))

	require.NoError(t, jobs.CleanupLoginAttempts(app, now))
	left := map[string]bool{}
	rows, err := app.FindAllRecords("login_attempts")
	require.NoError(t, err)
	for _, r := range rows {
		left[r.Id] = true
	}
	require.False(t, left[quiet.Id])
	require.False(t, left[lockExpired.Id])
	require.True(t, left[recent.Id], "quiet for less than 30 days")
	require.True(t, left[locked.Id], "still locked")
}

// A school that keeps notifications forever (retention_days 0) loses none
// to the retention job.
func TestRetentionOff(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	setSchool(t, app, map[string]any{"retention_days": 0})
	save(t, app, "notifications", map[string]any{"user": cast.Users[hookstest.Student], "kind": "payment_received", "title": "Paid"})
	before, err := app.CountRecords("notifications")
	require.NoError(t, err)
	require.NoError(t, jobs.Retention(app, cast.Now().Add(10*365*24*time.Hour)))
	after, err := app.CountRecords("notifications")
	require.NoError(t, err)
	require.NotZero(t, before)
	require.Equal(t, before, after)
}

// With pending_expiry_hours 0 a request waits for the tutor until its
// start; a request paid in advance that expires is refunded.
func TestExpirePendingWithoutAgeLimitRefundsAPaidRequest(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	setSchool(t, app, map[string]any{"pending_expiry_hours": 0})
	now := cast.Now().UTC().Truncate(time.Minute)
	s := hookstest.ServicesOf(app)
	waiting := book(t, app, now.Add(10*24*time.Hour), "pending")
	paid := bookFor(t, app, hookstest.Tutor2, hookstest.Student2, now.Add(2*time.Hour), "pending")
	paid.Set("price", 4000)
	paid.Set("currency", "EUR")
	require.NoError(t, app.Save(paid))
	var pay *core.Record
	require.NoError(t, app.RunInTransaction(func(tx core.App) error {
		b, err := tx.FindRecordById("bookings", paid.Id)
		if err != nil {
			return err
		}
		if pay, err = payments.PendingPayment(tx, b); err != nil {
			return err
		}
		return s.Payments.RecordPayment(tx, pay, payments.Paid{Provider: "manual", Method: "cash", At: now})
	}))

	require.NoError(t, jobs.ExpirePending(s, app, now.Add(9*24*time.Hour)))
	require.Equal(t, "pending", status(t, app, waiting.Id), "no age limit: nine days on it still waits")
	b := reload(t, app, "bookings", paid.Id)
	require.Equal(t, "cancelled", b.GetString("status"), "its start has come")
	require.Equal(t, "expired", b.GetString("cancel_reason"))
	require.Equal(t, "refunded", b.GetString("payment_status"))
	p := reload(t, app, "payments", pay.Id)
	require.Equal(t, "refunded", p.GetString("status"))
	require.Equal(t, 4000, p.GetInt("refunded_amount"))

	require.NoError(t, jobs.ExpirePending(s, app, now.Add(10*24*time.Hour)))
	require.Equal(t, "cancelled", status(t, app, waiting.Id), "at its start it expires")
}

// The notifications job writes what a booking change owed when the
// process stopped before telling anyone, once, and only after a minute.
func TestWriteOwedNotifications(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	s := hookstest.ServicesOf(app)
	var b *core.Record
	require.NoError(t, app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		b = core.NewRecord(col)
		start := cast.Now().Add(72 * time.Hour).Truncate(time.Hour)
		b.Load(map[string]any{"tutor": cast.Tutors[hookstest.Tutor], "student": cast.Users[hookstest.Student],
			"start": start, "end": start.Add(time.Hour), "status": "pending"})
		if err := tx.SaveWithContext(platform.Imported(context.Background()), b); err != nil {
			return err
		}
		_, err = s.Booking.RecordChange(tx, b, nil, "booking_created", cast.Users[hookstest.Student])
		return err // committed; nobody writes the notes: the process "stopped"
	}))
	told := func() int64 {
		n, err := app.CountRecords("notifications", dbx.NewExp("user = {:u} AND json_extract(data, '$.booking') = {:b}",
			dbx.Params{"u": cast.Users[hookstest.Tutor], "b": b.Id}))
		require.NoError(t, err)
		return n
	}
	now := time.Now().UTC() // the outbox row carries the wall clock
	require.NoError(t, jobs.WriteOwedNotifications(s, app, now))
	require.Zero(t, told(), "a change under a minute old may still be written by its request")
	require.NoError(t, jobs.WriteOwedNotifications(s, app, now.Add(2*time.Minute)))
	require.EqualValues(t, 1, told())
	require.NoError(t, jobs.WriteOwedNotifications(s, app, now.Add(3*time.Minute)))
	require.EqualValues(t, 1, told(), "once")
}

// A lesson still unpaid at its pay_by is cancelled as "unpaid" by the same
// job, and its slot freed; a paid one is kept.
func TestExpirePendingCancelsOverdueUnpaidLessons(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	now := cast.Now().UTC().Truncate(time.Minute)
	payBy := now.Add(24 * time.Hour)
	unpaid := book(t, app, now.Add(72*time.Hour), "confirmed")
	kept := bookFor(t, app, hookstest.Tutor2, hookstest.Student2, now.Add(72*time.Hour), "confirmed")
	for _, b := range []*core.Record{unpaid, kept} {
		b.Set("price", 4000)
		b.Set("payment_status", "unpaid")
		b.Set("pay_by", payBy)
		require.NoError(t, app.Save(b))
	}
	kept.Set("payment_status", "paid")
	require.NoError(t, app.Save(kept))

	s := hookstest.ServicesOf(app)
	require.NoError(t, jobs.ExpirePending(s, app, payBy.Add(-time.Minute)))
	require.Equal(t, "confirmed", status(t, app, unpaid.Id), "before pay_by it stands")
	require.NoError(t, jobs.ExpirePending(s, app, payBy))
	b := reload(t, app, "bookings", unpaid.Id)
	require.Equal(t, "cancelled", b.GetString("status"))
	require.Equal(t, "unpaid", b.GetString("cancel_reason"))
	require.Equal(t, "confirmed", status(t, app, kept.Id))
	require.NotEmpty(t, notes(t, app, cast.Users[hookstest.Student], "booking_cancelled"), "the student is told")
}

// Every job runs through the cron with the app's clock and is counted; a
// schedule that is not a cron expression is refused when it is added.
func TestScheduledJobsRunWithTheAppsClock(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	s := hookstest.ServicesOf(app)
	_, _ = purchase(t, app, hookstest.Student, cast.Now().Add(-25*24*time.Hour))
	require.NoError(t, jobs.Register(app, s))
	for _, j := range app.Cron().Jobs() {
		if j.Id() == "tutorbase_package_expiring" {
			j.Run()
		}
	}
	require.EqualValues(t, 1, s.Ops.Jobs.Of("tutorbase_package_expiring").Runs.Load())
	require.Zero(t, s.Ops.Jobs.Of("tutorbase_package_expiring").Failures.Load())
	require.Len(t, notes(t, app, cast.Users[hookstest.Student], "package_expiring"), 1)

	err := jobs.Schedule(app, cast.Now, s.Ops.Jobs, jobs.Job{ID: "test_bad", Schedule: "every monday", Run: jobs.Retention})
	require.ErrorContains(t, err, "failed to schedule test_bad")
}

// The unpaid-purchase job skips a purchase paid after it read its list:
// the cancel's compare-and-set answers bad_state, which IsStale tells
// apart from a failure.
func TestExpireUnpaidSkipsAPurchasePaidMeanwhile(t *testing.T) {
	app := cast.Clone(t)
	defer app.Cleanup()
	col, err := app.FindCachedCollectionByNameOrId("purchases")
	require.NoError(t, err)
	p := core.NewRecord(col)
	p.Load(map[string]any{"student": cast.Users[hookstest.Student], "amount": 1000, "currency": "EUR", "status": "paid", "provider": "manual"})
	require.NoError(t, app.SaveNoValidate(p)) // paid: no package needed to tell
	err = hookstest.ServicesOf(app).Payments.CancelUnpaidPurchase(app, p)
	require.Error(t, err)
	require.True(t, platform.IsStale(err), "%v", err)
}
