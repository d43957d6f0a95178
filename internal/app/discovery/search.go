package discovery

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/match"
	"tutorbase/internal/schedule"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Discovery (docs/discovery.md): the public search of tutors and packages,
// and the package listing that popular packages share. The hot path reads
// with raw selects straight into the answer's structs: one query lists the
// matching tutors, a handful of bulk queries load the candidates'
// schedules (match.go), and the slot engine runs in memory.

// MaxFreeWindow is the widest "has free time between X and Y" window.
const MaxFreeWindow = 14 * 24 * time.Hour

// Page sizes of the search routes.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
)

// Tutor sorts: relevance is the Bayesian rating of internal/match (one
// 5-star review does not beat fifty 4.8s); rating is the plain average.
var tutorSorts = map[string]string{
	"relevance": "(t.rating_avg * t.rating_count + " + sqlReal(match.DefaultPriorMean*match.DefaultPriorWeight) +
		") / (t.rating_count + " + sqlReal(match.DefaultPriorWeight) + ") DESC, t.rating_count DESC, t.id",
	"rating": "t.rating_avg DESC, t.rating_count DESC, t.id",
	"price":  "t.hourly_rate ASC, t.id",
	"-price": "t.hourly_rate DESC, t.id",
	"name":   "t.name COLLATE NOCASE ASC, t.id",
}

// sqlReal writes f as an SQL REAL literal ("40.0", not "40"): NUMERIC
// columns hold whole numbers as integers, and integer division would
// truncate the Bayesian average.
func sqlReal(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.ContainsAny(s, ".eE") {
		s += ".0"
	}
	return s
}

// ListJSON is PocketBase's list shape, used by the search routes.
type ListJSON[T any] struct {
	Page       int `json:"page"`
	PerPage    int `json:"perPage"`
	TotalItems int `json:"totalItems"`
	TotalPages int `json:"totalPages"`
	Items      []T `json:"items"`
}

func newList[T any](page, perPage, total int, items []T) ListJSON[T] {
	if items == nil {
		items = []T{}
	}
	return ListJSON[T]{Page: page, PerPage: perPage, TotalItems: total, TotalPages: (total + perPage - 1) / perPage, Items: items}
}

// TutorSummary is a tutor's public card inside other answers (packages,
// matches, recommendations), read straight from the tutors row.
type TutorSummary struct {
	Id          string                  `db:"id" json:"id"`
	Name        string                  `db:"name" json:"name"`
	Headline    string                  `db:"headline" json:"headline"`
	Subjects    types.JSONArray[string] `db:"subjects" json:"subjects"`
	Languages   types.JSONArray[string] `db:"languages" json:"languages"`
	HourlyRate  int64                   `db:"hourly_rate" json:"hourly_rate"`
	Currency    string                  `db:"currency" json:"currency"`
	RatingAvg   float64                 `db:"rating_avg" json:"rating_avg"`
	RatingCount int                     `db:"rating_count" json:"rating_count"`
	Avatar      string                  `db:"avatar" json:"avatar"` // file name; /api/files/tutors/{id}/{avatar}?thumb=96x96
}

// summaryColumns are the tutors columns of a TutorSummary, on alias t.
const summaryColumns = "t.id, t.name, t.headline, t.subjects, t.languages, CAST(t.hourly_rate AS INTEGER) AS hourly_rate, " +
	"t.currency, t.rating_avg, CAST(t.rating_count AS INTEGER) AS rating_count, t.avatar"

// TutorJSON is a tutor as the public search shows them: never the user,
// their email, the Stripe account or the meeting link.
type TutorJSON struct {
	TutorSummary
	Bio           string               `db:"bio" json:"bio"`
	Timezone      string               `db:"timezone" json:"timezone"` // the tutor's zone, else the school's
	LessonMinutes types.JSONArray[int] `db:"lesson_minutes" json:"lesson_minutes"`
	FreeSlots     *int                 `db:"-" json:"free_slots,omitempty"` // with a free-time window only
	NextFree      string               `db:"-" json:"next_free,omitempty"`  // with a free-time window only
}

const tutorColumns = summaryColumns + ", t.bio, t.timezone, t.lesson_minutes"

// tutorFilter narrows the listed (verified, active) tutors, as SQL on the
// tutors row aliased t. Languages and subjects are JSON arrays of plain
// tokens (ISO codes, record ids), so a quoted LIKE matches one element.
type tutorFilter struct {
	subjects           []string // any of these subject ids
	minPrice, maxPrice int64    // hourly_rate bounds; -1: none
	language           string
	minRating          float64 // 0: none
}

func (f tutorFilter) sql() (string, dbx.Params) {
	conds := []string{"t.verified = TRUE", "t.status = 'active'"}
	params := dbx.Params{}
	if len(f.subjects) > 0 {
		ors := make([]string, len(f.subjects))
		for i, id := range f.subjects {
			key := "subject" + strconv.Itoa(i)
			ors[i] = "t.subjects LIKE {:" + key + "}"
			params[key] = `%"` + id + `"%`
		}
		conds = append(conds, "("+strings.Join(ors, " OR ")+")")
	}
	if f.minPrice >= 0 {
		conds, params["minPrice"] = append(conds, "t.hourly_rate >= {:minPrice}"), f.minPrice
	}
	if f.maxPrice >= 0 {
		conds, params["maxPrice"] = append(conds, "t.hourly_rate <= {:maxPrice}"), f.maxPrice
	}
	if f.language != "" {
		conds, params["language"] = append(conds, "t.languages LIKE {:language}"), `%"`+f.language+`"%`
	}
	if f.minRating > 0 {
		conds, params["minRating"] = append(conds, "t.rating_avg >= {:minRating}"), f.minRating
	}
	return strings.Join(conds, " AND "), params
}

