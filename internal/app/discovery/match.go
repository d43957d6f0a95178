package discovery

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"tutorbase/internal/app/availability"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/match"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Matching and recommendations (docs/discovery.md): GET /api/match ranks
// tutors with internal/match; also-booked and popular packages count
// bookings and sales. This file also holds what all discovery routes
// share: query parsing, and the bulk loading of many tutors' calendars.

// MaxMatches is the most tutors one GET /api/match (or also-booked)
// answers with.
const MaxMatches = 50

// MatchJSON is one ranked tutor of GET /api/match.
type MatchJSON struct {
	Tutor       TutorSummary   `json:"tutor"`
	Score       float64        `json:"score"`
	Rank        int            `json:"rank"`
	Reasons     []match.Reason `json:"reasons"`
	FreeMinutes *int           `json:"free_minutes,omitempty"` // with a window only
	NextFree    string         `json:"next_free,omitempty"`    // with a window, when free
	Timezone    string         `json:"timezone"`               // the tutor's zone, or the school's
}

// matchRequest is a parsed GET /api/match.
type matchRequest struct {
	subject  *subjectRow
	family   []subjectRow // the subject and its related ones
	maxPrice int64
	language string
	window   bool
	from, to time.Time
	length   time.Duration
	limit    int
	lang     string            // the reasons' language, the caller's
	names    map[string]string // the subject and its family's names in lang, by id
	wishes
}

// unmet is the candidates within budget that had no free time in a
// request that asked for some (none without a window or times).
func (r matchRequest) unmet(rows []matchRow, frees map[string]match.Free) []string {
	var out []string
	for _, row := range rows {
		if r.free() && frees[row.Id].Slots == 0 && (r.maxPrice <= 0 || row.HourlyRate <= r.maxPrice) {
			out = append(out, row.Id)
		}
	}
	return out
}

// free reports whether the request measures free time: a window, or
// preferred times.
func (r matchRequest) free() bool { return r.window || len(r.windows) > 0 }

func parseMatch(e *core.RequestEvent, school *platform.School, now time.Time) (matchRequest, error) {
	p := newQueryParams(e)
	r := matchRequest{maxPrice: p.money("max_price"), language: p.language("language")}
	r.from, r.to, r.window = p.window("from", "to")
	r.wishes = p.readWishes(e.App, school, r.window || p.q.Get("from") != "" || p.q.Get("to") != "", now)
	r.length = time.Duration(p.intIn("minutes", 60, 15, 480)) * time.Minute
	r.limit = p.intIn("limit", 10, 1, MaxMatches)
	var err error
	if r.subject, err = p.subject(e.App, "subject"); err != nil {
		return r, err
	}
	if err := p.err("Invalid match request."); err != nil {
		return r, err
	}
	r.lang = platform.RequestLang(e)
	if r.subject != nil {
		if r.family, err = subjectFamily(e.App, *r.subject); err != nil {
			return r, err
		}
		r.names, err = subjectNames(e.App, r.family, r.lang)
	}
	return r, err
}

// subjectNames are the subjects' names in lang where the school gave one
// (their names field), else their name.
func subjectNames(app core.App, rows []subjectRow, lang string) (map[string]string, error) {
	out := make(map[string]string, len(rows))
	for _, row := range rows {
		s, err := platform.LoadSubject(app, row.Id)
		if err != nil {
			return nil, fmt.Errorf("failed to read a subject's names: %w", err)
		}
		out[row.Id] = cmp.Or(s.Names[lang], row.Name)
	}
	return out, nil
}

// subjectFamily returns s and its related subjects: those whose slug
// shares its first word ("mathematics", "mathematics-advanced").
func subjectFamily(app core.App, s subjectRow) ([]subjectRow, error) {
	root, _, _ := strings.Cut(s.Slug, "-")
	var rows []subjectRow
	err := app.DB().NewQuery("SELECT id, name, slug FROM subjects WHERE slug = {:root} OR slug LIKE {:prefix} ORDER BY slug").
		Bind(dbx.Params{"root": root, "prefix": root + "-%"}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to load related subjects: %w", err)
	}
	if !slices.ContainsFunc(rows, func(r subjectRow) bool { return r.Id == s.Id }) {
		rows = append(rows, s)
	}
	return rows, nil
}

