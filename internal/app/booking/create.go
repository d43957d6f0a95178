package booking

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/security"
)

// CodeTutorUnavailable: the tutor is unverified, suspended or unknown.
const CodeTutorUnavailable = "tutor_unavailable"

// JitsiBase is where generated meeting rooms live.
const JitsiBase = "https://meet.jit.si/"

// bookingServerFields are filled by the server; a client sending one is
// refused (student: only staff may choose it).
var bookingServerFields = []string{
	"tutor_user", "tutor_name", "student_name", "status", "price", "currency", "meeting_url",
	"cancelled_by", "cancel_reason", "cancelled_at", "late_cancel", "rescheduled_from", "series", "payment_status", "pay_by",
	"meet_pending",
}

// bookingNoteFields are what a direct record update may change.
var bookingNoteFields = []string{"notes", "updated"}

// bookingImmutable never change once a booking exists: a new time is a new
// booking (reschedule).
var bookingImmutable = []string{"tutor", "student", "start", "end", "purchase", "series", "rescheduled_from", "tutor_user"}

// transitions are the allowed status changes.
var transitions = map[string][]string{
	platform.StatusPending:   {platform.StatusConfirmed, platform.StatusCancelled},
	platform.StatusConfirmed: {platform.StatusCancelled, platform.StatusCompleted, platform.StatusNoShow},
}

func (s *Service) registerBookings(app core.App) {
	app.OnRecordCreateRequest("bookings").BindFunc(s.bookingCreateRequest)
	app.OnRecordCreate("bookings").BindFunc(s.bookingCreate)
	app.OnRecordUpdateRequest("bookings").BindFunc(bookingUpdateRequest)
	app.OnRecordUpdate("bookings").BindFunc(bookingUpdate)
}

// bookingCreateRequest handles who is asking: the server-owned fields and
// the student (the caller, unless staff book for someone).
func (s *Service) bookingCreateRequest(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	errs := validation.Errors{}
	for _, f := range bookingServerFields {
		if _, ok := info.Body[f]; ok {
			errs[f] = platform.ServerOwned()
		}
	}
	if platform.IsStaff(e.RequestEvent) {
		if e.Record.GetString("student") == "" {
			errs["student"] = validation.NewError("validation_required", "Choose the student this lesson is for.")
		}
	} else if e.Auth.GetString("role") == platform.RoleGuardian {
		asked, _ := info.Body["student"].(string)
		student, err := platform.StudentFor(e.RequestEvent, asked) // one of theirs
		if err != nil {
			return err
		}
		e.Record.Set("student", student)
	} else {
		if s, ok := info.Body["student"]; ok && s != e.Auth.Id {
			errs["student"] = validation.NewError("server_owned", "You can only book lessons for yourself.")
		}
		e.Record.Set("student", e.Auth.Id)
	}
	if len(errs) > 0 {
		return apis.NewBadRequestError("Failed to create record.", errs)
	}
	if err := platform.RequireVerifiedEmail(e.RequestEvent, "student"); err != nil {
		return err
	}
	// the model hook owes the other party a notification, in its transaction
	e.Record.SetRaw(notifyAsKey, platform.ActorID(e.RequestEvent))
	return e.Next()
}

// notifyAsKey is a booking's custom (never stored, never exported) data
// when its create owes a booking_created notification from that actor: the
// records API passes no context to the model hooks.
const notifyAsKey = "@tutorbase.notify_as"

// bookingCreate enforces DESIGN.md's booking rules on every path (records
// API, batch, dashboard, series, reschedule, jobs): the checks that need no
// lock first, then, inside the write transaction, the overlaps.
func (s *Service) bookingCreate(e *core.RecordEvent) error {
	b := e.Record
	now := s.env.Now()
	confirmed, _ := e.Context.Value(confirmedKey{}).(bool)
	moved, _ := e.Context.Value(movedKey{}).(bool)
	p, err := prepareBooking(e.App, b, now, bookingOpts{imported: platform.IsImported(e.Context), confirmed: confirmed})
	if err != nil {
		return err
	}
	original := e.App
	defer func() { e.App = original }()
	actor, notifies := b.GetRaw(notifyAsKey).(string)
	var created *BookingEvent
	err = e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := checkConflicts(tx, b, p.tutor.Buffer, p.deferred != nil); err != nil {
			return err
		}
		if p.deferred != nil {
			return p.deferred
		}
		if err := overlapError(e.Next()); err != nil {
			return err
		}
		if b.GetString("purchase") != "" && !platform.IsImported(e.Context) {
			if err := s.credits.Spend(tx, b, now, moved); err != nil { // rule 6
				return err
			}
		}
		if !platform.IsImported(e.Context) {
			if err := checkUnpaidCap(tx, b, p.school, now); err != nil {
				return err
			}
		}
		if notifies {
			var err error
			created, err = s.RecordChange(tx, b, nil, EventBookingCreated, actor)
			return err
		}
		return nil
	})
	if err == nil && created != nil {
		// in an outer transaction (a batch request) this may run before
		// the commit: the writer waits for it, and writes nothing if it
		// rolls back
		s.notifyLater(original, created)
	}
	return err
}

