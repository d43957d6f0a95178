package cmd

import (
	"context"
	"time"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

type demoSubject struct{ slug, name, italian string }

var demoSubjects = []demoSubject{
	{"mathematics", "Mathematics", "Matematica"}, {"physics", "Physics", "Fisica"}, {"english", "English", "Inglese"},
	{"italian", "Italian", "Italiano"}, {"programming", "Programming", "Programmazione"}, {"chemistry", "Chemistry", "Chimica"},
}

type demoWindow struct {
	weekday    int
	start, end string
}

type demoPackage struct {
	subject, title, description string
	lessons, minutes, price     int
	discount, validDays         int
}

type demoTutor struct {
	email, name, zone, locale string
	headline, bio             string
	subjects, languages       []string
	rate                      int
	lessonHour                int // local hour of the demo lessons
	windows                   []demoWindow
	packages                  []demoPackage
}

var weekdays = func(start, end string, days ...int) []demoWindow {
	var ws []demoWindow
	for _, d := range days {
		ws = append(ws, demoWindow{d, start, end})
	}
	return ws
}

var demoTutors = []demoTutor{
	{
		email: "giulia", name: "Giulia Rossi", zone: "Europe/Rome", locale: "it",
		headline: "Maths and physics, from middle school to university entrance",
		bio:      "Physicist, ten years of teaching. Patient with beginners, demanding with exam candidates.",
		subjects: []string{"mathematics", "physics"}, languages: []string{"it", "en"}, rate: 3000, lessonHour: 15,
		windows: append(weekdays("14:00", "19:00", 1, 2, 3, 4, 5), demoWindow{6, "09:00", "12:00"}),
		packages: []demoPackage{
			{"mathematics", "Maths exam prep: 10 lessons", "Ten one-hour lessons to prepare the maturità maths exam.", 10, 60, 30000, 15, 120},
			{"physics", "Physics starter: 5 lessons", "Mechanics and energy from the ground up.", 5, 60, 15000, 0, 90},
		},
	},
	{
		email: "marco", name: "Marco Bianchi", zone: "Europe/Rome", locale: "it",
		headline: "Italian for foreigners, A1 to C1",
		bio:      "Certified DITALS teacher. Conversation, grammar and CILS/CELI preparation.",
		subjects: []string{"italian"}, languages: []string{"it", "en", "es"}, rate: 2500, lessonHour: 17,
		windows:  weekdays("16:00", "20:00", 1, 3, 5),
		packages: []demoPackage{{"italian", "Conversation club: 8 lessons", "Eight 45-minute conversation lessons.", 8, 45, 16000, 10, 90}},
	},
	{
		email: "emily", name: "Emily Carter", zone: "America/New_York", locale: "en",
		headline: "English with a native speaker: IELTS and business English",
		bio:      "Former IELTS examiner based in New York; mornings there are afternoons in Europe.",
		subjects: []string{"english"}, languages: []string{"en"}, rate: 3500, lessonHour: 8,
		windows:  weekdays("07:00", "12:00", 2, 4, 6),
		packages: []demoPackage{{"english", "IELTS sprint: 6 lessons", "Six 90-minute lessons focused on the speaking and writing papers.", 6, 90, 31500, 5, 60}},
	},
	{
		email: "arjun", name: "Arjun Mehta", zone: "Asia/Kolkata", locale: "en",
		headline: "Programming (Python, JavaScript) and discrete maths",
		bio:      "Software engineer in Bangalore teaching evenings his time, afternoons in Europe.",
		subjects: []string{"programming", "mathematics"}, languages: []string{"en", "hi"}, rate: 2800, lessonHour: 19,
		windows:  weekdays("18:30", "22:30", 1, 2, 4),
		packages: []demoPackage{{"programming", "Python from zero: 12 lessons", "Twelve one-hour lessons, from variables to a small web app.", 12, 60, 33600, 0, 180}},
	},
}

type demoStudent struct{ email, name, zone, locale string }

var demoStudents = []demoStudent{
	{"luca", "Luca Esposito", "Europe/Rome", "it"},
	{"sofia", "Sofia Romano", "Europe/Rome", "it"},
	{"matteo", "Matteo Colombo", "Europe/Rome", "it"},
	{"chiara", "Chiara Ricci", "Europe/Rome", "it"},
	{"hannah", "Hannah Schmidt", "Europe/Berlin", "en"},
	{"james", "James Wilson", "Europe/London", "en"},
}

func seedTutor(app core.App, t demoTutor, subjects map[string]string, students []*core.Record, index int, now time.Time) error {
	user, err := demoUser(app, t.email, t.name, "tutor", t.zone, t.locale)
	if err != nil {
		return err
	}
	tutor, err := app.FindFirstRecordByData("tutors", "user", user.Id)
	if err != nil {
		return err
	}
	if !tutor.GetBool("verified") {
		var subjectIds []string
		for _, s := range t.subjects {
			subjectIds = append(subjectIds, subjects[s])
		}
		tutor.Load(map[string]any{
			"headline": t.headline, "bio": t.bio, "subjects": subjectIds, "languages": t.languages,
			"hourly_rate": t.rate, "verified": true, "status": "active", "min_notice_minutes": 60,
		})
		if err := app.Save(tutor); err != nil {
			return err
		}
	}
	for _, w := range t.windows {
		_, err := upsert(app, "availability",
			dbx.HashExp{"tutor": tutor.Id, "weekday": w.weekday, "start": w.start},
			map[string]any{"tutor": tutor.Id, "weekday": w.weekday, "start": w.start, "end": w.end, "timezone": t.zone})
		if err != nil {
			return err
		}
	}
	for _, p := range t.packages {
		_, err := upsert(app, "packages", dbx.HashExp{"tutor": tutor.Id, "title": p.title}, map[string]any{
			"tutor": tutor.Id, "subject": subjects[p.subject], "title": p.title, "description": p.description,
			"lessons": p.lessons, "minutes": p.minutes, "price": p.price, "currency": "EUR",
			"discount_percent": p.discount, "status": "published", "valid_days": p.validDays,
		})
		if err != nil {
			return err
		}
	}
	return seedLessons(app, t, tutor, subjects[t.subjects[0]], students, index, now)
}

// demoNotes are what the demo lessons' students wrote for their tutor.
var demoNotes = []string{"", "Could we go over last week's exercises first?", "", "I have a test on Friday.", "", ""}

// seedLessons books three lessons last week (completed, then reviewed) and
// three next week (confirmed) with different students, at the tutor's demo
// hour on the days of their first windows. A tutor with any lesson already
// has theirs (the seed runs in one transaction), so a second run adds none.
func seedLessons(app core.App, t demoTutor, tutor *core.Record, subject string, students []*core.Record, index int, now time.Time) error {
	if n, err := app.CountRecords("bookings", dbx.HashExp{"tutor": tutor.Id}); err != nil || n > 0 {
		return err
	}
	loc, err := time.LoadLocation(t.zone)
	if err != nil {
		return err
	}
	local := now.In(loc)
	monday := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, loc)
	monday = monday.AddDate(0, 0, -((int(monday.Weekday()) + 6) % 7)) // this week's Monday
	for k := 0; k < 6; k++ {
		w := t.windows[k%3]
		week := 1
		status := "confirmed"
		if k >= 3 {
			week, status = -1, "completed"
		}
		day := monday.AddDate(0, 0, 7*week+w.weekday-1)
		start := time.Date(day.Year(), day.Month(), day.Day(), t.lessonHour, 0, 0, 0, loc).UTC()
		end := start.Add(time.Hour)
		student := students[(index*2+k)%len(students)]
		busy, err := app.CountRecords("bookings", dbx.NewExp(
			"student = {:s} AND status IN ('pending','confirmed') AND start < {:end} AND \"end\" > {:start}",
			dbx.Params{"s": student.Id, "start": dt(start), "end": dt(end)}))
		if err != nil {
			return err
		}
		if busy > 0 {
			continue
		}
		c, err := app.FindCachedCollectionByNameOrId("bookings")
		if err != nil {
			return err
		}
		b := core.NewRecord(c)
		b.Load(map[string]any{
			"tutor": tutor.Id, "student": student.Id, "subject": subject, "start": start, "end": end,
			"status": status, "price": t.rate, "currency": "EUR", "notes": demoNotes[k],
			"tutor_name": t.name, "student_name": student.GetString("name"),
			"meeting_url": "https://meet.jit.si/tutorbase-" + security.RandomStringWithAlphabet(24, "abcdefghijklmnopqrstuvwxyz0123456789"),
		})
		if err := app.SaveWithContext(platform.Imported(context.Background()), b); err != nil {
			return err
		}
		if status == "completed" {
			if err := seedReview(app, b, index+k); err != nil {
				return err
			}
		}
	}
	return nil
}

func dt(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }
