// Package statements is the monthly statement of a tutor (lessons taught,
// the school's commission, payouts) and of a payer (payments, refunds,
// credits), as a PDF for any month that has ended, in the school's zone
// and currency and the reader's language.
package statements

import (
	"fmt"
	"net/http"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/lang"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Service renders statements.
type Service struct{ env platform.Env }

// New returns the statements of an app.
func New(env platform.Env) *Service { return &Service{env: env} }

// period is one statement's month and reader.
type period struct {
	month    time.Time // its first instant, in the school's zone
	from, to time.Time
	school   *platform.School
	italian  bool
}

// Statement answers GET /api/statements/{month} (month "2027-03") as a
// PDF: a tutor's own (or, with ?as=payer, what they paid themselves), a
// payer's own; staff name the tutor (?tutor=) or the payer (?user=).
func (s *Service) Statement(e *core.RequestEvent) error {
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	month, err := time.ParseInLocation("2006-01", e.Request.PathValue("month"), school.Location)
	if err != nil {
		return platform.RuleError(http.StatusBadRequest, "month", "invalid_month", "Use a month written YYYY-MM.")
	}
	p := period{month: month, school: school}
	p.from, p.to = billing.MonthRange(month.Year(), month.Month(), school.Location)
	if p.to.After(s.env.Now()) {
		return platform.RuleError(http.StatusBadRequest, "month", "month_not_over", "Statements are for months that have ended.")
	}
	tutor, user, err := whose(e)
	if err != nil {
		return err
	}
	p.italian = lang.Of(readerLocale(e.App, user, school)) == lang.Italian
	var st billing.Statement
	if tutor != nil {
		st, err = s.tutorStatement(e.App, p, tutor)
	} else {
		st, err = s.payerStatement(e.App, p, user)
	}
	if err != nil {
		return err
	}
	pdf, err := billing.RenderStatementPDF(st)
	if err != nil {
		return err
	}
	name := "statement-" + month.Format("2006-01") + ".pdf"
	e.Response.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	return e.Blob(http.StatusOK, "application/pdf", pdf)
}

// whose is the tutor (for a tutor's statement) or the user (for a payer's)
// a request is about.
func whose(e *core.RequestEvent) (*core.Record, string, error) {
	q := e.Request.URL.Query()
	if platform.IsStaff(e) {
		if id := q.Get("tutor"); id != "" {
			t, err := e.App.FindRecordById("tutors", id)
			if err != nil {
				return nil, "", e.NotFoundError("", nil)
			}
			return t, t.GetString("user"), nil
		}
		if id := q.Get("user"); id != "" {
			if _, err := e.App.FindRecordById("users", id); err != nil {
				return nil, "", e.NotFoundError("", nil)
			}
			return nil, id, nil
		}
		return nil, "", platform.RuleError(http.StatusBadRequest, "user", "validation_required", "Name the tutor or the payer.")
	}
	if q.Get("as") != "payer" && e.Auth.GetString("role") == platform.RoleTutor {
		if t, err := e.App.FindFirstRecordByData("tutors", "user", e.Auth.Id); err == nil {
			return t, e.Auth.Id, nil
		}
	}
	return nil, e.Auth.Id, nil
}

func readerLocale(app core.App, user string, school *platform.School) string {
	if u, err := app.FindRecordById("users", user); err == nil && u.GetString("locale") != "" {
		return u.GetString("locale")
	}
	return school.Locale
}

// in reads the records of collection matching where whose field lies in
// the period, in its order.
func in(app core.App, p period, collection, field string, where dbx.Expression) ([]*core.Record, error) {
	var out []*core.Record
	err := app.RecordQuery(collection).
		AndWhere(where).
		AndWhere(dbx.NewExp("[["+field+"]] >= {:from} AND [["+field+"]] < {:to}", dbx.Params{"from": platform.DBTime(p.from), "to": platform.DBTime(p.to)})).
		OrderBy(field+" ASC", "id ASC").
		All(&out)
	return out, err
}

// date prints an instant as a date in the school's zone.
func (p period) date(t time.Time) string {
	if p.italian {
		return t.In(p.school.Location).Format("02/01/2006")
	}
	return t.In(p.school.Location).Format("2 Jan 2006")
}

// words picks the English or Italian text.
func (p period) words(en, it string) string {
	if p.italian {
		return it
	}
	return en
}

// title is "Statement for March 2027" in the reader's language.
func (p period) title() string {
	if p.italian {
		return "Estratto conto di " + italianMonths[p.month.Month()-1] + " " + p.month.Format("2006")
	}
	return "Statement for " + p.month.Format("January 2006")
}

var italianMonths = [...]string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}

func (p period) statement(who string) billing.Statement {
	loc := "en"
	if p.italian {
		loc = "it"
	}
	return billing.Statement{Title: p.title(), School: p.school.Name, For: who, Currency: p.school.Currency, Locale: loc, Created: p.to}
}