// overlapError turns the database backstop's refusal (see the overlap
// triggers in migrations) into the rule's own error.
func overlapError(err error) error {
	if err != nil && strings.Contains(err.Error(), "booking_overlap") {
		return platform.RuleError(http.StatusConflict, "start", schedule.CodeSlotConflict, "That time is no longer free.")
	}
	return err
}

// prepared is a booking that passed the checks that need no lock.
type prepared struct {
	tutor    *platform.Tutor
	school   *platform.School
	deferred error // notice or advance: reported only if no overlap is found
}

// bookingOpts are how trusted code creates bookings.
type bookingOpts struct {
	imported  bool // skip the policy (see Imported)
	confirmed bool // start confirmed whatever the tutor's auto_confirm
}

// prepareBooking fills the server-owned fields and checks rules 1 to 3
// and 5 of DESIGN.md; it reads but does not lock.
func prepareBooking(app core.App, b *core.Record, now time.Time, opts bookingOpts) (*prepared, error) {
	imported := opts.imported
	start, end := b.GetDateTime("start").Time(), b.GetDateTime("end").Time()
	if err := checkTimes(start, end); err != nil {
		return nil, err
	}
	t, err := platform.LoadTutor(app, b.GetString("tutor"))
	if err != nil {
		return nil, platform.RuleError(http.StatusBadRequest, "tutor", "validation_missing_rel_records", "Unknown tutor.")
	}
	student, err := platform.LoadPerson(app, b.GetString("student"))
	if err != nil {
		return nil, platform.RuleError(http.StatusBadRequest, "student", "validation_missing_rel_records", "Unknown student.")
	}
	if student.Id == t.User || student.Role != platform.RoleStudent {
		return nil, platform.RuleError(http.StatusBadRequest, "student", "not_a_student", "Lessons are booked for a student account.")
	}
	school, err := platform.LoadSchool(app)
	if err != nil {
		return nil, err
	}
	var purchase *core.Record
	if id := b.GetString("purchase"); id != "" {
		if purchase, err = app.FindRecordById("purchases", id); err != nil {
			return nil, credits.NoCredit("Unknown purchase.")
		}
	}
	fillBooking(b, t, student.Name, purchase, school, opts)
	p := &prepared{tutor: t, school: school}
	if imported {
		return p, nil
	}
	setPayBy(app, b, school, now)
	if !t.Bookable() {
		return nil, platform.RuleError(http.StatusBadRequest, "tutor", CodeTutorUnavailable, "This tutor is not taking bookings.")
	}
	cal, err := availability.Calendar(app, t, school, start, end, false) // overlaps are checked under the write lock
	if err != nil {
		return nil, err
	}
	err = cal.Check(schedule.Interval{Start: start, End: end}, nil, now)
	var re *schedule.RuleError
	if errors.As(err, &re) && (re.Code == schedule.CodeTooSoon || re.Code == schedule.CodeTooFar) {
		p.deferred = scheduleError(re)
		return p, nil
	}
	if re != nil {
		return nil, scheduleError(re)
	}
	return p, err
}

func checkTimes(start, end time.Time) error {
	errs := validation.Errors{}
	if start.IsZero() {
		errs["start"] = validation.NewError("validation_required", "A start time (UTC, RFC 3339) is required.")
	}
	if end.IsZero() {
		errs["end"] = validation.NewError("validation_required", "An end time (UTC, RFC 3339) is required.")
	}
	if len(errs) > 0 {
		return apis.NewBadRequestError("Failed to create record.", errs)
	}
	if !end.After(start) || end.Sub(start) > platform.MaxLesson {
		return platform.RuleError(http.StatusBadRequest, "end", schedule.CodeBadLength, "The lesson must end after it starts and last at most 8 hours.")
	}
	return nil
}

// fillBooking sets the server-owned fields of a new booking.
func fillBooking(b *core.Record, t *platform.Tutor, studentName string, purchase *core.Record, school *platform.School, opts bookingOpts) {
	imported := opts.imported
	b.Set("tutor_user", t.User)
	b.Set("tutor_name", t.Name)
	b.Set("student_name", studentName)
	if !imported || b.GetString("status") == "" {
		status := platform.StatusPending
		if t.AutoConfirm || opts.confirmed {
			status = platform.StatusConfirmed
		}
		b.Set("status", status)
	}
	switch {
	case imported && b.GetInt("price") > 0:
	case purchase != nil:
		b.Set("price", credits.Price(purchase))
	default:
		minutes := int64(b.GetDateTime("end").Time().Sub(b.GetDateTime("start").Time()) / time.Minute)
		b.Set("price", billing.LessonPrice(t.HourlyRate, minutes))
	}
	if !imported || b.GetString("payment_status") == "" {
		switch {
		case purchase != nil:
			b.Set("payment_status", "credit")
		case b.GetInt("price") == 0:
			b.Set("payment_status", "free")
		default:
			b.Set("payment_status", "unpaid")
		}
	}
	if b.GetString("currency") == "" {
		currency := t.Currency
		if purchase != nil {
			currency = purchase.GetString("currency")
		}
		if currency == "" {
			currency = school.Currency
		}
		b.Set("currency", currency)
	}
	if b.GetString("status") == platform.StatusConfirmed && b.GetString("meeting_url") == "" {
		b.Set("meeting_url", meetingURL(t))
	}
}

