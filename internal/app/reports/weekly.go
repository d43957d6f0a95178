package reports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

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

// weekSpans is the weeks of rows as a JSON array of [start, end) pairs
// of database times, for a join that reads each week as one range of the
// bookings' start index.
func weekSpans(rows []map[string]any, loc *time.Location, from, to time.Time) string {
	spans := make([][2]string, len(rows))
	for i, r := range rows {
		d, _ := time.ParseInLocation(time.DateOnly, r["start"].(string), loc)
		lo, hi := d, d.AddDate(0, 0, 7)
		if lo.Before(from) {
			lo = from
		}
		if hi.After(to) {
			hi = to
		}
		spans[i] = [2]string{platform.DBTime(lo), platform.DBTime(hi)}
	}
	b, _ := json.Marshal(spans)
	return string(b)
}

// weekJoin joins the weeks {:weeks} (alias w, w.key the row's index) to
// the bookings b that start in them. The weeks are clipped to the period
// and no other bound of b.start may be given: SQLite would range over it
// instead, for every week.
const weekJoin = ` FROM json_each({:weeks}) w CROSS JOIN bookings b ON b.start >= json_extract(w.value, '$[0]') AND b.start < json_extract(w.value, '$[1]')`

// countByWeek counts the bookings of each week of rows in the period by
// the SQL expression what, adding each count to its row under the key
// what gives (rows whose key is empty are left out).
func countByWeek(app core.App, q query, rows []map[string]any, what, where string) error {
	p := period(q)
	p["weeks"] = weekSpans(rows, q.loc, q.from, q.to)
	var counts []struct {
		Week int    `db:"i"`
		Key  string `db:"k"`
		N    int64  `db:"n"`
	}
	err := app.DB().NewQuery(`SELECT w.key AS i, ` + what + ` AS k, COUNT(*) AS n` + weekJoin +
		` WHERE 1=1` + where + bookingFilter(q, p) + ` GROUP BY i, k`).Bind(p).All(&counts)
	for _, c := range counts {
		if c.Key != "" {
			add(rows[c.Week], c.Key, c.N)
		}
	}
	return err
}

func (s *Service) bookingsReport(app core.App, q query) ([]map[string]any, error) {
	rows, _ := weeks(q.from, q.to, q.loc)
	for _, r := range rows {
		for _, k := range []string{"total", "completed", "cancelled", "late_cancelled", "no_show"} {
			r[k] = int64(0)
		}
	}
	if err := countByWeek(app, q, rows, "'total'", ""); err != nil {
		return nil, err
	}
	if err := countByWeek(app, q, rows, "CASE b.status WHEN 'completed' THEN 'completed' WHEN 'no_show' THEN 'no_show' WHEN 'cancelled' THEN 'cancelled' ELSE '' END", ""); err != nil {
		return nil, err
	}
	if err := countByWeek(app, q, rows, "'late_cancelled'", " AND b.status = 'cancelled' AND b.late_cancel"); err != nil {
		return nil, err
	}
	return rows, nil
}

// cancelledBy names who cancelled a booking b, as the cancellations report
// counts it (” for a reschedule).
const cancelledBy = `CASE WHEN b.cancel_reason = 'rescheduled' THEN ''
	WHEN b.cancel_reason = 'expired' AND b.cancelled_by = '' THEN 'expired'
	WHEN b.cancelled_by = b.student AND b.late_cancel THEN 'by_student_late'
	WHEN b.cancelled_by = b.student THEN 'by_student'
	WHEN b.cancelled_by = b.tutor_user THEN 'by_tutor'
	ELSE 'by_staff' END`

func (s *Service) cancellationsReport(app core.App, q query) ([]map[string]any, error) {
	rows, _ := weeks(q.from, q.to, q.loc)
	for _, r := range rows {
		for _, k := range []string{"by_student", "by_student_late", "by_tutor", "by_staff", "expired"} {
			r[k] = int64(0)
		}
	}
	return rows, countByWeek(app, q, rows, cancelledBy, " AND b.status = 'cancelled'")
}

func (s *Service) notificationsReport(app core.App, q query) ([]map[string]any, error) {
	p := period(q)
	var counts []struct {
		Channel string `db:"channel"`
		Status  string `db:"status"`
		N       int64  `db:"n"`
	}
	if err := app.DB().NewQuery("SELECT channel, status, COUNT(*) AS n FROM deliveries WHERE created >= {:from} AND created < {:to} GROUP BY channel, status").
		Bind(p).All(&counts); err != nil {
		return nil, err
	}
	var inapp struct {
		Total int64 `db:"total"`
		Read  int64 `db:"read"`
	}
	if err := app.DB().NewQuery("SELECT COUNT(*) AS total, COUNT(NULLIF(read_at, '')) AS read FROM notifications WHERE created >= {:from} AND created < {:to}").
		Bind(p).One(&inapp); err != nil {
		return nil, err
	}
	byChannel := map[string]map[string]any{}
	for _, ch := range s.channels.Names() {
		byChannel[ch] = map[string]any{"channel": ch, "sent": int64(0), "failed": int64(0), "queued": int64(0), "skipped": int64(0), "delivery_rate": "", "read_rate": ""}
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
		row := byChannel[ch]
		// of the deliveries that ended, the share that reached the person
		if sent, failed := row["sent"].(int64), row["failed"].(int64); ch != "inapp" && sent+failed > 0 {
			row["delivery_rate"] = strconv.FormatFloat(float64(sent)/float64(sent+failed), 'f', 3, 64)
		}
		rows = append(rows, row)
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
			rec[i] = cell(r[c])
		}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// cell is a value as the CSV and the PDF print it: nothing for nil.
func cell(v any) string {
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}
