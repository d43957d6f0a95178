package availability

import (
	"errors"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/match"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// maxTimeOff is the longest single time-off entry.
const maxTimeOff = 366 * 24 * time.Hour

// Register binds the availability capability: the rules of weekly windows
// and time off, and the windows cache's invalidation.
func Register(app core.App) {
	platform.OneLine(app, "time_off", "reason")
	platform.Guard(app, "availability", platform.FieldGuard{Server: []string{"tutor_user"}, Immutable: []string{"tutor"}})
	platform.Guard(app, "time_off", platform.FieldGuard{Server: []string{"tutor_user"}, Immutable: []string{"tutor"}})
	registerRules(app)
	// tutors' weekly windows are cached between writes; any change to
	// availability, a tutor (their zone) or the school (its zone, step)
	// clears them, whatever the path (API, dashboard, jobs)
	cache := match.NewWindowCache()
	app.Store().Set(windowCacheKey, cache)
	forget := func(e *core.RecordEvent) error {
		cache.Clear()
		return e.Next()
	}
	for _, c := range []string{"availability", "tutors", "school"} {
		app.OnRecordAfterCreateSuccess(c).BindFunc(forget)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(forget)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(forget)
	}
}

// registerRules validates a tutor's weekly windows and time off on
// every write path. Windows are "HH:MM" local times in the window's zone
// (default: the tutor's); an end at or before the start crosses midnight
// (22:00-02:00); windows of one tutor never overlap.
func registerRules(app core.App) {
	fillZone := func(e *core.RecordEvent) error {
		if e.Record.GetString("timezone") == "" {
			if t, err := e.App.FindRecordById("tutors", e.Record.GetString("tutor")); err == nil {
				e.Record.Set("timezone", t.GetString("timezone"))
			}
		}
		// the overlap check reads the tutor's other windows: one writer at a
		// time (a window with other problems overlaps nothing: its own
		// errors are all told)
		return platform.InTx(e, func() error { return checkWindowOverlap(e.App, e.Record) })
	}
	app.OnRecordCreate("availability").BindFunc(fillZone)
	app.OnRecordUpdate("availability").BindFunc(fillZone)

	app.OnRecordValidate("availability").BindFunc(func(e *core.RecordEvent) error {
		return platform.MergeErrors(e.Next(), windowErrors(e.App, e.Record))
	})

	app.OnRecordValidate("time_off").BindFunc(func(e *core.RecordEvent) error {
		errs := validation.Errors{}
		start, end := e.Record.GetDateTime("start").Time(), e.Record.GetDateTime("end").Time()
		if !start.IsZero() && !end.IsZero() {
			if !end.After(start) {
				errs["end"] = validation.NewError("invalid_range", "Time off must end after it starts.")
			} else if end.Sub(start) > maxTimeOff {
				errs["end"] = validation.NewError("invalid_range", "One time-off entry lasts at most a year; add another for more.")
			}
		}
		return platform.MergeErrors(e.Next(), errs)
	})
}

// windowErrors is every field error of an availability record's window.
func windowErrors(app core.App, r *core.Record) validation.Errors {
	errs := validation.Errors{}
	w, err := windowOf(app, r)
	var re *schedule.RuleError
	switch {
	case err == nil:
	case errors.As(err, &re): // only Validate's: the window read, each thing wrong with it
		for _, p := range w.Problems() {
			errs[p.Field] = validation.NewError(p.Code, p.Message)
		}
	default: // windowFromRow's: the zone (a clock that does not parse is the field pattern's)
		errs["timezone"] = validation.NewError("invalid_timezone", "Unknown time zone; use an IANA name such as Europe/Rome.")
	}
	return errs
}

// windowOf reads an availability record as a schedule.Window and validates
// it.
func windowOf(app core.App, r *core.Record) (schedule.Window, error) {
	w, err := windowFromRow(app, windowRow{
		Weekday: r.GetInt("weekday"), Start: r.GetString("start"), End: r.GetString("end"),
		Timezone: r.GetString("timezone"), ValidFrom: r.GetString("valid_from"), ValidUntil: r.GetString("valid_until"),
	}, nil)
	if err != nil {
		if r.GetString("timezone") == "" {
			return w, err
		}
		if _, lerr := platform.Location(app, r.GetString("timezone")); lerr != nil {
			return w, lerr
		}
		// a clock that does not parse: the field pattern reports it
		return w, nil
	}
	return w, w.Validate()
}

func checkWindowOverlap(app core.App, r *core.Record) error {
	mine, err := windowOf(app, r)
	if err != nil || mine.Validate() != nil {
		return nil // validation reports it
	}
	var rows []windowRow
	err = app.DB().Select("weekday", "start", "end", "timezone", "valid_from", "valid_until").From("availability").
		Where(dbx.NewExp("tutor = {:tutor} AND id != {:id}", dbx.Params{"tutor": r.GetString("tutor"), "id": r.Id})).All(&rows)
	if err != nil {
		return err
	}
	ws := []schedule.Window{mine}
	for _, row := range rows {
		if w, err := windowFromRow(app, row, mine.Location); err == nil {
			ws = append(ws, w)
		}
	}
	if i, j, ok := schedule.Overlapping(ws); ok && (i == 0 || j == 0) {
		other := ws[max(i, j)]
		return validation.Errors{"start": validation.NewError("overlapping_window",
			"This window overlaps another one ("+weekdayName(other.Weekday)+" "+other.Start.String()+"-"+other.End.String()+").")}
	}
	return nil
}

func weekdayName(d int) string {
	return [...]string{"", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}[min(max(d, 0), 7)]
}

// windowCacheKey holds the app's match.WindowCache in its store.
const windowCacheKey = "tutorbase.discovery.windows"
