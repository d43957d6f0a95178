package booking

import (
	"slices"
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
)

// Booking events, named as users.notify names them.
const (
	EventBookingCreated     = notify.KindBookingCreated
	EventBookingConfirmed   = notify.KindBookingConfirmed
	EventBookingCancelled   = notify.KindBookingCancelled
	EventBookingRescheduled = notify.KindBookingRescheduled
)

// bookingNotes renders the notifications of a booking change: the student
// always hears (of their own actions too: what they booked, moved or
// cancelled, in their inbox and channels), the tutor unless they acted
// themselves; both when the school acts (actor ""); and the student's
// guardians who did not mute the student's notices (whoever acted), with
// the lesson named with the student's name. old is the booking a
// reschedule replaces; a series' booking_created lists all its lessons.
func (s *Service) bookingNotes(app core.App, b *core.Record, old *core.Record, kind, actor string) []*notifications.Note {
	var to []string
	student := b.GetString("student")
	for _, u := range []string{student, b.GetString("tutor_user")} {
		if u != "" && (u != actor || u == student) && !slices.Contains(to, u) {
			to = append(to, u)
		}
	}
	if len(to) == 0 {
		return nil
	}
	ev := LessonEvent(app, b, kind)
	if old != nil {
		ev.OldStart = old.GetDateTime("start").Time()
	}
	if kind == EventBookingCreated && b.GetString("series") != "" {
		ev.Lessons = seriesLessons(app, b)
	}
	notes := s.notes.Prepare(app, to, ev, map[string]any{"booking": b.Id})
	guardians, err := platform.NoticedGuardians(app, student)
	if err != nil {
		app.Logger().Error("failed to read a student's guardians", "student", student, "error", err)
	}
	if len(guardians) > 0 {
		notes = append(notes, s.notes.Prepare(app, guardians, platform.ForGuardians(ev), map[string]any{"booking": b.Id})...)
	}
	return notes
}

// LessonEvent describes a booking for the templates.
func LessonEvent(app core.App, b *core.Record, kind string) notify.Event {
	ev := notify.Event{
		Kind:        kind,
		Start:       b.GetDateTime("start").Time(),
		End:         b.GetDateTime("end").Time(),
		TutorName:   b.GetString("tutor_name"),
		StudentName: b.GetString("student_name"),
		Reason:      b.GetString("cancel_reason"),
		LateCancel:  b.GetBool("late_cancel"),
		Pending:     b.GetString("status") == platform.StatusPending,
		Link:        app.Settings().Meta.AppURL + "/lessons/" + b.Id,
	}
	if b.GetString("status") == platform.StatusConfirmed {
		ev.JoinURL = b.GetString("meeting_url")
	}
	if id := b.GetString("subject"); id != "" {
		s, _ := platform.LoadSubject(app, id)
		ev.Subject, ev.SubjectNames = s.Name, s.Names
	}
	return ev
}
