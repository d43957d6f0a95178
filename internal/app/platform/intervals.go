package platform

import (
	"fmt"
	"time"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// MaxTime is later than any stored date.
var MaxTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// LocalDate reads the date part of a stored date field as a date in loc:
// availability's valid_from and valid_until are calendar dates.
func LocalDate(stored string, loc *time.Location) time.Time {
	d, err := types.ParseDateTime(stored)
	if err != nil || d.IsZero() {
		return time.Time{}
	}
	y, m, day := d.Time().UTC().Date()
	return time.Date(y, m, day, 0, 0, 0, 0, loc)
}

type intervalRow struct {
	Id    string `db:"id"`
	Start string `db:"start"`
	End   string `db:"end"`
}

// LoadIntervals reads [start, end) of the rows of table matching where
// ({:id} bound to id) that overlap [from, to). No row lasts longer than
// longest, which bounds the index range from below.
func LoadIntervals(app core.App, table, where, id string, from, to time.Time, longest time.Duration) ([]schedule.Interval, error) {
	var rows []intervalRow
	err := app.DB().Select("id", "start", "end").From(table).
		Where(dbx.NewExp(where+` AND start > {:floor} AND start < {:to} AND "end" > {:from}`,
			dbx.Params{"id": id, "floor": DBTime(from.Add(-longest)), "from": DBTime(from), "to": DBTime(to)})).
		All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to load %s: %w", table, err)
	}
	out := make([]schedule.Interval, 0, len(rows))
	for _, r := range rows {
		iv, err := ParseInterval(r.Start, r.End)
		if err != nil {
			return nil, fmt.Errorf("%s %s: %w", table, r.Id, err)
		}
		out = append(out, iv)
	}
	return out, nil
}

// ParseInterval reads a stored [start, end) pair.
func ParseInterval(start, end string) (schedule.Interval, error) {
	s, err := time.Parse(types.DefaultDateLayout, start)
	if err != nil {
		return schedule.Interval{}, err
	}
	e, err := time.Parse(types.DefaultDateLayout, end)
	if err != nil {
		return schedule.Interval{}, err
	}
	return schedule.Interval{Start: s, End: e}, nil
}

// DBTime formats an instant the way PocketBase stores dates, so SQL string
// comparison is chronological.
func DBTime(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }
