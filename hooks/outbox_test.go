package hooks_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
)

// TestNoteOutbox: a booking change owes its notifications in its own
// transaction; they are written once, after a crash too, and never for a
// change that rolled back.
func TestNoteOutbox(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	t.Cleanup(app.Cleanup)
	hookstest.NoRateLimits(app)
	tutorUser := cast.Users[hookstest.Tutor2]
	owed := func() int {
		var n int
		require.NoError(t, app.DB().Select("count(*)").From(migrations.NoteOutbox).Row(&n))
		return n
	}
	told := func(booking string) int {
		n, err := app.CountRecords("notifications", dbx.NewExp("user = {:u} AND json_extract(data, '$.booking') = {:b}",
			dbx.Params{"u": tutorUser, "b": booking}))
		require.NoError(t, err)
		return int(n)
	}
	// a booking committed with its outbox row, as a process that died
	// before its writer ran leaves it
	committed := func(hour int) (*core.Record, *booking.BookingEvent) {
		start, end := romeSlot(4, hour, 0, 60)
		var b *core.Record
		var ev *booking.BookingEvent
		require.NoError(t, app.RunInTransaction(func(tx core.App) error {
			b = saveImported(t, tx, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": cast.Users[hookstest.Student],
				"start": start, "end": end, "status": "pending"})
			var err error
			ev, err = hookstest.ServicesOf(tx).Booking.RecordChange(tx, b, nil, booking.EventBookingCreated, cast.Users[hookstest.Student])
			return err
		}))
		return b, ev
	}

	t.Run("a booked lesson: told once, nothing left owed", func(t *testing.T) {
		srv := hookstest.Serve(t, app)
		allDay(t, app, hookstest.Tutor2)
		start, end := romeSlot(3, 10, 0, 60)
		res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student],
			map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
		require.Equal(t, 200, res.Status, string(res.Body))
		id := res.JSON()["id"].(string)
		require.Eventually(t, func() bool { return told(id) == 1 }, 5*time.Second, 10*time.Millisecond)
		require.Equal(t, 0, owed())
	})

	t.Run("after a crash, the job writes what was owed, once", func(t *testing.T) {
		b, _ := committed(9)
		require.Equal(t, 1, owed())
		// the job, run now, replays rows over a minute old: this one may still be queued
		require.NoError(t, hookstest.ServicesOf(app).Booking.ReplayNoteOutbox(app, time.Now().Add(-time.Minute)))
		require.Equal(t, 0, told(b.Id))
		require.NoError(t, hookstest.ServicesOf(app).Booking.ReplayNoteOutbox(app, time.Now().Add(2*time.Minute)))
		require.Equal(t, 1, told(b.Id))
		require.Equal(t, 0, owed())
		require.NoError(t, hookstest.ServicesOf(app).Booking.ReplayNoteOutbox(app, time.Now().Add(2*time.Minute)))
		require.Equal(t, 1, told(b.Id))
	})

	t.Run("a change of a booking since deleted is dropped", func(t *testing.T) {
		b, _ := committed(17)
		require.NoError(t, app.Delete(b))
		require.NoError(t, hookstest.ServicesOf(app).Booking.ReplayNoteOutbox(app, time.Now().Add(2*time.Minute)))
		require.Equal(t, 0, owed())
	})

	t.Run("an event written twice is told once", func(t *testing.T) {
		b, ev := committed(11)
		hookstest.ServicesOf(app).Booking.WriteChanges(app, ev)
		hookstest.ServicesOf(app).Booking.WriteChanges(app, ev, ev)
		require.Equal(t, 1, told(b.Id))
		require.Equal(t, 0, owed())
	})

	t.Run("a change that rolls back owes nothing", func(t *testing.T) {
		start, end := romeSlot(4, 13, 0, 60)
		var b *core.Record
		var ev *booking.BookingEvent
		rollback := errors.New("rollback")
		err := app.RunInTransaction(func(tx core.App) error {
			b = saveImported(t, tx, "bookings", map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "student": cast.Users[hookstest.Student],
				"start": start, "end": end, "status": "pending"})
			var err error
			if ev, err = hookstest.ServicesOf(tx).Booking.RecordChange(tx, b, nil, booking.EventBookingCreated, cast.Users[hookstest.Student]); err != nil {
				return err
			}
			return rollback
		})
		require.ErrorIs(t, err, rollback)
		require.Equal(t, 0, owed())
		hookstest.ServicesOf(app).Booking.WriteChanges(app, ev)
		require.Equal(t, 0, told(b.Id))
	})
}
