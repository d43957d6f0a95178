package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/config"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Seeded data: the same people and lessons in both servers.
var (
	tutorZones   = []string{"Europe/Rome", "America/New_York", "Asia/Kolkata", "Europe/London", "Australia/Sydney"}
	subjectNames = []string{"Mathematics", "Physics", "English", "Italian", "Programming"}
)

const (
	benchPassword = "bench-password-not-secret-2027"
	hourlyRate    = 3000
	// The seeded lessons lie in [now-pastDays, now+futureDays]; the create
	// phases book in [createFromDay, createToDay] days ahead, clear of them.
	pastDays      = 180
	futureDays    = 60
	createFromDay = 62
	createToDay   = 700
	tokenLife     = 48 * time.Hour
)

// person is a seeded user and a static auth token for it.
type person struct {
	ID, Name, Token string
}

// tutorRef is a seeded tutor: the tutors record id, its user and zone.
type tutorRef struct {
	ID, UserID, Name, Zone, Token string
	loc                           *time.Location
}

// fixture is what the load phases need to know about a seeded data dir.
type fixture struct {
	Tutors   []tutorRef
	Students []person
	Subjects []string
	Now      time.Time
	clients  int // closed-loop clients, which share the students out
	// the students and tutors (by index) with an upcoming lesson, whose
	// "my bookings" page is not empty
	listStudents, listTutors []int
}

// noteListers finds the students and tutors with a pending or confirmed
// lesson that starts a day or more after seeding, so it is still upcoming
// when the run ends. "My bookings" is asked for as them: PocketBase delays
// answers up to 500 ms at random once one client (the load generator is
// one IP) has had more than 3 empty results of filtered lists in 3 s (a
// guard against timing attacks), so asking as people without upcoming
// lessons would measure that sleep.
func (fx *fixture) noteListers(plan []plannedBooking) {
	students, tutors := map[int]bool{}, map[int]bool{}
	later := fx.Now.Add(24 * time.Hour)
	for _, p := range plan {
		if (p.status == "pending" || p.status == "confirmed") && p.start.After(later) {
			students[p.student], tutors[p.tutor] = true, true
		}
	}
	fx.listStudents, fx.listTutors = sortedKeys(students), sortedKeys(tutors)
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// seedInfo tells how a data dir was seeded, for the report.
type seedInfo struct {
	Target   string        `json:"target"`
	Bookings int           `json:"bookings"`
	Tutors   int           `json:"tutors"`
	Students int           `json:"students"`
	Took     time.Duration `json:"took_ns"`
	How      string        `json:"how"`
}

// plannedBooking is one seeded lesson, by index into the fixture.
type plannedBooking struct {
	tutor, student, subject int
	start                   time.Time
	status                  string
}

// planBookings spreads n one-hour lessons over the tutors, past and future,
// so that no tutor and no student has two overlapping lessons whatever the
// status. Past lessons are mostly completed, future ones mostly confirmed,
// a few of each cancelled.
func planBookings(n, tutors, students int, now time.Time, rng *rand.Rand) []plannedBooking {
	origin := now.Truncate(time.Hour).Add(-pastDays * 24 * time.Hour)
	hours := (pastDays + futureDays) * 24
	perTutor := (n + tutors - 1) / tutors
	if perTutor > hours/2 {
		hours = perTutor * 2 // a denser school than planned: spread further back
		origin = now.Truncate(time.Hour).Add(-time.Duration(hours-futureDays*24) * time.Hour)
	}
	busy := make(map[[2]int]bool, n) // (student, hour)
	out := make([]plannedBooking, 0, n)
	for t := 0; t < tutors && len(out) < n; t++ {
		perm := rng.Perm(hours)
		for k := 0; k < perTutor && len(out) < n; k++ {
			h := perm[k]
			s := rng.IntN(students)
			for tries := 0; busy[[2]int{s, h}]; tries++ {
				s = (s + 1) % students
				if tries > students {
					panic("planBookings: no free student")
				}
			}
			busy[[2]int{s, h}] = true
			start := origin.Add(time.Duration(h) * time.Hour)
			out = append(out, plannedBooking{tutor: t, student: s, subject: rng.IntN(len(subjectNames)), start: start, status: plannedStatus(start, now, rng)})
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func plannedStatus(start, now time.Time, rng *rand.Rand) string {
	r := rng.IntN(100)
	if start.Before(now) {
		switch {
		case r < 90:
			return "completed"
		case r < 97:
			return "cancelled"
		}
		return "no_show"
	}
	switch {
	case r < 93:
		return "confirmed"
	case r < 98:
		return "cancelled"
	}
	return "pending"
}

// lessonNotes is a note of a typical length (about 50 characters).
func lessonNotes(i int) string {
	return fmt.Sprintf("Lesson %06d: chapter review and homework check", i)
}

// meetingURL mimics the Jitsi room Tutorbase generates.
func meetingURL(rng *rand.Rand) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 24)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return "https://meet.jit.si/tutorbase-" + string(b)
}

// passwordHasher hashes the bench password once (bcrypt is slow on purpose)
// and reuses the hash for every seeded user.
type passwordHasher struct{ hash string }

func (p *passwordHasher) set(r *core.Record) {
	if p.hash == "" {
		r.SetPassword(benchPassword)
		p.hash = r.GetString("password:hash")
		return
	}
	r.SetRaw("password", &core.PasswordFieldValue{Hash: p.hash})
}

// seedTutorbase migrates an empty data dir and fills it in-process, with
// Tutorbase's own hooks bound (hooks.Register), as `seed` commands do:
// users, tutor profiles and availability through app.Save (the hooks make
// the profiles and check the windows); bookings with SQL (insertBookings),
// 20 to 50 times faster than app.SaveWithContext(platform.Imported(ctx), ...)
// and checked by the same overlap triggers.
func seedTutorbase(dir string, o options, bookings int) (*fixture, seedInfo, error) {
	began := time.Now()
	info := seedInfo{Target: "tutorbase", Bookings: bookings, Tutors: o.tutors, Students: o.students,
		How: "in-process app on the data dir with hooks.Register: users, profiles, availability via app.Save; bookings via SQL INSERT (overlap triggers active), 5,000 per transaction"}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		return nil, info, err
	}
	defer app.ResetBootstrapState()
	if err := app.RunAllMigrations(); err != nil {
		return nil, info, fmt.Errorf("migrations: %w", err)
	}
	if _, err := hooks.Register(app, platform.NewEnv(config.Config{AppURL: config.DefaultAppURL})); err != nil {
		return nil, info, err
	}
	rng := rand.New(rand.NewPCG(o.seed, uint64(bookings)))
	fx := &fixture{Now: time.Now().UTC()}
	pw := &passwordHasher{}

	err := app.RunInTransaction(func(tx core.App) error {
		// the load books lessons without paying for them, as a school that
		// invoices monthly does: no cap on unpaid lessons, no pay deadline
		school, err := tx.FindRecordById("school", migrations.SchoolId)
		if err != nil {
			return err
		}
		school.Set("max_unpaid_lessons", 0)
		school.Set("unpaid_pay_hours", 0)
		if err := tx.Save(school); err != nil {
			return fmt.Errorf("school: %w", err)
		}
		subjects, err := tx.FindCollectionByNameOrId("subjects")
		if err != nil {
			return err
		}
		for i, name := range subjectNames {
			r := core.NewRecord(subjects)
			r.Load(map[string]any{"name": name, "slug": fmt.Sprintf("bench-subject-%d", i)})
			if err := tx.Save(r); err != nil {
				return fmt.Errorf("subject: %w", err)
			}
			fx.Subjects = append(fx.Subjects, r.Id)
		}
		users, err := tx.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		newUser := func(email, name, role, zone string) (*core.Record, error) {
			u := core.NewRecord(users)
			u.SetEmail(email)
			u.SetVerified(true)
			pw.set(u)
			u.Load(map[string]any{"name": name, "role": role, "timezone": zone, "locale": "en"})
			return u, tx.Save(u)
		}
		for i := range o.students {
			u, err := newUser(fmt.Sprintf("student%05d@bench.localhost", i), fmt.Sprintf("Student %05d", i), "student", "Europe/Rome")
			if err != nil {
				return fmt.Errorf("student: %w", err)
			}
			tok, err := u.NewStaticAuthToken(tokenLife)
			if err != nil {
				return err
			}
			fx.Students = append(fx.Students, person{ID: u.Id, Name: u.GetString("name"), Token: tok})
		}
		for i := range o.tutors {
			zone := tutorZones[i%len(tutorZones)]
			name := fmt.Sprintf("Tutor %04d", i)
			u, err := newUser(fmt.Sprintf("tutor%04d@bench.localhost", i), name, "tutor", zone)
			if err != nil {
				return fmt.Errorf("tutor user: %w", err)
			}
			t, err := tx.FindFirstRecordByData("tutors", "user", u.Id)
			if err != nil {
				return fmt.Errorf("tutor profile of %s: %w", u.Id, err)
			}
			t.Load(map[string]any{
				"headline": "Bench tutor", "hourly_rate": hourlyRate, "currency": "EUR", "verified": true, "status": "active",
				"min_notice_minutes": 120, "max_advance_days": 730, "buffer_minutes": 0, "auto_confirm": true,
				"subjects": fx.Subjects[:2], "languages": []string{"en", "it"},
			})
			if err := tx.Save(t); err != nil {
				return fmt.Errorf("tutor profile: %w", err)
			}
			if err := seedWeek(tx, t.Id, zone); err != nil {
				return err
			}
			tok, err := u.NewStaticAuthToken(tokenLife)
			if err != nil {
				return err
			}
			loc, err := time.LoadLocation(zone)
			if err != nil {
				return err
			}
			fx.Tutors = append(fx.Tutors, tutorRef{ID: t.Id, UserID: u.Id, Name: name, Zone: zone, Token: tok, loc: loc})
		}
		return nil
	})
	if err != nil {
		return nil, info, err
	}

	plan := planBookings(bookings, len(fx.Tutors), len(fx.Students), fx.Now, rng)
	if err := insertBookings(app, plan, fx, rng); err != nil {
		return nil, info, err
	}
	fx.noteListers(plan)
	info.Took = time.Since(began)
	return fx, info, nil
}

// insertBookings writes the planned lessons with SQL, 5,000 per
// transaction, filling every field the booking hooks fill (tutor_user,
// tutor_name, student_name, status, price, currency, meeting_url) the way
// they fill them. Tutorbase's overlap triggers still check every row.
func insertBookings(app core.App, plan []plannedBooking, fx *fixture, rng *rand.Rand) error {
	created := time.Now().UTC().Format(types.DefaultDateLayout)
	col, err := app.FindCollectionByNameOrId("bookings")
	if err != nil {
		return err
	}
	// a pay-per-lesson booking (no purchase, price > 0) is "unpaid"
	hasPaymentStatus := col.Fields.GetByName("payment_status") != nil
	for lo := 0; lo < len(plan); lo += 5000 {
		batch := plan[lo:min(lo+5000, len(plan))]
		err := app.RunInTransaction(func(tx core.App) error {
			for i, p := range batch {
				row := bookingRow(p, fx, lo+i, rng)
				row["created"], row["updated"] = created, created
				if hasPaymentStatus {
					row["payment_status"] = "unpaid"
				}
				if _, err := tx.DB().Insert("bookings", row).Execute(); err != nil {
					return fmt.Errorf("booking %d (%v): %w", lo+i, p.start, err)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// bookingRow is a seeded lesson as a bookings row.
func bookingRow(p plannedBooking, fx *fixture, i int, rng *rand.Rand) dbx.Params {
	t, s := fx.Tutors[p.tutor], fx.Students[p.student]
	date := func(t time.Time) string { return t.UTC().Format(types.DefaultDateLayout) }
	row := dbx.Params{
		"id": recordId(rng), "tutor": t.ID, "tutor_user": t.UserID, "student": s.ID,
		"tutor_name": t.Name, "student_name": s.Name, "subject": fx.Subjects[p.subject],
		"start": date(p.start), "end": date(p.start.Add(time.Hour)), "status": p.status,
		"price": hourlyRate, "currency": "EUR", "meeting_url": meetingURL(rng), "notes": lessonNotes(i),
	}
	if p.status == "cancelled" {
		row["cancelled_by"] = s.ID
		row["cancel_reason"] = "Cannot make it"
		row["cancelled_at"] = date(p.start.Add(-48 * time.Hour))
	}
	return row
}

// recordId is a PocketBase-style id: 15 characters [a-z0-9].
func recordId(rng *rand.Rand) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 15)
	for i := range b {
		b[i] = alphabet[rng.IntN(len(alphabet))]
	}
	return string(b)
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