// tutorSearch is a parsed GET /api/search/tutors.
type tutorSearch struct {
	filter        tutorFilter
	order         string
	page, perPage int
	free          bool // a free-time window was asked
	from, to      time.Time
	length        time.Duration
}

func parseTutorSearch(app core.App, p *queryParams) (tutorSearch, error) {
	s := tutorSearch{filter: tutorFilter{minPrice: p.money("min_price"), maxPrice: p.money("max_price")}}
	p.priceRange("min_price", "max_price", s.filter.minPrice, s.filter.maxPrice)
	s.filter.language = p.language("language")
	s.filter.minRating = p.rating("min_rating")
	s.order = tutorSorts[p.oneOf("sort", "relevance", tutorSorts)]
	s.page, s.perPage = p.page()
	s.from, s.to, s.free = p.window("free_from", "free_to")
	s.length = time.Duration(p.intIn("minutes", 60, 15, 480)) * time.Minute
	subject, err := p.subject(app, "subject")
	if subject != nil {
		s.filter.subjects = []string{subject.Id}
	}
	return s, err
}

// SearchTutors answers GET /api/search/tutors (docs/discovery.md):
// one query lists the matching tutors in order; with a free-time window
// the slot engine keeps those with a free lesson in it; the profiles are
// loaded for the page only.
func (d *Service) SearchTutors(e *core.RequestEvent) error {
	p := newQueryParams(e)
	s, err := parseTutorSearch(e.App, p)
	if err != nil {
		return err
	}
	if err := p.err("Invalid tutor search."); err != nil {
		return err
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	where, params := s.filter.sql()
	columns := "t.id"
	if s.free {
		columns = availability.SchedColumns
	}
	var cands []availability.SchedRow
	if err := e.App.DB().NewQuery("SELECT " + columns + " FROM tutors t WHERE " + where + " ORDER BY " + s.order).
		Bind(params).All(&cands); err != nil {
		return fmt.Errorf("failed to search tutors: %w", err)
	}
	ids, cals, reach, err := d.freeTutors(e.App, school, s, cands)
	if err != nil {
		return err
	}
	page := ids[min((s.page-1)*s.perPage, len(ids)):min(s.page*s.perPage, len(ids))]
	items, err := tutorsByID(e.App, school, page)
	if err != nil {
		return err
	}
	if !s.free {
		return e.JSON(http.StatusOK, newList(s.page, s.perPage, len(ids), items))
	}
	rest := map[time.Time][]string{} // the page's tutors by how far their bookings were read
	for _, id := range page {
		if r := reach[id]; r.Before(s.to) {
			rest[r] = append(rest[r], id)
		}
	}
	for r, group := range rest { // the rest of the window's bookings, to count their slots
		if err := availability.AddBookings(e.App, cals, group, r, s.to); err != nil {
			return err
		}
	}
	now := d.env.Now()
	for i := range items {
		f := match.FreeIn(*cals[items[i].Id], s.from, s.to, s.length, now)
		items[i].FreeSlots, items[i].NextFree = &f.Slots, f.First.Start.UTC().Format(time.RFC3339)
	}
	return e.JSON(http.StatusOK, newList(s.page, s.perPage, len(ids), items))
}

// freeTutors returns the ids of cands, in order: all of them, or with a
// free-time window those with a free lesson in it (match.FindFree), with
// their calendars and how far each one's bookings were read.
func (d *Service) freeTutors(app core.App, school *platform.School, s tutorSearch, cands []availability.SchedRow) ([]string, map[string]*schedule.Calendar, map[string]time.Time, error) {
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.Id
	}
	if !s.free {
		return ids, nil, nil, nil
	}
	cals, err := availability.LoadCalendars(app, school, cands, s.from, s.to)
	if err != nil {
		return nil, nil, nil, err
	}
	free, reach, err := match.FindFree(cals, ids, s.from, s.to, s.length, d.env.Now(), func(ids []string, from, to time.Time) error {
		return availability.AddBookings(app, cals, ids, from, to)
	})
	return free, cals, reach, err
}

// tutorsByID loads the public profiles of ids, in that order.
func tutorsByID(app core.App, school *platform.School, ids []string) ([]TutorJSON, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	var rows []TutorJSON
	err = app.DB().NewQuery("SELECT " + tutorColumns + " FROM tutors t WHERE t.id IN (SELECT value FROM json_each({:ids}))").
		Bind(dbx.Params{"ids": string(list)}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to load tutors: %w", err)
	}
	for i := range rows {
		rows[i].Timezone = availability.TutorZone(app, school, rows[i].Timezone).String()
		rows[i].LessonMinutes = availability.LessonLengths(rows[i].LessonMinutes)
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(rows, func(a, b TutorJSON) int { return pos[a.Id] - pos[b.Id] })
	return rows, nil
}
