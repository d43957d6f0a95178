package booking

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// party is how the caller relates to a booking.
type party int

const (
	partyNone party = iota
	partyStudent
	partyTutor
	partyStaff
)

// action is one lifecycle route: who may take it, the status it moves a
// booking to (a reschedule cancels the old one), and from which statuses,
// which are those the transitions table lets reach it.
type action struct {
	name   string
	who    []party
	from   []string
	handle func(e *core.RequestEvent, b *core.Record, p party) error
}

// actions are the booking routes, POST /api/bookings/{id}/{name}.
func (s *Service) actions() []action {
	teachers, everyone := []party{partyTutor, partyStaff}, []party{partyStudent, partyTutor, partyStaff}
	return []action{
		{"confirm", teachers, reaching(platform.StatusConfirmed), s.confirmBooking},
		{"cancel", everyone, reaching(platform.StatusCancelled), s.cancelBooking},
		{"reschedule", everyone, reaching(platform.StatusCancelled), s.rescheduleBooking},
		{"complete", teachers, reaching(platform.StatusCompleted), s.completeBooking},
		{"no-show", teachers, reaching(platform.StatusNoShow), s.noShowBooking},
	}
}

// reaching lists the statuses from which a booking may move to status.
func reaching(status string) []string {
	var out []string
	for _, from := range []string{platform.StatusPending, platform.StatusConfirmed, platform.StatusCancelled, platform.StatusCompleted, platform.StatusNoShow} {
		if slices.Contains(transitions[from], status) {
			out = append(out, from)
		}
	}
	return out
}

// Action is the handler of the lifecycle action called name (confirm,
// cancel, reschedule, complete, no-show).
func (s *Service) Action(name string) func(*core.RequestEvent) error {
	for _, a := range s.actions() {
		if a.name == name {
			return a.serve
		}
	}
	panic("booking: no action " + name)
}

// serve answers 404 for a booking the caller may not see, 403 for an action
// their role may not take, 400 bad_state when the status does not allow it.
func (a action) serve(e *core.RequestEvent) error {
	b, err := e.App.FindRecordById("bookings", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	p := partyOf(e, b)
	if p == partyNone {
		return e.NotFoundError("", nil)
	}
	if !slices.Contains(a.who, p) {
		return e.ForbiddenError("You cannot "+a.name+" this booking.", nil)
	}
	if !slices.Contains(a.from, b.GetString("status")) {
		return platform.RuleError(http.StatusBadRequest, "status", platform.CodeBadState, "A "+b.GetString("status")+" booking cannot be "+pastTense(a.name)+".")
	}
	if err := a.handle(e, b, p); err != nil {
		return err
	}
	if p == partyStaff {
		platform.Audit(e, "booking."+a.name, "bookings", b.Id, nil)
	}
	return nil
}

func pastTense(name string) string {
	switch name {
	case "no-show":
		return "marked as a no-show"
	case "cancel":
		return "cancelled"
	default:
		return strings.TrimSuffix(name, "e") + "ed"
	}
}

func partyOf(e *core.RequestEvent, b *core.Record) party {
	switch {
	case platform.IsStaff(e):
		return partyStaff
	case e.Auth.Id == b.GetString("student"):
		return partyStudent
	case e.Auth.Id == b.GetString("tutor_user"):
		return partyTutor
	case e.Auth.GetString("role") == platform.RoleGuardian:
		// a guardian acts for their student, under the student's rules
		if ok, err := platform.IsGuardianOf(e.App, e.Auth.Id, b.GetString("student")); err == nil && ok {
			return partyStudent
		}
	}
	return partyNone
}

func (s *Service) confirmBooking(e *core.RequestEvent, b *core.Record, p party) error {
	t, err := platform.LoadTutor(e.App, b.GetString("tutor"))
	if err != nil {
		return err
	}
	b.Set("status", platform.StatusConfirmed)
	if b.GetString("meeting_url") == "" {
		b.Set("meeting_url", meetingURL(t))
	}
	var ev *BookingEvent
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(b); err != nil {
			return err
		}
		var err error
		ev, err = s.RecordChange(tx, b, nil, EventBookingConfirmed, platform.ActorID(e))
		return err
	})
	if err != nil {
		return err
	}
	s.notifyLater(e.App, ev)
	return platform.Respond(e, b)
}

