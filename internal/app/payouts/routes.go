package payouts

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

type payoutPaidBody struct {
	Reference string `json:"reference"`
}

// MarkPaid records a payout the school paid itself (a bank
// transfer): staff only.
func (s *Service) MarkPaid(e *core.RequestEvent) error {
	var in payoutPaidBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError(`The body must be JSON: {"reference": "..."}.`, nil)
	}
	ref := strings.TrimSpace(in.Reference)
	if len([]rune(ref)) > 200 {
		return platform.RuleError(http.StatusBadRequest, "reference", "validation_max_text_constraint", "Keep the reference under 200 characters.")
	}
	id := e.Request.PathValue("id")
	if _, err := e.App.FindRecordById("payouts", id); err != nil {
		return e.NotFoundError("", nil)
	}
	p, err := s.settlePayout(e.App, id, ref, s.env.Now())
	if errors.Is(err, errPayoutNotPending) {
		return platform.RuleError(http.StatusBadRequest, "status", platform.CodeBadState, "Only a pending payout can be marked paid.")
	}
	if err != nil {
		return err
	}
	platform.Audit(e, "payout.mark_paid", "payouts", p.Id, map[string]any{"reference": ref, "net": p.GetInt("net"), "currency": p.GetString("currency")})
	if err := apis.EnrichRecord(e, p); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, p)
}

// payoutsCSVHeader names the export's columns. period_end is exclusive,
// like the CLI's --to; amounts are decimals in the currency's units.
var payoutsCSVHeader = []string{"payout_id", "tutor_name", "tutor_email", "iban", "period_start", "period_end",
	"lessons", "gross", "commission", "net", "currency", "status", "reference"}

// ExportCSV answers the payouts whose period lies within ?from= and
// ?to= (dates in the school's zone, to exclusive) with ?status=, as CSV for
// a bank payment run: staff only.
func (s *Service) ExportCSV(e *core.RequestEvent) error {
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	q := e.Request.URL.Query()
	var where []dbx.Expression
	errs := validation.Errors{}
	name := "payouts"
	for _, f := range []struct{ param, cond string }{{"from", "period_start >= {:from}"}, {"to", "period_end <= {:to}"}} {
		s := q.Get(f.param)
		if s == "" {
			continue
		}
		d, err := parseLocalDate(s, school.Location)
		if err != nil {
			errs[f.param] = validation.NewError("invalid_date", "Use a date written YYYY-MM-DD.")
			continue
		}
		where = append(where, dbx.NewExp(f.cond, dbx.Params{f.param: platform.DBTime(d)}))
		name += "-" + s
	}
	if s := q.Get("status"); s != "" {
		if slices.Contains([]string{PayoutPending, PayoutPaid, PayoutFailed}, s) {
			where = append(where, dbx.HashExp{"status": s})
		} else {
			errs["status"] = validation.NewError("validation_invalid_value", "The status is pending, paid or failed.")
		}
	}
	if len(errs) > 0 {
		return apis.NewBadRequestError("Invalid export filter.", errs)
	}
	list, err := e.App.FindAllRecords("payouts", where...)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := writePayoutsCSV(&buf, e.App, list, school.Location); err != nil {
		return err
	}
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	return e.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// writePayoutsCSV writes list, sorted by period and tutor name, with the
// tutors' names, emails and IBANs.
func writePayoutsCSV(buf *bytes.Buffer, app core.App, list []*core.Record, loc *time.Location) error {
	tutors, users := map[string]*core.Record{}, map[string]*core.Record{}
	var tutorIds, userIds []string
	for _, p := range list {
		tutorIds = append(tutorIds, p.GetString("tutor"))
	}
	found, err := app.FindRecordsByIds("tutors", tutorIds)
	if err != nil {
		return err
	}
	for _, t := range found {
		tutors[t.Id] = t
		userIds = append(userIds, t.GetString("user"))
	}
	if found, err = app.FindRecordsByIds("users", userIds); err != nil {
		return err
	}
	for _, u := range found {
		users[u.Id] = u
	}
	tutorField := func(p *core.Record, field string) string {
		if t := tutors[p.GetString("tutor")]; t != nil {
			return t.GetString(field)
		}
		return ""
	}
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].GetString("period_start"), list[j].GetString("period_start")
		return a < b || (a == b && tutorField(list[i], "name") < tutorField(list[j], "name"))
	})
	w := csv.NewWriter(buf)
	if err := w.Write(payoutsCSVHeader); err != nil {
		return err
	}
	for _, p := range list {
		cur, email := p.GetString("currency"), ""
		if u := users[tutorField(p, "user")]; u != nil {
			email = u.Email()
		}
		err := w.Write([]string{
			p.Id, csvText(tutorField(p, "name")), csvText(email), tutorField(p, "iban"),
			p.GetDateTime("period_start").Time().In(loc).Format(time.DateOnly),
			p.GetDateTime("period_end").Time().In(loc).Format(time.DateOnly),
			strconv.Itoa(p.GetInt("lessons")),
			DecimalAmount(int64(p.GetInt("gross")), cur), DecimalAmount(int64(p.GetInt("commission")), cur),
			DecimalAmount(int64(p.GetInt("net")), cur), cur, p.GetString("status"), csvText(p.GetString("provider_ref")),
		})
		if err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvText keeps a free-text cell from being read as a formula by a
// spreadsheet (CSV injection): a leading =, +, -, @, tab or CR is quoted
// with an apostrophe.
func csvText(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
