package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// busyFromDay and busyToDay bound the seeded busy times (issue 21: the
// tutors' own calendars read as busy time): from a week back, as the feeds
// keep them, to futureDays ahead, over every week the slots phases ask
// about (1 to 57 days ahead) and clear of the create phases' days
// (createFromDay on), so that no booking of theirs is refused for one.
const (
	busyFromDay = -7
	busyToDay   = futureDays
)

// busyHow says how seedBusyTimes filled the data dir, for the report.
func busyHow(n int) string {
	if n <= 0 {
		return "no busy times"
	}
	return fmt.Sprintf("%d busy times per tutor from one calendar feed each, %d to %d days from now, via SQL", n, busyFromDay, busyToDay)
}

// seedBusyTimes gives every tutor one calendar feed, as if read a moment
// ago, and o.busy busy intervals from it (30 to 120 minutes each, spread
// over [busyFromDay, busyToDay] days around now), written with SQL as
// internal/app/busy stores them.
func seedBusyTimes(tx core.App, o options, fx *fixture) error {
	if o.busy <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(o.seed, 21))
	date := func(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }
	now := date(fx.Now)
	span := time.Duration(busyToDay-busyFromDay) * 24 * time.Hour
	step := span / time.Duration(o.busy)
	for i, t := range fx.Tutors {
		feed := recordId(rng)
		_, err := tx.DB().Insert("calendar_feeds", dbx.Params{
			"id": feed, "tutor": t.ID, "tutor_user": t.UserID, "name": "Personal",
			"url": fmt.Sprintf("https://calendar.example.org/ical/tutor-%d/private-%s/basic.ics", i, feed), "status": "ok",
			"version": 2, "events": o.busy, "checked_at": now, "synced_at": now, "expanded_at": now,
			"next_attempt": date(fx.Now.AddDate(1, 0, 0)), "created": now, "updated": now,
		}).Execute()
		if err != nil {
			return fmt.Errorf("calendar feed: %w", err)
		}
		first := fx.Now.AddDate(0, 0, busyFromDay).Truncate(time.Hour)
		for k := range o.busy {
			// one interval in each step of the span, at a random offset in
			// it, never overlapping the next
			length := time.Duration(30+30*rng.IntN(4)) * time.Minute
			start := first.Add(time.Duration(k)*step + time.Duration(rng.Int64N(int64(step-length)))).Truncate(5 * time.Minute)
			_, err := tx.DB().Insert("busy_times", dbx.Params{
				"id": recordId(rng), "feed": feed, "tutor": t.ID, "tutor_user": t.UserID,
				"start": date(start), "end": date(start.Add(length)),
			}).Execute()
			if err != nil {
				return fmt.Errorf("busy time: %w", err)
			}
		}
	}
	return nil
}
