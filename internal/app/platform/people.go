package platform

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Tutor is what the booking rules need to know about a tutor.
type Tutor struct {
	Id, User, Name, Currency, MeetingURL string
	Verified, AutoConfirm                bool
	Status                               string
	HourlyRate                           int64
	Lengths                              []int
	Buffer, MinNotice, MaxAdvance        time.Duration
	Location                             *time.Location
}

// Bookable reports whether the tutor takes bookings and shows free time.
func (t *Tutor) Bookable() bool { return t.Verified && t.Status == "active" }

// LoadTutor returns what the booking rules need of a tutor, from a cache
// that every write to a tutor or to the school clears: slot queries and
// bookings read it on every request. The value is shared: copy it before
// changing it.
func LoadTutor(app core.App, id string) (*Tutor, error) {
	return Cached(app, tutorCacheKey, id, func() (*Tutor, error) {
		r, err := app.FindRecordById("tutors", id)
		if err != nil {
			return nil, err
		}
		return tutorFromRecord(app, r)
	})
}

// Person is what the booking rules need of a user.
type Person struct{ Id, Name, Role string }

// LoadPerson returns a user's id, name and role, cached between writes to
// users.
func LoadPerson(app core.App, id string) (Person, error) {
	return Cached(app, peopleCacheKey, id, func() (p Person, err error) {
		err = app.DB().Select("id", "name", "role").From("users").Where(dbx.HashExp{"id": id}).Limit(1).One(&p)
		return p, err
	})
}

func tutorFromRecord(app core.App, r *core.Record) (*Tutor, error) {
	zone := r.GetString("timezone")
	if zone == "" {
		school, err := LoadSchool(app)
		if err != nil {
			return nil, err
		}
		zone = school.Timezone
	}
	loc, err := Location(app, zone)
	if err != nil {
		return nil, fmt.Errorf("tutor %s: %w", r.Id, err)
	}
	return &Tutor{
		Id:          r.Id,
		User:        r.GetString("user"),
		Name:        r.GetString("name"),
		Currency:    r.GetString("currency"),
		MeetingURL:  r.GetString("meeting_url"),
		Verified:    r.GetBool("verified"),
		AutoConfirm: r.GetBool("auto_confirm"),
		Status:      r.GetString("status"),
		HourlyRate:  int64(r.GetInt("hourly_rate")),
		Lengths:     LessonMinutes(r),
		Buffer:      time.Duration(r.GetInt("buffer_minutes")) * time.Minute,
		MinNotice:   time.Duration(r.GetInt("min_notice_minutes")) * time.Minute,
		MaxAdvance:  time.Duration(r.GetInt("max_advance_days")) * 24 * time.Hour,
		Location:    loc,
	}, nil
}

// LessonMinutes reads a tutor's allowed lesson lengths, falling back to the
// defaults when the field is empty.
func LessonMinutes(t *core.Record) []int {
	var minutes []int
	if err := DecodeJSON(t.Get("lesson_minutes"), &minutes); err != nil || len(minutes) == 0 {
		return DefaultLessonMinutes
	}
	return minutes
}

// Roles of users.
const (
	RoleStudent = "student"
	RoleTutor   = "tutor"
	RoleAdmin   = "admin"
	// RoleGuardian is an adult who manages students (their children): see
	// guardians.go.
	RoleGuardian = "guardian"
)

// DefaultLessonMinutes are the lesson lengths a new tutor offers.
var DefaultLessonMinutes = []int{30, 45, 60, 90, 120}

// TutorTimeOff is the tutor's time off that overlaps [from, to), from the
// cache of each tutor's whole list.
func TutorTimeOff(app core.App, tutor string, from, to time.Time) ([]schedule.Interval, error) {
	all, err := Cached(app, timeOffCacheKey, tutor, func() ([]schedule.Interval, error) {
		return LoadIntervals(app, "time_off", "tutor = {:id}", tutor, time.Unix(0, 0), MaxTime, 0)
	})
	var out []schedule.Interval
	for _, iv := range all {
		if iv.Start.Before(to) && iv.End.After(from) {
			out = append(out, iv)
		}
	}
	return out, err
}

// Subject is a subject's name, and its names in other languages.
type Subject struct {
	Name  string
	Names map[string]string // by language, as the school gave them
}

// LoadSubject reads a subject, cached between writes to subjects.
func LoadSubject(app core.App, id string) (Subject, error) {
	return Cached(app, subjectCacheKey, id, func() (Subject, error) {
		var row struct {
			Name  string `db:"name"`
			Names string `db:"names"`
		}
		err := app.DB().Select("name", "COALESCE(names, '') AS names").From("subjects").Where(dbx.HashExp{"id": id}).One(&row)
		s := Subject{Name: row.Name}
		if row.Names != "" {
			_ = json.Unmarshal([]byte(row.Names), &s.Names) // validated on write
		}
		return s, err
	})
}

// SubjectName is a subject's name, cached between writes to subjects.
func SubjectName(app core.App, id string) (string, error) {
	s, err := LoadSubject(app, id)
	return s.Name, err
}

// RequireVerifiedEmail refuses a student who has not confirmed their email
// when the school asks for it (staff act for anyone).
func RequireVerifiedEmail(e *core.RequestEvent, field string) error {
	if IsStaff(e) || e.Auth == nil || e.Auth.Verified() {
		return nil
	}
	school, err := LoadSchool(e.App)
	if err != nil || !school.RequireVerifiedEmail {
		return err
	}
	return RuleError(http.StatusBadRequest, field, CodeEmailUnverified,
		"Confirm your email address first: open the link we emailed you (your account page sends it again).")
}

// StudentFor is the student a request acts for: the one staff name, the
// one of their students a guardian names, or the caller, who must then be
// a student with a confirmed email (when the school asks for one) and may
// name nobody else. A guardian's confirmed email counts for the child.
func StudentFor(e *core.RequestEvent, asked string) (string, error) {
	if IsStaff(e) {
		if asked == "" {
			return "", RuleError(http.StatusBadRequest, "student", "validation_required", "Choose the student these lessons are for.")
		}
		return asked, nil
	}
	if e.Auth.GetString("role") == RoleGuardian {
		return guardedStudentFor(e, asked)
	}
	if e.Auth.GetString("role") != RoleStudent {
		return "", e.ForbiddenError("Only students and school staff book lessons.", nil)
	}
	if asked != "" && asked != e.Auth.Id {
		return "", RuleError(http.StatusBadRequest, "student", "server_owned", "You can only book lessons for yourself.")
	}
	if err := RequireVerifiedEmail(e, "student"); err != nil {
		return "", err
	}
	return e.Auth.Id, nil
}

// CodeEmailUnverified: the student has not confirmed their email yet.
const CodeEmailUnverified = "email_unverified"
