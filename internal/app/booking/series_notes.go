package booking

import (
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"
)

// seriesLessons lists the lessons booked with b's weekly series (b among
// them), in order, for the one booking_created notification a series
// gives: each party reads every date at once rather than one message per
// week. Fewer than two (the others cancelled since) is no list.
func seriesLessons(app core.App, b *core.Record) []notify.Event {
	var rows []struct {
		Start string `db:"start"`
		End   string `db:"end"`
	}
	err := app.DB().Select("start", "end").From("bookings").
		Where(dbx.HashExp{"series": b.GetString("series")}).
		AndWhere(dbx.NotIn("status", platform.StatusCancelled)).
		OrderBy("start").All(&rows)
	if err != nil {
		app.Logger().Error("failed to list a series' lessons", "series", b.GetString("series"), "error", err)
		return nil
	}
	if len(rows) < 2 {
		return nil
	}
	out := make([]notify.Event, 0, len(rows))
	for _, r := range rows {
		start, err1 := platform.ParseInstant(r.Start)
		end, err2 := platform.ParseInstant(r.End)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, notify.Event{Start: start, End: end, TutorName: b.GetString("tutor_name"), StudentName: b.GetString("student_name")})
	}
	return out
}
