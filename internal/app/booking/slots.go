package booking

import (
	"net/http"
	"slices"
	"strconv"
	"time"
	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// MaxSlotsSpan is the widest range the slots route answers.
const MaxSlotsSpan = 62 * 24 * time.Hour

// SlotJSON is one free lesson in the slots answer.
type SlotJSON struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// SlotsJSON is the answer of GET /api/tutors/{id}/slots.
type SlotsJSON struct {
	Tutor    string     `json:"tutor"`
	Timezone string     `json:"timezone"`
	Minutes  int        `json:"minutes"`
	Slots    []SlotJSON `json:"slots"`
}

// Slots lists a verified, active tutor's free lessons. It is public
// and never says who booked the taken times. A tutor not yet verified (or
// suspended) is unknown to everyone but themselves and staff, who may
// preview the slots their availability gives.
func (s *Service) Slots(e *core.RequestEvent) error {
	t, err := platform.LoadTutor(e.App, e.Request.PathValue("id"))
	if err != nil || (!t.Bookable() && !platform.IsStaff(e) && (e.Auth == nil || e.Auth.Id != t.User)) {
		return e.NotFoundError("", nil)
	}
	q := e.Request.URL.Query()
	errs := validation.Errors{}
	from, ferr := platform.ParseInstant(q.Get("from"))
	if ferr != nil {
		errs["from"] = ferr
	}
	to, terr := platform.ParseInstant(q.Get("to"))
	if terr != nil {
		errs["to"] = terr
	}
	if len(errs) == 0 && !from.Before(to) {
		errs["to"] = validation.NewError("invalid_range", "to must be after from.")
	}
	if len(errs) == 0 && to.Sub(from) > MaxSlotsSpan {
		errs["to"] = validation.NewError("range_too_long", "Ask for at most 62 days at a time.")
	}
	minutes := defaultMinutes(t.Lengths)
	if s := q.Get("minutes"); s != "" {
		m, err := strconv.Atoi(s)
		if err != nil || !slices.Contains(t.Lengths, m) {
			errs["minutes"] = validation.NewError(CodeBadLengthParam, "This tutor teaches lessons of "+joinInts(t.Lengths)+" minutes.")
		}
		minutes = m
	}
	if len(errs) > 0 {
		return apis.NewBadRequestError("Invalid slots query.", errs)
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	cal, err := availability.Calendar(e.App, t, school, from, to, true)
	if err != nil {
		return err
	}
	free := cal.Slots(from, to, time.Duration(minutes)*time.Minute, s.env.Now())
	out := SlotsJSON{Tutor: t.Id, Timezone: t.Location.String(), Minutes: minutes, Slots: make([]SlotJSON, len(free))}
	for i, s := range free {
		out.Slots[i] = SlotJSON{Start: s.Start.UTC().Format(time.RFC3339), End: s.End.UTC().Format(time.RFC3339)}
	}
	return e.JSON(http.StatusOK, out)
}

// CodeBadLengthParam is the slots route's answer to a length the tutor does
// not teach (the booking rule's own code).
const CodeBadLengthParam = "bad_length"

// defaultMinutes is the length shown when a client does not ask: an hour if
// the tutor teaches it, else their first length.
func defaultMinutes(lengths []int) int {
	if slices.Contains(lengths, 60) || len(lengths) == 0 {
		return 60
	}
	return lengths[0]
}

func joinInts(v []int) string {
	s := ""
	for i, n := range v {
		if i > 0 {
			s += ", "
		}
		s += strconv.Itoa(n)
	}
	return s
}
