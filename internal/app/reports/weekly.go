package reports

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
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

var (
	bookingsCounts      = []string{"total", "completed", "cancelled", "late_cancelled", "no_show"}
	cancellationsCounts = []string{"by_student", "by_student_late", "by_tutor", "by_staff", "expired"}
)

func (s *Service) bookingsReport(app core.App, q query) ([]map[string]any, error) {
	return weeklyCounts(app, q, bookingsCounts)
}

func (s *Service) cancellationsReport(app core.App, q query) ([]map[string]any, error) {
	return weeklyCounts(app, q, cancellationsCounts)
}

// weeklyCounts is, per ISO week of the period, the lessons' counters of
// the report_days table (their rules are in its migration). Without a
// tutor it adds up the days of each week (and of the query's subject):
// a few rows a day, whatever the number of lessons. With a tutor it counts
// the tutor's lessons of the period, one range of the (tutor, start) index.
func weeklyCounts(app core.App, q query, counts []string) ([]map[string]any, error) {
	rows, _ := weeks(q.from, q.to, q.loc)
	sums := make([]string, len(counts))
	for i, c := range counts {
		sums[i] = "COALESCE(SUM(d." + c + "), 0) AS " + c
		for _, r := range rows {
			r[c] = int64(0)
		}
	}
	p := dbx.Params{"weeks": weekDays(rows, q)}
	days, on := migrations.ReportDays, " d ON d.day >= json_extract(w.value, '$[0]') AND d.day < json_extract(w.value, '$[1]')"
	if q.tutor != "" {
		days = "(SELECT " + migrations.ReportLocalDay("b.start") + " AS day, " + migrations.ReportDayCounts("b") +
			" FROM bookings b WHERE b.start >= {:from} AND b.start < {:to}" + bookingFilter(q, p) + ")"
		p["from"], p["to"] = platform.DBTime(q.from), platform.DBTime(q.to)
	} else if q.subject != "" {
		on += " AND d.subject = {:subject}"
		p["subject"] = q.subject
	}
	from := days + on
	list, err := app.DB().NewQuery("SELECT w.key AS i, " + strings.Join(sums, ", ") + " FROM json_each({:weeks}) w JOIN " + from +
		" GROUP BY w.key").Bind(p).Rows()
	if err != nil {
		return nil, err
	}
	defer list.Close()
	for list.Next() {
		var i int
		vals := make([]int64, len(counts))
		dst := []any{&i}
		for k := range vals {
			dst = append(dst, &vals[k])
		}
		if err := list.Scan(dst...); err != nil {
			return nil, err
		}
		for k, c := range counts {
			rows[i][c] = vals[k]
		}
	}
	return rows, list.Err()
}

// weekDays is the weeks of rows, clipped to the period, as a JSON array of
// [first, end) pairs of local dates.
func weekDays(rows []map[string]any, q query) string {
	from, to := q.from.In(q.loc).Format(time.DateOnly), q.to.In(q.loc).Format(time.DateOnly)
	spans := make([][2]string, len(rows))
	for i, r := range rows {
		d, _ := time.ParseInLocation(time.DateOnly, r["start"].(string), q.loc)
		spans[i] = [2]string{max(r["start"].(string), from), min(d.AddDate(0, 0, 7).Format(time.DateOnly), to)}
	}
	b, _ := json.Marshal(spans)
	return string(b)
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
