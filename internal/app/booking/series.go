package booking

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/schedule"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
)

// MinSeriesWeeks and MaxSeriesWeeks bound a weekly series (the web app's
// weeks field says the same).
const (
	MinSeriesWeeks = 2
	MaxSeriesWeeks = 52
)

type seriesBody struct {
	Tutor    string         `json:"tutor"`
	Student  string         `json:"student"`
	Start    types.DateTime `json:"start"`
	End      types.DateTime `json:"end"`
	Weeks    int            `json:"weeks"`
	Subject  string         `json:"subject"`
	Purchase string         `json:"purchase"`
	Notes    string         `json:"notes"`
	// Skip are 0-based occurrences to leave out: after an all-or-nothing
	// refusal, the client may book the weeks that fit.
	Skip []int `json:"skip"`
}

// errSeriesFailed rolls a series back when any occurrence broke a rule.
var errSeriesFailed = errors.New("series rejected")

// CreateSeries books `weeks` weekly lessons at the same local wall-clock time
// in the tutor's zone, all or nothing: when any occurrence breaks a rule
// nothing is written and the answer names each failing occurrence. The
// occurrences in skip are left out (no lesson those weeks).
func (s *Service) CreateSeries(e *core.RequestEvent) error {
	var in seriesBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("The body must be JSON: {tutor, start, end, weeks}.", nil)
	}
	student, err := platform.StudentFor(e, in.Student)
	if err != nil {
		return err
	}
	if in.Weeks < MinSeriesWeeks || in.Weeks > MaxSeriesWeeks {
		return platform.RuleError(http.StatusBadRequest, "weeks", "validation_out_of_range", "A series has 2 to 52 weekly lessons.")
	}
	if err := checkSkip(in.Skip, in.Weeks); err != nil {
		return err
	}
	start, end := in.Start.Time(), in.End.Time()
	if err := checkTimes(start, end); err != nil {
		return err
	}
	t, err := platform.LoadTutor(e.App, in.Tutor)
	if err != nil {
		return platform.RuleError(http.StatusBadRequest, "tutor", "validation_missing_rel_records", "Unknown tutor.")
	}
	series, bookings, ev, err := s.createSeries(e, t, student, in)
	if err != nil {
		return err
	}
	s.notifyLater(e.App, ev)
	for _, b := range bookings {
		if err := apis.EnrichRecord(e, b); err != nil {
			return err
		}
	}
	if err := apis.EnrichRecord(e, series); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"series": series, "bookings": bookings})
}

func (s *Service) createSeries(e *core.RequestEvent, t *platform.Tutor, student string, in seriesBody) (*core.Record, []*core.Record, *BookingEvent, error) {
	start, length := in.Start.Time(), in.End.Time().Sub(in.Start.Time())
	starts := schedule.Weekly(start, t.Location, in.Weeks)
	local := start.In(t.Location)
	seriesCol, err := e.App.FindCachedCollectionByNameOrId("series")
	if err != nil {
		return nil, nil, nil, err
	}
	bookingsCol, err := e.App.FindCachedCollectionByNameOrId("bookings")
	if err != nil {
		return nil, nil, nil, err
	}
	series := core.NewRecord(seriesCol)
	series.Load(map[string]any{
		"tutor": t.Id, "student": student, "subject": in.Subject, "purchase": in.Purchase,
		"weekday": isoWeekday(local.Weekday()), "start_time": local.Format("15:04"), "minutes": int(length / time.Minute),
		"timezone": t.Location.String(), "count": in.Weeks, "until": starts[len(starts)-1], "status": "active",
	})
	failures := validation.Errors{}
	conflict := false
	var bookings []*core.Record
	var created *BookingEvent // one notification for the whole series
	err = e.App.RunInTransaction(func(tx core.App) error {
		if err := tx.Save(series); err != nil {
			return err
		}
		for i, s := range starts {
			if slices.Contains(in.Skip, i) {
				continue
			}
			b := core.NewRecord(bookingsCol)
			b.Load(map[string]any{
				"tutor": t.Id, "student": student, "subject": in.Subject, "purchase": in.Purchase, "notes": in.Notes,
				"series": series.Id, "start": s, "end": s.Add(length),
			})
			if err := tx.SaveWithContext(e.Request.Context(), b); err != nil {
				code, msg := firstFieldError(err)
				conflict = conflict || code == schedule.CodeSlotConflict
				failures[strconv.Itoa(i)] = validation.NewError(code, s.UTC().Format(time.RFC3339)+" "+msg)
				continue
			}
			bookings = append(bookings, b)
		}
		if len(failures) > 0 {
			return errSeriesFailed
		}
		var err error
		created, err = s.RecordChange(tx, bookings[0], nil, EventBookingCreated, platform.ActorID(e))
		return err
	})
	if errors.Is(err, errSeriesFailed) {
		status := http.StatusBadRequest
		if conflict {
			status = http.StatusConflict
		}
		msg := "Some of these lessons cannot be booked; nothing was booked."
		return nil, nil, nil, apis.NewApiError(status, msg, validation.Errors{"occurrences": failures})
	}
	return series, bookings, created, err
}

// firstFieldError reads the code and message of a rule failure.
func firstFieldError(err error) (string, string) {
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		if data, ok := apiErr.RawData().(validation.Errors); ok {
			for _, fe := range data {
				var ve validation.Error
				if errors.As(fe, &ve) {
					return ve.Code(), ve.Message()
				}
			}
		}
		return "invalid", apiErr.Message
	}
	var ve validation.Errors
	if errors.As(err, &ve) {
		for _, fe := range ve {
			var one validation.Error
			if errors.As(fe, &one) {
				return one.Code(), one.Message()
			}
		}
	}
	return "invalid", "This lesson cannot be booked."
}

// isoWeekday is 1 for Monday .. 7 for Sunday.
func isoWeekday(d time.Weekday) int {
	if d == time.Sunday {
		return 7
	}
	return int(d)
}

// checkSkip refuses skipped occurrences outside the series and a series
// that would skip every week.
func checkSkip(skip []int, weeks int) error {
	for _, i := range skip {
		if i < 0 || i >= weeks {
			return platform.RuleError(http.StatusBadRequest, "skip", "validation_out_of_range",
				"Skip names weeks of the series by their 0-based number, from 0 to "+strconv.Itoa(weeks-1)+".")
		}
	}
	left := weeks
	for i := range weeks {
		if slices.Contains(skip, i) {
			left--
		}
	}
	if left == 0 {
		return platform.RuleError(http.StatusBadRequest, "skip", "nothing_to_book", "Every week is skipped: there is nothing to book.")
	}
	return nil
}
