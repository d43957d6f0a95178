package reports

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// MaxReportSpan is the longest period a report covers.
const MaxReportSpan = 400 * 24 * time.Hour

// report builds the rows of one named report for [from, to) in loc.
type report struct {
	columns []string
	build   func(s *Service, app core.App, from, to time.Time, loc *time.Location) ([]map[string]any, error)
}

var reports = map[string]report{
	"bookings":      {[]string{"week", "start", "total", "completed", "cancelled", "late_cancelled", "no_show"}, (*Service).bookingsReport},
	"revenue":       {[]string{"week", "start", "currency", "paid", "refunded", "net"}, (*Service).revenueReport},
	"cancellations": {[]string{"week", "start", "by_student", "by_student_late", "by_tutor", "by_staff", "expired"}, (*Service).cancellationsReport},
	"notifications": {[]string{"channel", "sent", "failed", "queued", "skipped", "read_rate"}, (*Service).notificationsReport},
}

// Report answers an admin report as JSON, or CSV with format=csv.
// Weeks are ISO weeks in the school's zone; from and to are dates there
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
	from, to, err := s.reportPeriod(e, school.Location)
	if err != nil {
		return err
	}
	rows, err := r.build(s, e.App, from, to, school.Location)
	if err != nil {
		return err
	}
	if e.Request.URL.Query().Get("format") == "csv" {
		return writeCSV(e, name, r.columns, rows)
	}
	return e.JSON(http.StatusOK, map[string]any{"name": name, "from": from.In(school.Location).Format(time.DateOnly),
		"to": to.In(school.Location).Format(time.DateOnly), "rows": rows})
}

func (s *Service) reportPeriod(e *core.RequestEvent, loc *time.Location) (time.Time, time.Time, error) {
	q := e.Request.URL.Query()
	now := s.env.Now().In(loc)
	monday := time.Date(now.Year(), now.Month(), now.Day()-(int(now.Weekday())+6)%7, 0, 0, 0, 0, loc)
	to, from := monday.AddDate(0, 0, 7), monday.AddDate(0, 0, -77)
	errs := validation.Errors{}
	parse := func(key string, dst *time.Time) {
		if s := q.Get(key); s != "" {
			d, err := time.ParseInLocation(time.DateOnly, s, loc)
			if err != nil {
				errs[key] = validation.NewError("validation_invalid_date", "Use a date like 2027-03-01.")
				return
			}
			*dst = d
		}
	}
	parse("from", &from)
	parse("to", &to)
	if len(errs) == 0 && !from.Before(to) {
		errs["to"] = validation.NewError("invalid_range", "to must be after from.")
	}
	if len(errs) == 0 && to.Sub(from) > MaxReportSpan {
		errs["to"] = validation.NewError("range_too_long", "A report covers at most 400 days.")
	}
	if len(errs) > 0 {
		return from, to, apis.NewBadRequestError("Invalid report period.", errs)
	}
	return from, to, nil
}

// weeks lists the ISO weeks of [from, to) as empty rows keyed by week.
func weeks(from, to time.Time, loc *time.Location) ([]map[string]any, func(time.Time) map[string]any) {
	var rows []map[string]any
	index := map[string]map[string]any{}
	start := from.In(loc)
	start = time.Date(start.Year(), start.Month(), start.Day()-(int(start.Weekday())+6)%7, 0, 0, 0, 0, loc)
	for d := start; d.Before(to); d = d.AddDate(0, 0, 7) {
		y, w := d.ISOWeek()
		key := fmt.Sprintf("%d-W%02d", y, w)
		row := map[string]any{"week": key, "start": d.Format(time.DateOnly)}
		rows = append(rows, row)
		index[key] = row
	}
	return rows, func(t time.Time) map[string]any {
		y, w := t.In(loc).ISOWeek()
		return index[fmt.Sprintf("%d-W%02d", y, w)]
	}
}

func add(row map[string]any, key string, n int64) {
	if row == nil {
		return
	}
	v, _ := row[key].(int64)
	row[key] = v + n
}

type bookingRow struct {
	Start       types.DateTime `db:"start"`
	Status      string         `db:"status"`
	LateCancel  bool           `db:"late_cancel"`
	CancelledBy string         `db:"cancelled_by"`
	Student     string         `db:"student"`
	TutorUser   string         `db:"tutor_user"`
	Reason      string         `db:"cancel_reason"`
}

func loadBookingRows(app core.App, from, to time.Time) ([]bookingRow, error) {
	var rows []bookingRow
	err := app.DB().Select("start", "status", "late_cancel", "cancelled_by", "student", "tutor_user", "cancel_reason").From("bookings").
		Where(dbx.NewExp("start >= {:from} AND start < {:to}", dbx.Params{"from": platform.DBTime(from), "to": platform.DBTime(to)})).All(&rows)
	return rows, err
}

func (s *Service) bookingsReport(app core.App, from, to time.Time, loc *time.Location) ([]map[string]any, error) {
	rows, find := weeks(from, to, loc)
	for _, r := range rows {
		for _, k := range []string{"total", "completed", "cancelled", "late_cancelled", "no_show"} {
			r[k] = int64(0)
		}
	}
	list, err := loadBookingRows(app, from, to)
	if err != nil {
		return nil, err
	}
	for _, b := range list {
		row := find(b.Start.Time())
		add(row, "total", 1)
		switch b.Status {
		case platform.StatusCompleted:
			add(row, "completed", 1)
		case platform.StatusNoShow:
			add(row, "no_show", 1)
		case platform.StatusCancelled:
			add(row, "cancelled", 1)
			if b.LateCancel {
				add(row, "late_cancelled", 1)
			}
		}
	}
	return rows, nil
}

