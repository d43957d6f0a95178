package discovery

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/migrations"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// queryParams reads a discovery route's query string, collecting every
// problem as a field error so that a client sees them all at once.
type queryParams struct {
	q    url.Values
	errs validation.Errors
}

func newQueryParams(e *core.RequestEvent) *queryParams {
	return &queryParams{q: e.Request.URL.Query(), errs: validation.Errors{}}
}

func (p *queryParams) fail(field, code, message string) {
	if _, ok := p.errs[field]; !ok {
		p.errs[field] = validation.NewError(code, message)
	}
}

// err is the 400 answer when anything failed, else nil.
func (p *queryParams) err(message string) error {
	if len(p.errs) == 0 {
		return nil
	}
	return apis.NewBadRequestError(message, p.errs)
}

// intIn reads a whole number in [lo, hi]; def when absent or bad.
func (p *queryParams) intIn(field string, def, lo, hi int) int {
	s := p.q.Get(field)
	if s == "" {
		return def
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		p.fail(field, "validation_invalid_number", fmt.Sprintf("Give a whole number from %d to %d.", lo, hi))
		return def
	}
	return n
}

// money reads an amount in minor units; -1 when absent or bad.
func (p *queryParams) money(field string) int64 {
	s := p.q.Get(field)
	if s == "" {
		return -1
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > 1e8 {
		p.fail(field, "validation_invalid_price", "Give an amount in cents: a whole number from 0 to 100000000.")
		return -1
	}
	return n
}

func (p *queryParams) priceRange(minField, maxField string, lo, hi int64) {
	if lo >= 0 && hi >= 0 && hi < lo {
		p.fail(maxField, "invalid_range", maxField+" must be at least "+minField+".")
	}
}

// rating reads a minimum rating in [0, 5]; 0 when absent or bad.
func (p *queryParams) rating(field string) float64 {
	s := p.q.Get(field)
	if s == "" {
		return 0
	}
	r, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(r) || r < 0 || r > 5 {
		p.fail(field, "validation_invalid_rating", "Give a rating from 0 to 5.")
		return 0
	}
	return r
}

// oneOf reads a key of allowed; def when absent or bad.
func (p *queryParams) oneOf(field, def string, allowed map[string]string) string {
	s := p.q.Get(field)
	if s == "" {
		return def
	}
	if _, ok := allowed[s]; !ok {
		keys := make([]string, 0, len(allowed))
		for k := range allowed {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		p.fail(field, "validation_invalid_value", "Use one of: "+strings.Join(keys, ", ")+".")
		return def
	}
	return s
}

// language reads an ISO 639-1 code that tutors can teach in.
func (p *queryParams) language(field string) string {
	s := p.q.Get(field)
	if s != "" && !slices.Contains(migrations.Languages, s) {
		p.fail(field, "validation_invalid_language", "Use an ISO 639-1 language code such as it or en.")
		return ""
	}
	return s
}

// page reads page (from 1) and perPage (1 to MaxPerPage).
func (p *queryParams) page() (int, int) {
	return p.intIn("page", 1, 1, 1_000_000), p.intIn("perPage", DefaultPerPage, 1, MaxPerPage)
}

// window reads an optional [from, to] window of at most MaxFreeWindow;
// ok is false when neither bound is given (or they are bad).
func (p *queryParams) window(fromField, toField string) (from, to time.Time, ok bool) {
	if p.q.Get(fromField) == "" && p.q.Get(toField) == "" {
		return from, to, false
	}
	var ferr, terr error
	if from, ferr = platform.ParseInstant(p.q.Get(fromField)); ferr != nil {
		p.errs[fromField] = ferr
	}
	if to, terr = platform.ParseInstant(p.q.Get(toField)); terr != nil {
		p.errs[toField] = terr
	}
	switch {
	case ferr != nil || terr != nil:
		return from, to, false
	case !from.Before(to):
		p.fail(toField, "invalid_range", toField+" must be after "+fromField+".")
	case to.Sub(from) > MaxFreeWindow:
		p.fail(toField, "range_too_long", "Ask for at most 14 days at a time.")
	default:
		return from, to, true
	}
	return from, to, false
}

type subjectRow struct {
	Id   string `db:"id"`
	Name string `db:"name"`
	Slug string `db:"slug"`
}

// subject reads a subject by id or slug; nil when absent or unknown (a
// field error). The error is for database failures only.
func (p *queryParams) subject(app core.App, field string) (*subjectRow, error) {
	s := p.q.Get(field)
	if s == "" {
		return nil, nil
	}
	var rows []subjectRow
	err := app.DB().NewQuery("SELECT id, name, slug FROM subjects WHERE id = {:s} OR slug = {:s} LIMIT 1").
		Bind(dbx.Params{"s": s}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to look up the subject: %w", err)
	}
	if len(rows) == 0 {
		p.fail(field, "unknown_subject", "Unknown subject; give a subject id or slug.")
		return nil, nil
	}
	return &rows[0], nil
}
