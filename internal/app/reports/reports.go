package reports

import (
	"math"
	"net/http"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// MaxReportSpan is the longest period a report covers.
const MaxReportSpan = 400 * 24 * time.Hour

// query is what one report is asked for: the period [from, to) (midnights
// in the school's zone), optionally one tutor (a tutors id) and one subject,
// and for revenue the grouping.
type query struct {
	from, to       time.Time
	loc            *time.Location
	tutor, subject string
	by             string // revenue: week (default), tutor, subject, package
}

// report builds the rows of one named report.
type report struct {
	columns []string
	filters bool // whether tutor= and subject= apply
	build   func(s *Service, app core.App, q query) ([]map[string]any, error)
}

var reports = map[string]report{
	"bookings":      {[]string{"week", "start", "total", "completed", "cancelled", "late_cancelled", "no_show"}, true, (*Service).bookingsReport},
	"revenue":       {revenueWeekColumns, true, (*Service).revenueReport},
	"cancellations": {[]string{"week", "start", "by_student", "by_student_late", "by_tutor", "by_staff", "expired"}, true, (*Service).cancellationsReport},
	"notifications": {[]string{"channel", "sent", "failed", "queued", "skipped", "delivery_rate", "read_rate"}, false, (*Service).notificationsReport},
	"conversion":    {[]string{"stage", "people", "of_previous"}, true, (*Service).conversionReport},
	"utilisation":   {[]string{"week", "start", "tutor", "name", "available_hours", "booked_hours", "utilisation"}, true, (*Service).utilisationReport},
	"retention":     {retentionColumns, true, (*Service).retentionReport},
	"tutors":        {tutorsColumns, true, (*Service).tutorsReport},
	"students":      {studentsColumns, true, (*Service).studentsReport},
}

// Names lists the reports (the benchmark walks them).
func Names() []string {
	return []string{"bookings", "revenue", "cancellations", "notifications", "conversion", "utilisation", "retention", "tutors", "students"}
}

// Report answers a staff report as JSON, CSV (format=csv) or PDF
// (format=pdf), all three from the same rows. Weeks are ISO weeks and
// months calendar months in the school's zone; from and to are dates there
// (to exclusive), by default the last 12 weeks.
func (s *Service) Report(e *core.RequestEvent) error {
	name := e.Request.PathValue("name")
	r, ok := reports[name]
	if !ok {
		return e.NotFoundError("Unknown report.", nil)
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	q, err := s.parseQuery(e, school.Location, r.filters, name == "revenue")
	if err != nil {
		return err
	}
	rows, err := r.build(s, e.App, q)
	if err != nil {
		return err
	}
	columns := r.columns
	if name == "revenue" && q.by != "week" {
		columns = revenueGroupColumns
	}
	switch e.Request.URL.Query().Get("format") {
	case "csv":
		return writeCSV(e, name, columns, rows)
	case "pdf":
		return s.writePDF(e, name, q, columns, rows)
	}
	return e.JSON(http.StatusOK, map[string]any{"name": name, "from": q.from.In(q.loc).Format(time.DateOnly),
		"to": q.to.In(q.loc).Format(time.DateOnly), "tutor": q.tutor, "subject": q.subject, "rows": rows})
}

// parseQuery reads the period, the filters, the format and the grouping,
// refusing each bad one with a field error.
func (s *Service) parseQuery(e *core.RequestEvent, loc *time.Location, filters, grouped bool) (query, error) {
	v := e.Request.URL.Query()
	now := s.env.Now().In(loc)
	monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, loc)
	q := query{to: monday.AddDate(0, 0, 7), from: monday.AddDate(0, 0, -77), loc: loc, tutor: v.Get("tutor"), subject: v.Get("subject"), by: v.Get("by")}
	errs := validation.Errors{}
	parse := func(key string, dst *time.Time) {
		if s := v.Get(key); s != "" {
			d, err := time.ParseInLocation(time.DateOnly, s, loc)
			if err != nil {
				errs[key] = validation.NewError("validation_invalid_date", "Use a date like 2027-03-01.")
				return
			}
			*dst = d
		}
	}
	parse("from", &q.from)
	parse("to", &q.to)
	if len(errs) == 0 && !q.from.Before(q.to) {
		errs["to"] = validation.NewError("invalid_range", "to must be after from.")
	}
	if len(errs) == 0 && q.to.Sub(q.from) > MaxReportSpan {
		errs["to"] = validation.NewError("range_too_long", "A report covers at most 400 days.")
	}
	if f := v.Get("format"); f != "" && f != "json" && f != "csv" && f != "pdf" {
		errs["format"] = validation.NewError("bad_format", "Choose json, csv or pdf.")
	}
	switch {
	case !grouped && q.by != "":
		errs["by"] = validation.NewError("filter_not_supported", "This report cannot be grouped.")
	case q.by == "":
		q.by = "week"
	case q.by != "week" && q.by != "tutor" && q.by != "subject" && q.by != "package":
		errs["by"] = validation.NewError("bad_group", "Group by week, tutor, subject or package.")
	}
	s.checkFilter(e.App, errs, filters, "tutor", "tutors", q.tutor, "Unknown tutor.")
	s.checkFilter(e.App, errs, filters, "subject", "subjects", q.subject, "Unknown subject.")
	if len(errs) > 0 {
		return q, apis.NewBadRequestError("Invalid report query.", errs)
	}
	return q, nil
}

func (s *Service) checkFilter(app core.App, errs validation.Errors, allowed bool, key, collection, id, unknown string) {
	if id == "" {
		return
	}
	if !allowed {
		errs[key] = validation.NewError("filter_not_supported", "This report cannot be filtered by tutor or subject.")
		return
	}
	var n int
	if err := app.DB().Select("COUNT(*)").From(collection).Where(dbx.HashExp{"id": id}).Row(&n); err != nil || n == 0 {
		errs[key] = validation.NewError("validation_missing_rel_records", unknown)
	}
}

// bookingFilter is the SQL condition (with a leading AND) and its
// parameters that keep a query on bookings, alias b, to the query's tutor
// and subject.
func bookingFilter(q query, p dbx.Params) string {
	cond := ""
	if q.tutor != "" {
		cond += " AND b.tutor = {:tutor}"
		p["tutor"] = q.tutor
	}
	if q.subject != "" {
		cond += " AND b.subject = {:subject}"
		p["subject"] = q.subject
	}
	return cond
}

// period is the query's period as SQL parameters.
func period(q query) dbx.Params {
	return dbx.Params{"from": platform.DBTime(q.from), "to": platform.DBTime(q.to)}
}

// ratio is n/d rounded to 3 decimals, nil when d is 0.
func ratio(n, d float64) any {
	if d == 0 {
		return nil
	}
	return round3(n / d)
}

func round3(f float64) float64 {
	return math.Round(f*1000) / 1000
}

func monthOf(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01") }