func (s *Service) cancellationsReport(app core.App, from, to time.Time, loc *time.Location) ([]map[string]any, error) {
	rows, find := weeks(from, to, loc)
	for _, r := range rows {
		for _, k := range []string{"by_student", "by_student_late", "by_tutor", "by_staff", "expired"} {
			r[k] = int64(0)
		}
	}
	list, err := loadBookingRows(app, from, to)
	if err != nil {
		return nil, err
	}
	for _, b := range list {
		if b.Status != platform.StatusCancelled || b.Reason == "rescheduled" {
			continue
		}
		row := find(b.Start.Time())
		switch {
		case b.Reason == "expired" && b.CancelledBy == "":
			add(row, "expired", 1)
		case b.CancelledBy == b.Student && b.LateCancel:
			add(row, "by_student_late", 1)
		case b.CancelledBy == b.Student:
			add(row, "by_student", 1)
		case b.CancelledBy == b.TutorUser:
			add(row, "by_tutor", 1)
		default:
			add(row, "by_staff", 1)
		}
	}
	return rows, nil
}

func (s *Service) revenueReport(app core.App, from, to time.Time, loc *time.Location) ([]map[string]any, error) {
	weekRows, _ := weeks(from, to, loc)
	type money struct {
		At       types.DateTime `db:"at"`
		Amount   int64          `db:"amount"`
		Currency string         `db:"currency"`
	}
	var paid, refunded []money
	period := dbx.Params{"from": platform.DBTime(from), "to": platform.DBTime(to)}
	if err := app.DB().NewQuery("SELECT paid_at AS at, amount, currency FROM payments WHERE paid_at != '' AND paid_at >= {:from} AND paid_at < {:to}").
		Bind(period).All(&paid); err != nil {
		return nil, err
	}
	if err := app.DB().NewQuery("SELECT updated AS at, amount, currency FROM refunds WHERE status = 'succeeded' AND updated >= {:from} AND updated < {:to}").
		Bind(period).All(&refunded); err != nil {
		return nil, err
	}
	// week -> currency -> [paid, refunded]
	sums := map[string]map[string]*[2]int64{}
	tally := func(list []money, i int) {
		for _, m := range list {
			y, w := m.At.Time().In(loc).ISOWeek()
			week := fmt.Sprintf("%d-W%02d", y, w)
			if sums[week] == nil {
				sums[week] = map[string]*[2]int64{}
			}
			if sums[week][m.Currency] == nil {
				sums[week][m.Currency] = &[2]int64{}
			}
			sums[week][m.Currency][i] += m.Amount
		}
	}
	tally(paid, 0)
	tally(refunded, 1)
	var rows []map[string]any
	for _, wr := range weekRows {
		currencies := make([]string, 0, len(sums[wr["week"].(string)]))
		for c := range sums[wr["week"].(string)] {
			currencies = append(currencies, c)
		}
		sort.Strings(currencies)
		if len(currencies) == 0 {
			currencies = []string{""} // a week without money still appears
		}
		for _, c := range currencies {
			v := [2]int64{}
			if p := sums[wr["week"].(string)][c]; p != nil {
				v = *p
			}
			rows = append(rows, map[string]any{"week": wr["week"], "start": wr["start"], "currency": c, "paid": v[0], "refunded": v[1], "net": v[0] - v[1]})
		}
	}
	return rows, nil
}

func (s *Service) notificationsReport(app core.App, from, to time.Time, _ *time.Location) ([]map[string]any, error) {
	period := dbx.Params{"from": platform.DBTime(from), "to": platform.DBTime(to)}
	var counts []struct {
		Channel string `db:"channel"`
		Status  string `db:"status"`
		N       int64  `db:"n"`
	}
	if err := app.DB().NewQuery("SELECT channel, status, COUNT(*) AS n FROM deliveries WHERE created >= {:from} AND created < {:to} GROUP BY channel, status").
		Bind(period).All(&counts); err != nil {
		return nil, err
	}
	var inapp struct {
		Total int64 `db:"total"`
		Read  int64 `db:"read"`
	}
	if err := app.DB().NewQuery("SELECT COUNT(*) AS total, COUNT(NULLIF(read_at, '')) AS read FROM notifications WHERE created >= {:from} AND created < {:to}").
		Bind(period).One(&inapp); err != nil {
		return nil, err
	}
	byChannel := map[string]map[string]any{}
	for _, ch := range s.channels.Names() {
		byChannel[ch] = map[string]any{"channel": ch, "sent": int64(0), "failed": int64(0), "queued": int64(0), "skipped": int64(0), "read_rate": ""}
	}
	for _, c := range counts {
		row := byChannel[c.Channel]
		switch c.Status {
		case "sent", "failed", "skipped":
			add(row, c.Status, c.N)
		default: // queued or being sent
			add(row, "queued", c.N)
		}
	}
	byChannel["inapp"]["sent"] = inapp.Total
	if inapp.Total > 0 {
		byChannel["inapp"]["read_rate"] = strconv.FormatFloat(float64(inapp.Read)/float64(inapp.Total), 'f', 3, 64)
	}
	rows := make([]map[string]any, 0, len(s.channels.Names()))
	for _, ch := range s.channels.Names() {
		rows = append(rows, byChannel[ch])
	}
	return rows, nil
}

func writeCSV(e *core.RequestEvent, name string, columns []string, rows []map[string]any) error {
	e.Response.Header().Set("Content-Type", "text/csv; charset=utf-8")
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	e.Response.WriteHeader(http.StatusOK)
	w := csv.NewWriter(e.Response)
	if err := w.Write(columns); err != nil {
		return err
	}
	for _, r := range rows {
		rec := make([]string, len(columns))
		for i, c := range columns {
			rec[i] = fmt.Sprint(r[c])
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}