type cancelBody struct {
	Reason    string `json:"reason" form:"reason"`
	Following bool   `json:"following" form:"following"`
}

// cancelBooking: students until the lesson starts (inside the school's
// cancel window it is a late cancel), tutors and staff any time before it
// is completed. following: this and every later lesson of its series.
func (s *Service) cancelBooking(e *core.RequestEvent, b *core.Record, p party) error {
	var in cancelBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("The body must be JSON: {\"reason\": \"...\"}.", nil)
	}
	if len([]rune(in.Reason)) > 500 {
		return platform.RuleError(http.StatusBadRequest, "reason", "validation_max_text_constraint", "Keep the reason under 500 characters.")
	}
	if in.Following && b.GetString("series") == "" {
		return platform.RuleError(http.StatusBadRequest, "following", "not_in_series", "This lesson is not part of a series.")
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	now := s.env.Now()
	start := b.GetDateTime("start").Time()
	if p == partyStudent && !now.Before(start) {
		return platform.RuleError(http.StatusBadRequest, "start", "too_late", "The lesson has started; ask your tutor or the school.")
	}
	targets := []*core.Record{b}
	var events []*BookingEvent
	var refunds []*core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		events, refunds = events[:0], refunds[:0]
		if in.Following {
			var err error
			if targets, err = followingInSeries(tx, b); err != nil {
				return err
			}
		}
		for _, r := range targets {
			if r.Id == b.Id {
				r = b
			}
			late := p == partyStudent && r.GetDateTime("start").Time().Sub(now) < school.CancelWindow
			ev, refund, err := s.CancelBooking(tx, r, e.Auth, in.Reason, late, cancelActor(p), now)
			if err != nil {
				return err
			}
			events = append(events, ev)
			if refund != nil {
				refunds = append(refunds, refund)
			}
		}
		if in.Following {
			return cancelSeries(tx, b.GetString("series"))
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.notifyLater(e.App, events...)
	s.payments.ProcessRefunds(e.App, refunds...)
	if fresh, err := e.App.FindRecordById("bookings", b.Id); err == nil {
		b = fresh
	}
	return platform.Respond(e, b)
}

// CancelBooking cancels b in tx, the transaction of the cancel, with all
// it owes: who, why, when and whether late; its package credit (a late
// cancel by the student forfeits it, any other returns it); the other
// party's notification (by nil: the school cancels); and the refund the
// policy owes a paid lesson, nil when none. Once tx commits, hand the
// event to notifyLater or WriteChanges and the refund to ProcessRefunds.
func (s *Service) CancelBooking(tx core.App, b *core.Record, by *core.Record, reason string, late bool, policy billing.CancelActor, now time.Time) (*BookingEvent, *core.Record, error) {
	markCancelled(b, by, reason, late, now)
	if err := tx.Save(b); err != nil {
		return nil, nil, err
	}
	if b.GetString("purchase") != "" {
		if err := credits.Release(tx, b, late); err != nil {
			return nil, nil, err
		}
	}
	actor := ""
	if by != nil && !by.IsSuperuser() {
		actor = by.Id
	}
	ev, err := s.RecordChange(tx, b, nil, EventBookingCancelled, actor)
	if err != nil {
		return nil, nil, err
	}
	refund, err := payments.PolicyRefund(tx, b, policy)
	return ev, refund, err
}

func cancelActor(p party) billing.CancelActor {
	switch p {
	case partyTutor:
		return billing.ByTutor
	case partyStaff:
		return billing.ByAdmin
	}
	return billing.ByStudent
}

func markCancelled(b *core.Record, by *core.Record, reason string, late bool, now time.Time) {
	b.Set("status", platform.StatusCancelled)
	if by != nil && !by.IsSuperuser() {
		b.Set("cancelled_by", by.Id)
	}
	b.Set("cancel_reason", reason)
	b.Set("cancelled_at", now)
	b.Set("late_cancel", late)
}

// followingInSeries lists b and the active lessons after it in its series.
func followingInSeries(app core.App, b *core.Record) ([]*core.Record, error) {
	return app.FindRecordsByFilter("bookings",
		"series = {:series} && start >= {:start} && (status = 'pending' || status = 'confirmed')", "start", 0, 0,
		dbx.Params{"series": b.GetString("series"), "start": b.GetString("start")})
}

func cancelSeries(app core.App, id string) error {
	s, err := app.FindRecordById("series", id)
	if err != nil {
		return err
	}
	s.Set("status", "cancelled")
	return app.Save(s)
}

type rescheduleBody struct {
	Start types.DateTime `json:"start" form:"start"`
	End   types.DateTime `json:"end" form:"end"`
}

// confirmedKey marks the context of a booking created already confirmed (a
// reschedule chosen by the tutor or staff).
type confirmedKey struct{}

// movedKey marks the context of a rescheduled booking that carries the old
// lesson's package credit.
type movedKey struct{}

// rescheduleBooking cancels b and books the new time in one transaction,
// under the same rules; the new booking may overlap b's old slot.
func (s *Service) rescheduleBooking(e *core.RequestEvent, b *core.Record, p party) error {
	var in rescheduleBody
	if err := e.BindBody(&in); err != nil {
		return apis.NewBadRequestError("Failed to read the new time.", validation.Errors{
			"start": validation.NewError("validation_invalid_date", "Send {\"start\": ..., \"end\": ...} as UTC RFC 3339 instants."),
		})
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	now := s.env.Now()
	if p == partyStudent && b.GetDateTime("start").Time().Sub(now) < school.CancelWindow {
		return platform.RuleError(http.StatusBadRequest, "start", "too_late",
			"Lessons can be moved up to "+hoursText(school.CancelWindow)+" before they start; ask your tutor.")
	}
	col, err := e.App.FindCachedCollectionByNameOrId("bookings")
	if err != nil {
		return err
	}
	nb := core.NewRecord(col)
	for _, f := range []string{"tutor", "student", "subject", "purchase", "notes", "series"} {
		nb.Set(f, b.Get(f))
	}
	nb.Set("start", in.Start)
	nb.Set("end", in.End)
	nb.Set("rescheduled_from", b.Id)
	ctx := e.Request.Context()
	if p != partyStudent {
		ctx = context.WithValue(ctx, confirmedKey{}, true)
	}
	if b.GetString("purchase") != "" {
		ctx = context.WithValue(ctx, movedKey{}, true)
	}
	var ev *BookingEvent
	err = e.App.RunInTransaction(func(tx core.App) error {
		markCancelled(b, e.Auth, notify.ReasonRescheduled, false, now)
		if err := tx.Save(b); err != nil {
			return err
		}
		if err := tx.SaveWithContext(ctx, nb); err != nil {
			return err
		}
		var err error
		ev, err = s.RecordChange(tx, nb, b, EventBookingRescheduled, platform.ActorID(e))
		return err
	})
	if err != nil {
		return err
	}
	s.notifyLater(e.App, ev)
	return platform.Respond(e, nb)
}

func hoursText(d time.Duration) string {
	h := int(d / time.Hour)
	if h == 1 {
		return "1 hour"
	}
	return strconv.Itoa(h) + " hours"
}

func (s *Service) completeBooking(e *core.RequestEvent, b *core.Record, p party) error {
	if s.env.Now().Before(b.GetDateTime("end").Time()) {
		return platform.RuleError(http.StatusBadRequest, "end", "too_soon", "A lesson is completed once it has ended.")
	}
	b.Set("status", platform.StatusCompleted)
	if err := e.App.Save(b); err != nil {
		return err
	}
	return platform.Respond(e, b)
}

func (s *Service) noShowBooking(e *core.RequestEvent, b *core.Record, p party) error {
	if s.env.Now().Before(b.GetDateTime("start").Time()) {
		return platform.RuleError(http.StatusBadRequest, "start", "too_soon", "A no-show is recorded once the lesson has started.")
	}
	b.Set("status", platform.StatusNoShow)
	if err := e.App.Save(b); err != nil {
		return err
	}
	return platform.Respond(e, b)
}