// matchRow is a candidate's card and what their calendar needs.
type matchRow struct {
	TutorSummary
	Timezone      string               `db:"timezone"`
	LessonMinutes types.JSONArray[int] `db:"lesson_minutes"`
	Buffer        int                  `db:"buffer_minutes"`
	Notice        int                  `db:"min_notice_minutes"`
	Advance       int                  `db:"max_advance_days"`
	Bio           string               `db:"bio"` // only when goals are asked
}

// Match answers GET /api/match: candidates are the listed tutors
// (teaching the subject or a related one, within the budget), ranked by
// internal/match with the free time the slot engine finds in the window.
func (d *Service) Match(e *core.RequestEvent) error {
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	r, err := parseMatch(e, school, d.env.Now())
	if err != nil {
		return err
	}
	f := tutorFilter{minPrice: -1, maxPrice: r.maxPrice}
	for _, s := range r.family {
		f.subjects = append(f.subjects, s.Id)
	}
	where, params := f.sql()
	bio := ", '' AS bio"
	if r.goals != "" {
		bio = ", t.bio"
	}
	var rows []matchRow
	if err := e.App.DB().NewQuery("SELECT " + summaryColumns + ", " + availability.SchedExtraColumns + bio + " FROM tutors t WHERE " + where).
		Bind(params).All(&rows); err != nil {
		return fmt.Errorf("failed to load match candidates: %w", err)
	}
	frees, err := d.matchFreeTime(e.App, school, r, rows)
	if err != nil {
		return err
	}
	if err := recordUnmet(e.App, r.unmet(rows, frees), school, d.env.Now()); err != nil {
		return err
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].Id
	}
	levels, err := levelStudents(e.App, ids, r.level)
	if err != nil {
		return err
	}
	byID := make(map[string]*matchRow, len(rows))
	cands := make([]match.Candidate, len(rows))
	for i := range rows {
		byID[rows[i].Id] = &rows[i]
		rows[i].Timezone = cmp.Or(rows[i].Timezone, school.Timezone)
		cands[i] = r.candidate(&rows[i], frees[rows[i].Id], school.Currency)
		cands[i].LevelStudents = levels[rows[i].Id]
	}
	ranked := match.Rank(cands, match.DefaultWeights())
	items := make([]MatchJSON, 0, min(r.limit, len(ranked)))
	for _, res := range ranked[:min(r.limit, len(ranked))] {
		items = append(items, r.item(res, byID[res.ID], frees[res.ID]))
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// matchFreeTime measures each candidate's free time in the window (none
// without a window).
func (d *Service) matchFreeTime(app core.App, school *platform.School, r matchRequest, rows []matchRow) (map[string]match.Free, error) {
	if !r.free() {
		return nil, nil
	}
	from, to := r.from, r.to
	if !r.window {
		from, to = r.windows[0].Start, r.windows[len(r.windows)-1].End
	}
	sched, ids := make([]availability.SchedRow, len(rows)), make([]string, len(rows))
	for i, row := range rows {
		sched[i] = availability.SchedRow{Id: row.Id, Timezone: row.Timezone, LessonMinutes: row.LessonMinutes, Buffer: row.Buffer, Notice: row.Notice, Advance: row.Advance}
		ids[i] = row.Id
	}
	cals, err := availability.LoadCalendars(app, school, sched, from, to)
	if err != nil {
		return nil, err
	}
	if err := availability.AddBookings(app, cals, ids, from, to); err != nil {
		return nil, err
	}
	now := d.env.Now()
	out := make(map[string]match.Free, len(rows))
	for _, id := range ids {
		if r.window {
			out[id] = match.FreeIn(*cals[id], r.from, r.to, r.length, now)
		} else {
			out[id] = match.FreeInWindows(*cals[id], r.windows, r.length, now)
		}
	}
	return out, nil
}

func (r matchRequest) candidate(row *matchRow, free match.Free, schoolCurrency string) match.Candidate {
	c := match.Candidate{
		ID: row.Id, RatingSum: row.RatingAvg * float64(row.RatingCount), RatingCount: row.RatingCount,
		HourlyRate: row.HourlyRate, Currency: cmp.Or(row.Currency, schoolCurrency), MaxPrice: max(r.maxPrice, 0),
		Languages: row.Languages, WantedLanguage: r.language, Lang: r.lang,
	}
	if r.window {
		c.FreeMinutes, c.WantedMinutes = free.Minutes, int(r.to.Sub(r.from)/time.Minute)
	} else if len(r.windows) > 0 {
		c.FreeMinutes, c.WantedMinutes = free.Minutes, match.WindowMinutes(r.windows)
	}
	c.WantedLevel = r.level
	if r.goals != "" {
		c.GoalsMatched, c.GoalTerms = match.GoalsIn(r.goals, profileText(row))
	}
	if r.subject != nil {
		c.WantedSubject = r.names[r.subject.Id]
		if slices.Contains(row.Subjects, r.subject.Id) {
			c.Subject, c.SubjectName = match.FitExact, r.names[r.subject.Id]
		} else if i := slices.IndexFunc(r.family, func(s subjectRow) bool { return slices.Contains(row.Subjects, s.Id) }); i >= 0 {
			c.Subject, c.SubjectName = match.FitRelated, r.names[r.family[i].Id]
		}
	}
	return c
}

func (r matchRequest) item(res match.Result, row *matchRow, free match.Free) MatchJSON {
	out := MatchJSON{Tutor: row.TutorSummary, Score: roundScore(res.Score), Rank: res.Rank, Reasons: res.Reasons, Timezone: row.Timezone}
	for i := range out.Reasons {
		out.Reasons[i].Weight = roundScore(out.Reasons[i].Weight)
	}
	if r.free() {
		out.FreeMinutes = &free.Minutes
		if free.Slots > 0 {
			out.NextFree = free.First.Start.UTC().Format(time.RFC3339)
		}
	}
	return out
}

func roundScore(v float64) float64 { return math.Round(v*1000) / 1000 }

// AlsoBookedJSON is one tutor of GET /api/tutors/{id}/also-booked.
type AlsoBookedJSON struct {
	Tutor    TutorSummary `json:"tutor"`
	Students int          `json:"students"` // students who booked both tutors
}

// AlsoBooked answers GET /api/tutors/{id}/also-booked: the listed
// tutors that students of this tutor also booked (any booking not
// cancelled), by the number of such students, then the Bayesian rating.
func (d *Service) AlsoBooked(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	if ok, err := isListedTutor(e.App, id); err != nil || !ok {
		return e.NotFoundError("", err)
	}
	p := newQueryParams(e)
	limit := p.intIn("limit", 5, 1, MaxMatches)
	if err := p.err("Invalid recommendation request."); err != nil {
		return err
	}
	var rows []struct {
		TutorSummary
		Students int `db:"students"`
	}
	err := e.App.DB().NewQuery(`SELECT ` + summaryColumns + `, COUNT(DISTINCT b2.student) AS students
		FROM bookings b1
		JOIN bookings b2 ON b2.student = b1.student AND b2.tutor != b1.tutor AND b2.status != 'cancelled'
		JOIN tutors t ON t.id = b2.tutor
		WHERE b1.tutor = {:id} AND b1.status != 'cancelled' AND t.verified = TRUE AND t.status = 'active'
		GROUP BY t.id ORDER BY students DESC, ` + tutorSorts["relevance"] + ` LIMIT ` + strconv.Itoa(limit)).
		Bind(dbx.Params{"id": id}).All(&rows)
	if err != nil {
		return fmt.Errorf("failed to load also-booked tutors: %w", err)
	}
	items := make([]AlsoBookedJSON, len(rows))
	for i, r := range rows {
		items[i] = AlsoBookedJSON{Tutor: r.TutorSummary, Students: r.Students}
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}

// PopularPackages answers GET /api/packages/popular: published packages of
// listed tutors by sales (paid, expired or refunded purchases), newest
// first among equals; optionally of one subject.
func (d *Service) PopularPackages(e *core.RequestEvent) error {
	p := newQueryParams(e)
	limit := p.intIn("limit", 10, 1, MaxPerPage)
	subject, err := p.subject(e.App, "subject")
	if err != nil {
		return err
	}
	if err := p.err("Invalid popular packages request."); err != nil {
		return err
	}
	f := packageFilter{tutor: tutorFilter{minPrice: -1, maxPrice: -1}, minPrice: -1, maxPrice: -1}
	if subject != nil {
		f.subject = subject.Id
	}
	items, err := listPackages(e.App, f, "popular", limit, 0, true)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"items": items})
}
