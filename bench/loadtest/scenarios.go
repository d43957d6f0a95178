package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"time"
)

// The requests of each phase. A closed-loop client owns a disjoint set of
// students (client i books as students i, i+clients, ...), so two clients
// never book for the same student; an open-loop run draws students freely.

// apiTime is how request bodies spell instants (UTC, RFC 3339).
func apiTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// futureLesson picks a free-looking one-hour lesson of a tutor: a whole
// local hour between 00:00 and 23:00 on a day createFromDay to createToDay
// ahead, never across local midnight or a DST change (every aligned hour
// is inside the tutor's 00:00-24:00 availability).
func futureLesson(rng *rand.Rand, t tutorRef, now time.Time) (time.Time, time.Time) {
	for {
		day := now.In(t.loc).AddDate(0, 0, createFromDay+rng.IntN(createToDay-createFromDay))
		h := rng.IntN(23)
		start := time.Date(day.Year(), day.Month(), day.Day(), h, 0, 0, 0, t.loc)
		end := start.Add(time.Hour)
		if start.Hour() == h && end.In(t.loc).Hour() == h+1 && end.In(t.loc).Day() == start.Day() {
			return start.UTC(), end.UTC()
		}
	}
}

// createGen: a student books a random tutor's lesson through the records
// API, as the web app does ({tutor, subject, start, end, notes}).
func createGen(fx *fixture) generator {
	return func(client int, rng *rand.Rand) request {
		s := student(client, rng, fx)
		t := fx.Tutors[rng.IntN(len(fx.Tutors))]
		start, end := futureLesson(rng, t, fx.Now)
		body, _ := json.Marshal(map[string]any{
			"tutor": t.ID, "subject": fx.Subjects[rng.IntN(len(fx.Subjects))],
			"start": apiTime(start), "end": apiTime(end), "notes": lessonNotes(rng.IntN(1e6)),
		})
		return request{method: "POST", path: "/api/collections/bookings/records", token: fx.Students[s].Token, body: body, tag: s}
	}
}

// student picks the booking student: in a closed loop one of the client's
// own students (client c books as students c, c+clients, ...), so two
// clients never book for the same student; in an open loop (client < 0)
// any student.
func student(client int, rng *rand.Rand, fx *fixture) int {
	n := len(fx.Students)
	if client < 0 || fx.clients <= 0 || n < fx.clients {
		return rng.IntN(n)
	}
	return client + fx.clients*rng.IntN(n/fx.clients)
}

// plainCreateGen: the same lesson created on plain PocketBase, the body
// carrying every field Tutorbase's hooks fill, so the stored row has the
// same size.
func plainCreateGen(fx *fixture) generator {
	return func(client int, rng *rand.Rand) request {
		s := student(client, rng, fx)
		t := fx.Tutors[rng.IntN(len(fx.Tutors))]
		start, end := futureLesson(rng, t, fx.Now)
		body, _ := json.Marshal(map[string]any{
			"tutor": t.ID, "tutor_user": t.UserID, "student": fx.Students[s].ID,
			"tutor_name": t.Name, "student_name": fmt.Sprintf("Student %05d", s),
			"subject": fx.Subjects[rng.IntN(len(fx.Subjects))],
			"start":   apiTime(start), "end": apiTime(end), "status": "confirmed",
			"price": hourlyRate, "currency": "EUR", "meeting_url": meetingURL(rng), "notes": lessonNotes(rng.IntN(1e6)),
		})
		return request{method: "POST", path: "/api/collections/bookings/records", token: fx.Students[s].Token, body: body, tag: s}
	}
}

// slotsGen: a visitor asks for a random tutor's free hours over 7 days,
// starting 1 to 50 days ahead (inside the seeded lessons).
func slotsGen(fx *fixture) generator {
	today := fx.Now.Truncate(24 * time.Hour)
	return func(client int, rng *rand.Rand) request {
		t := fx.Tutors[rng.IntN(len(fx.Tutors))]
		from := today.AddDate(0, 0, 1+rng.IntN(50))
		q := url.Values{"from": {from.Format(time.RFC3339)}, "to": {from.AddDate(0, 0, 7).Format(time.RFC3339)}, "minutes": {"60"}}
		return request{method: "GET", path: "/api/tutors/" + t.ID + "/slots?" + q.Encode()}
	}
}

// listGen: "my bookings" as the web app's My lessons page asks for it
// (pb_public/js/pages/lessons.js), as a student or a tutor (half each)
// with an upcoming lesson: the caller's own upcoming lessons, soonest
// first, one page of 10 plus one row (to know whether there are more),
// without the total count.
func listGen(fx *fixture) generator {
	return func(client int, rng *rand.Rand) request {
		var side string
		var who person
		if rng.IntN(2) == 0 && len(fx.listTutors) > 0 || len(fx.listStudents) == 0 {
			t := fx.Tutors[pick(rng, fx.listTutors, len(fx.Tutors))]
			side, who = "tutor_user", person{ID: t.UserID, Token: t.Token}
		} else {
			side, who = "student", fx.Students[pick(rng, fx.listStudents, len(fx.Students))]
		}
		return request{method: "GET", path: myBookingsPath(side, who.ID, fx.Now), token: who.Token}
	}
}

// myBookingsPath is the records API list of a user's upcoming lessons;
// lessons last at most 8 hours, so the start bound keeps every lesson
// still running.
func myBookingsPath(side, id string, now time.Time) string {
	filter := fmt.Sprintf(`%s = '%s' && start >= '%s' && end >= '%s' && (status = 'pending' || status = 'confirmed')`,
		side, id, dbTime(now.Add(-8*time.Hour)), dbTime(now))
	q := url.Values{"page": {"1"}, "perPage": {"11"}, "skipTotal": {"1"}, "sort": {"start"}, "filter": {filter}}
	return "/api/collections/bookings/records?" + q.Encode()
}

// dbTime is how filters spell instants (PocketBase's stored form).
func dbTime(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05.000Z") }

// pick draws one of the indexes, or any index below n if there are none.
func pick(rng *rand.Rand, indexes []int, n int) int {
	if len(indexes) == 0 {
		return rng.IntN(n)
	}
	return indexes[rng.IntN(len(indexes))]
}
