package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

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
	Threads  []threadRef // conversations of the message phases
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

// seedTarget is what differs between seeding Tutorbase's data dir and plain
// PocketBase's; seedDataDir does the rest the same way for both, so that
// both hold the same people and the same bookings for the same seed.
type seedTarget struct {
	name, how string
	// prepare readies the bootstrapped app before anything is written.
	prepare func(app core.App) error
	// people writes the subjects, students and tutors, and notes them in
	// fx, inside the one transaction it is given.
	people func(tx core.App, o options, fx *fixture) error
}

// seedDataDir opens dir in-process, lets t prepare it and write the people
// in one transaction, then plans the bookings with the run's seed and
// writes them with SQL (insertBookings).
func seedDataDir(dir string, o options, bookings int, t seedTarget) (*fixture, seedInfo, error) {
	began := time.Now()
	info := seedInfo{Target: t.name, Bookings: bookings, Tutors: o.tutors, Students: o.students, How: t.how}
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		return nil, info, err
	}
	defer app.ResetBootstrapState()
	if err := t.prepare(app); err != nil {
		return nil, info, err
	}
	rng := rand.New(rand.NewPCG(o.seed, uint64(bookings)))
	fx := &fixture{Now: time.Now().UTC()}
	if err := app.RunInTransaction(func(tx core.App) error { return t.people(tx, o, fx) }); err != nil {
		return nil, info, err
	}

	if err := seedThreads(app, o, fx); err != nil {
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