// meetingURL is the tutor's own link, or a new unguessable Jitsi room
// (24 random characters, about 124 bits).
func meetingURL(t *platform.Tutor) string {
	if t.MeetingURL != "" {
		return t.MeetingURL
	}
	return JitsiBase + "tutorbase-" + security.RandomStringWithAlphabet(24, "abcdefghijklmnopqrstuvwxyz0123456789")
}

// checkConflicts is rule 4, run inside the write transaction: no active
// booking of the tutor within the buffer, none of the student at all. The
// overlap triggers refuse a plain overlap of either party at the INSERT
// (overlapError reports it as this rule), so only what they cannot see is
// read here: the tutor's buffer. With all (the booking breaks a notice
// rule, and a conflict is reported first), both parties are read.
func checkConflicts(tx core.App, b *core.Record, buffer time.Duration, all bool) error {
	start, end := b.GetDateTime("start").Time(), b.GetDateTime("end").Time()
	n := 0
	var err error
	if buffer > 0 || all {
		n, err = countActive(tx, "tutor", b.GetString("tutor"), start.Add(-buffer), end.Add(buffer), b.Id)
		if err != nil {
			return err
		}
	}
	if n == 0 && all {
		n, err = countActive(tx, "student", b.GetString("student"), start, end, b.Id)
		if err != nil {
			return err
		}
	}
	if n > 0 {
		return platform.RuleError(http.StatusConflict, "start", schedule.CodeSlotConflict, "That time is no longer free.")
	}
	return nil
}

func countActive(app core.App, party, id string, from, to time.Time, exclude string) (int, error) {
	var n int
	// start > from − maxLesson bounds the index range (lessons never last
	// longer, see migrations.MaxLessonHours)
	err := app.DB().Select("count(*)").From("bookings").Where(dbx.NewExp(
		"[["+party+"]] = {:id} AND start > {:floor} AND start < {:to} AND \"end\" > {:from} AND status IN "+platform.ActiveStatusesSQL+" AND id != {:exclude}",
		dbx.Params{"id": id, "floor": platform.DBTime(from.Add(-platform.MaxLesson)), "from": platform.DBTime(from), "to": platform.DBTime(to), "exclude": exclude},
	)).Row(&n)
	return n, err
}

// bookingUpdateRequest: through the records API a booking's notes are all
// that changes; the rest goes through the action routes.
func bookingUpdateRequest(e *core.RecordRequestEvent) error {
	if e.HasSuperuserAuth() {
		return e.Next()
	}
	errs := validation.Errors{}
	for _, f := range e.Collection.Fields.FieldNames() {
		if slices.Contains(bookingNoteFields, f) {
			continue
		}
		if e.Record.GetString(f) != e.Record.Original().GetString(f) {
			errs[f] = validation.NewError("read_only", "Use the booking actions (confirm, cancel, reschedule) to change this.")
		}
	}
	if len(errs) > 0 {
		return apis.NewBadRequestError("Failed to update record.", errs)
	}
	return e.Next()
}

// bookingUpdate keeps every write path to the lifecycle: times and parties
// never change, statuses only move forward. A status change is a
// compare-and-set: inside the write transaction the stored status must
// still be the one the writer read (the record's original), so of N
// writers racing from one state only the first moves it; the others get
// bad_state and their transaction (credit, refund, notification) rolls
// back with it.
func bookingUpdate(e *core.RecordEvent) error {
	original := e.App
	defer func() { e.App = original }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		stored, err := tx.FindRecordById(e.Record.Collection(), e.Record.Id) // under the write lock
		if err != nil {
			return err
		}
		errs := validation.Errors{}
		for _, f := range bookingImmutable {
			if e.Record.GetString(f) != stored.GetString(f) {
				errs[f] = validation.NewError("immutable", "A booking's tutor, student and time never change; reschedule instead.")
			}
		}
		read, from, to := e.Record.Original().GetString("status"), stored.GetString("status"), e.Record.GetString("status")
		if e.Record.Original().IsNew() {
			read = from
		}
		switch {
		case read != to && read != from:
			return platform.RuleError(http.StatusBadRequest, "status", platform.CodeBadState, "This lesson changed meanwhile (it is now "+from+"); reload it.")
		case from != to && !slices.Contains(transitions[from], to):
			errs["status"] = validation.NewError(platform.CodeBadState, "A "+from+" booking cannot become "+to+".")
		}
		if len(errs) > 0 {
			return errs
		}
		return overlapError(e.Next())
	})
}

func scheduleError(re *schedule.RuleError) *router.ApiError {
	status := http.StatusBadRequest
	if re.Code == schedule.CodeSlotConflict {
		status = http.StatusConflict
	}
	return platform.RuleError(status, re.Field, re.Code, re.Message)
}
