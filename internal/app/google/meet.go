package google

import (
	"strings"

	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

// Google Meet instead of Jitsi: when the school (school.google_meet) or
// the tutor (tutors.google_meet) chose it and the tutor's Google Calendar
// is connected, a confirmed lesson's Jitsi room is replaced, in the
// booking's own transaction, by "the link is being created"
// (meet_pending); the tutor's calendar event is then created with a Meet
// conference through the outbox, and Google's answer becomes the lesson's
// meeting_url. If Google never answers (the retries give up, the consent
// is revoked) the lesson gets a Jitsi room after all and the tutor is told
// (meet_failed). A tutor's own video link always wins.

// wantsMeet reports whether b's tutor row asks Google for a Meet link, and
// marks the lesson's link pending (in tx and in b) when it does.
func wantsMeet(tx core.App, b *core.Record, user string) (bool, error) {
	if user != b.GetString("tutor_user") || b.GetString("status") != platform.StatusConfirmed {
		return false, nil
	}
	if !b.GetBool("meet_pending") && !strings.HasPrefix(b.GetString("meeting_url"), booking.JitsiBase) {
		return false, nil // the tutor's own link, or Meet's answer already
	}
	var choice struct {
		Tutor  bool   `db:"tutor_meet"`
		School bool   `db:"school_meet"`
		Own    string `db:"own"`
	}
	err := tx.DB().NewQuery(`SELECT t.google_meet AS tutor_meet, t.meeting_url AS own,
		COALESCE((SELECT google_meet FROM school LIMIT 1), FALSE) AS school_meet FROM tutors t WHERE t.id = {:id}`).
		Bind(dbx.Params{"id": b.GetString("tutor")}).One(&choice)
	if err != nil || choice.Own != "" || !(choice.Tutor || choice.School) {
		return false, err
	}
	if !b.GetBool("meet_pending") {
		if _, err := tx.DB().Update("bookings", dbx.Params{"meeting_url": "", "meet_pending": true}, dbx.HashExp{"id": b.Id}).Execute(); err != nil {
			return false, err
		}
		b.Set("meeting_url", "")
		b.Set("meet_pending", true)
	}
	return true, nil
}

// meetArrived gives the lesson Google's Meet link, if it still waits.
func meetArrived(tx core.App, bookingID, link string) error {
	_, err := tx.DB().Update("bookings", dbx.Params{"meeting_url": link, "meet_pending": false},
		dbx.HashExp{"id": bookingID, "meet_pending": true}).Execute()
	return err
}

// meetFailed gives a lesson still waiting for its Meet link a Jitsi room
// and tells its tutor, once (compare-and-set on meet_pending).
func (s *Service) meetFailed(tx core.App, bookingID string) error {
	jitsi := booking.JitsiBase + "tutorbase-" + security.RandomStringWithAlphabet(24, "abcdefghijklmnopqrstuvwxyz0123456789")
	res, err := tx.DB().Update("bookings", dbx.Params{"meeting_url": jitsi, "meet_pending": false},
		dbx.HashExp{"id": bookingID, "meet_pending": true}).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil
	}
	b, err := tx.FindRecordById("bookings", bookingID)
	if err != nil {
		return err
	}
	s.notes.Notify(tx, []string{b.GetString("tutor_user")}, notify.Event{Kind: notify.KindMeetFailed,
		Start: b.GetDateTime("start").Time(), End: b.GetDateTime("end").Time(), TutorName: b.GetString("tutor_name"),
		StudentName: b.GetString("student_name"), JoinURL: jitsi, Link: tx.Settings().Meta.AppURL + "/lessons/" + b.Id},
		map[string]any{"booking": b.Id})
	return nil
}
