package main

import (
	"fmt"

	"tutorbase/hooks"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/config"
	"tutorbase/migrations"

	"github.com/pocketbase/pocketbase/core"
)

// seedTutorbase migrates an empty data dir and fills it in-process, with
// Tutorbase's own hooks bound (hooks.Register), as `seed` commands do:
// users, tutor profiles and availability through app.Save (the hooks make
// the profiles and check the windows); bookings with SQL (insertBookings),
// 20 to 50 times faster than app.SaveWithContext(platform.Imported(ctx), ...)
// and checked by the same overlap triggers.
func seedTutorbase(dir string, o options, bookings int) (*fixture, seedInfo, error) {
	return seedDataDir(dir, o, bookings, seedTarget{
		name:    "tutorbase",
		how:     "in-process app on the data dir with hooks.Register: users, profiles, availability via app.Save; bookings via SQL INSERT (overlap triggers active), 5,000 per transaction",
		prepare: migrateAndRegister,
		people:  seedTutorbasePeople,
	})
}

// migrateAndRegister gives the empty data dir Tutorbase's schema and binds
// Tutorbase's hooks, so that seeded users get their tutor profiles and
// every seeded record passes the rules it would in production.
func migrateAndRegister(app core.App) error {
	if err := app.RunAllMigrations(); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	_, err := hooks.Register(app, platform.NewEnv(config.Config{AppURL: config.DefaultAppURL}))
	return err
}

// seedTutorbasePeople writes the school's terms, the subjects, the
// students and the tutors with complete, bookable profiles.
func seedTutorbasePeople(tx core.App, o options, fx *fixture) error {
	if err := invoiceMonthly(tx); err != nil {
		return err
	}
	subjects, err := seedSubjects(tx)
	if err != nil {
		return err
	}
	fx.Subjects = subjects
	us, err := newUserSeeder(tx, func(name, role, zone string) map[string]any {
		return map[string]any{"name": name, "role": role, "timezone": zone, "locale": "en"}
	})
	if err != nil {
		return err
	}
	if fx.Students, err = us.students(o.students); err != nil {
		return err
	}
	fx.Tutors, err = us.tutors(o.tutors, completeTutorProfile(fx.Subjects))
	return err
}

// invoiceMonthly sets the school's terms for the load, which books lessons
// without paying for them, as a school that invoices monthly does: no cap
// on unpaid lessons, no pay deadline.
func invoiceMonthly(tx core.App) error {
	school, err := tx.FindRecordById("school", migrations.SchoolId)
	if err != nil {
		return err
	}
	school.Set("max_unpaid_lessons", 0)
	school.Set("unpaid_pay_hours", 0)
	if err := tx.Save(school); err != nil {
		return fmt.Errorf("school: %w", err)
	}
	return nil
}

// seedSubjects saves subjectNames, each with a slug, and returns their ids
// in that order.
func seedSubjects(tx core.App) ([]string, error) {
	subjects, err := tx.FindCollectionByNameOrId("subjects")
	if err != nil {
		return nil, err
	}
	var ids []string
	for i, name := range subjectNames {
		r := core.NewRecord(subjects)
		r.Load(map[string]any{"name": name, "slug": fmt.Sprintf("bench-subject-%d", i)})
		if err := tx.Save(r); err != nil {
			return nil, fmt.Errorf("subject: %w", err)
		}
		ids = append(ids, r.Id)
	}
	return ids, nil
}

// completeTutorProfile fills in the profile Tutorbase's hooks made for a
// tutor user, so that the tutor can be booked by anyone at any hour up to
// two years ahead without confirming: verified, active, auto-confirming,
// teaching the first two subjects, available every day (seedWeek).
func completeTutorProfile(subjects []string) tutorProfile {
	return func(tx core.App, u *core.Record, name, zone string) (*core.Record, error) {
		t, err := tx.FindFirstRecordByData("tutors", "user", u.Id)
		if err != nil {
			return nil, fmt.Errorf("tutor profile of %s: %w", u.Id, err)
		}
		t.Load(map[string]any{
			"headline": "Bench tutor", "hourly_rate": hourlyRate, "currency": "EUR", "verified": true, "status": "active",
			"min_notice_minutes": 120, "max_advance_days": 730, "buffer_minutes": 0, "auto_confirm": true,
			"subjects": subjects[:2], "languages": []string{"en", "it"},
		})
		if err := tx.Save(t); err != nil {
			return nil, fmt.Errorf("tutor profile: %w", err)
		}
		return t, seedWeek(tx, t.Id, zone)
	}
}

// seedWeek makes a tutor available every day, 00:00-24:00 in their zone.
func seedWeek(tx core.App, tutorID, zone string) error {
	col, err := tx.FindCachedCollectionByNameOrId("availability")
	if err != nil {
		return err
	}
	for wd := 1; wd <= 7; wd++ {
		a := core.NewRecord(col)
		a.Load(map[string]any{"tutor": tutorID, "weekday": wd, "start": "00:00", "end": "24:00", "timezone": zone})
		if err := tx.Save(a); err != nil {
			return fmt.Errorf("availability: %w", err)
		}
	}
	return nil
}
