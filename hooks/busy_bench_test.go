package hooks_test

import (
	"fmt"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The busy-time benchmarks measure what imported calendars cost the slot
// engine: a school of busyBenchTutors tutors, each available every day
// 08:00-20:00 and with busyBenchEvents busy intervals from a calendar feed
// over the next 90 days (DESIGN.md's scale: 200 tutors, 500 imported events
// each). The target is DESIGN.md's slots p95 ≤ 20 ms.
//
//	go test ./hooks/ -run '^$' -bench 'Busy' -benchtime 300x

const (
	busyBenchTutors = 200
	busyBenchEvents = 500
)

var (
	busyBenchOnce sync.Once
	busyBench     benchWorld
)

func busyWorld(b *testing.B) *benchWorld {
	b.Helper()
	busyBenchOnce.Do(func() {
		start := time.Now()
		busyBench.err = busyBench.build(filepath.Join(cast.Dir, "bench_busy"), 2, seedBusyBench)
		b.Logf("seeded %d tutors with %d busy intervals each in %v", busyBenchTutors, busyBenchEvents, time.Since(start).Round(time.Millisecond))
	})
	if busyBench.err != nil {
		b.Fatal(busyBench.err)
	}
	return &busyBench
}

// seedBusyBench writes the tutors, their week, one feed each and its busy
// intervals (30 to 120 minutes, 500 over 90 days) with raw inserts.
func seedBusyBench(tx core.App, day time.Time) error {
	insert := func(table string, row dbx.Params) error {
		_, err := tx.DB().Insert(table, row).Execute()
		return err
	}
	stamp := benchTime(time.Now())
	for i := range busyBenchTutors {
		id, uid := benchId("tt", i), benchId("ut", i)
		err := insert("users", dbx.Params{"id": uid, "email": uid + "@bench.localhost", "tokenKey": "tk" + uid, "verified": true,
			"password": "x", "name": "Tutor " + uid, "role": platform.RoleTutor, "timezone": "Europe/Rome", "created": stamp, "updated": stamp})
		if err == nil {
			err = insert("tutors", dbx.Params{"id": id, "user": uid, "name": "Tutor " + uid, "timezone": "Europe/Rome", "verified": true,
				"status": "active", "lesson_minutes": "[30,60,90]", "min_notice_minutes": 120, "max_advance_days": 90,
				"subjects": "[]", "languages": `["en"]`, "hourly_rate": 3000, "currency": "EUR", "created": stamp, "updated": stamp})
		}
		for wd := 1; wd <= 7 && err == nil; wd++ {
			err = insert("availability", dbx.Params{"id": benchId("av", i*10+wd), "tutor": id, "tutor_user": uid, "weekday": wd,
				"start": "08:00", "end": "20:00", "timezone": "Europe/Rome", "created": stamp, "updated": stamp})
		}
		if err == nil {
			err = insert("calendar_feeds", dbx.Params{"id": benchId("cf", i), "tutor": id, "tutor_user": uid, "name": "Personal",
				"url": "https://calendar.example.org/" + uid + ".ics", "status": "ok", "version": 1, "events": busyBenchEvents,
				"next_attempt": benchTime(day.AddDate(1, 0, 0)), "created": stamp, "updated": stamp})
		}
		for k := 0; k < busyBenchEvents && err == nil; k++ {
			// 500 over 90 days: one every 4h19m, shifted per tutor, 30-120 minutes long
			start := day.Add(time.Duration(k)*259*time.Minute + time.Duration(i*17%240)*time.Minute)
			err = insert("busy_times", dbx.Params{"id": benchId("bt", i*busyBenchEvents+k), "feed": benchId("cf", i), "tutor": id,
				"tutor_user": uid, "start": benchTime(start), "end": benchTime(start.Add(time.Duration(30+(i+k)%4*30) * time.Minute))})
		}
		if err != nil {
			return fmt.Errorf("tutor %d: %w", i, err)
		}
	}
	return nil
}

// BenchmarkBusySlots: one tutor's free hours over a week, 1 to 60 days
// ahead, through the router (as the slots phase of make bench asks).
func BenchmarkBusySlots(b *testing.B) {
	day := busyWorld(b).day
	benchRouteOn(b, busyWorld(b).handler, slotPaths(benchQueries("", 60, func(i int) url.Values {
		from := day.AddDate(0, 0, i%60)
		return url.Values{"from": {from.UTC().Format(time.RFC3339)}, "to": {from.AddDate(0, 0, 7).UTC().Format(time.RFC3339)}, "minutes": {"60"}}
	})).withTutors(busyBenchTutors))
}

// BenchmarkBusyCalendars: the bulk load of every tutor's calendar for a
// week (availability.LoadCalendars with bookings), the work of a free-time
// search over the whole school.
func BenchmarkBusyCalendars(b *testing.B) {
	w := busyWorld(b)
	school, err := platform.LoadSchool(w.app)
	if err != nil {
		b.Fatal(err)
	}
	var rows []availability.SchedRow
	err = w.app.DB().NewQuery("SELECT " + availability.SchedColumns + " FROM tutors t").All(&rows)
	if err != nil || len(rows) != busyBenchTutors {
		b.Fatalf("tutors: %d, %v", len(rows), err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.Id
	}
	cpu := processCPU()
	b.ResetTimer()
	for i := range b.N {
		from := w.day.AddDate(0, 0, i%60)
		cals, err := availability.LoadCalendars(w.app, school, rows, from, from.AddDate(0, 0, 7))
		if err == nil {
			err = availability.AddBookings(w.app, cals, ids, from, from.AddDate(0, 0, 7))
		}
		if err != nil || len(cals[rows[0].Id].TimeOff) < 30 {
			b.Fatalf("calendars: %v (%d busy intervals)", err, len(cals[rows[0].Id].TimeOff))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// BenchmarkBusySearchFree: the free-time search over every tutor for a
// week.
func BenchmarkBusySearchFree(b *testing.B) {
	day := busyWorld(b).day
	benchRouteOn(b, busyWorld(b).handler, benchQueries("/api/search/tutors", 14, func(i int) url.Values {
		from := day.AddDate(0, 0, i%14)
		return url.Values{"free_from": {from.Format(time.RFC3339)}, "free_to": {from.AddDate(0, 0, 7).Format(time.RFC3339)}}
	}))
}

// slotPaths are queries of the slots route, to be spread over tutors.
type slotPaths []string

// withTutors turns "?query" strings into slots paths, the i-th for tutor
// i mod n.
func (p slotPaths) withTutors(n int) []string {
	out := make([]string, len(p))
	for i, q := range p {
		out[i] = "/api/tutors/" + benchId("tt", (i*37)%n) + "/slots" + q
	}
	return out
}
