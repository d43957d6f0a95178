package hooks

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"tutorbase/internal/match"
	"tutorbase/internal/schedule"
	"tutorbase/migrations"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Matching and recommendations (docs/discovery.md): GET /api/match ranks
// tutors with internal/match; also-booked and popular packages count
// bookings and sales. This file also holds what all discovery routes
// share: query parsing, and the bulk loading of many tutors' calendars.

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
	if from, ferr = parseInstant(p.q.Get(fromField)); ferr != nil {
		p.errs[fromField] = ferr
	}
	if to, terr = parseInstant(p.q.Get(toField)); terr != nil {
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

// windowCacheKey holds the app's match.WindowCache in its store.
const windowCacheKey = "tutorbase.discovery.windows"

func registerMatch(app core.App) {
	// tutors' weekly windows are cached between writes; any change to
	// availability, a tutor (their zone) or the school (its zone, step)
	// clears them, whatever the path (API, dashboard, jobs)
	cache := match.NewWindowCache()
	app.Store().Set(windowCacheKey, cache)
	forget := func(e *core.RecordEvent) error {
		cache.Clear()
		tutorsOf(e.App).clear()
		return e.Next()
	}
	for _, c := range []string{"availability", "tutors", "school"} {
		app.OnRecordAfterCreateSuccess(c).BindFunc(forget)
		app.OnRecordAfterUpdateSuccess(c).BindFunc(forget)
		app.OnRecordAfterDeleteSuccess(c).BindFunc(forget)
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/match", matchRoute)
		se.Router.GET("/api/tutors/{id}/also-booked", alsoBookedRoute)
		se.Router.GET("/api/packages/popular", popularRoute)
		return se.Next()
	})
}

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
}

func parseMatch(e *core.RequestEvent) (matchRequest, error) {
	p := newQueryParams(e)
	r := matchRequest{maxPrice: p.money("max_price"), language: p.language("language")}
	r.from, r.to, r.window = p.window("from", "to")
	r.length = time.Duration(p.intIn("minutes", 60, 15, 480)) * time.Minute
	r.limit = p.intIn("limit", 10, 1, MaxMatches)
	var err error
	if r.subject, err = p.subject(e.App, "subject"); err != nil {
		return r, err
	}
	if err := p.err("Invalid match request."); err != nil {
		return r, err
	}
	if r.subject != nil {
		r.family, err = subjectFamily(e.App, *r.subject)
	}
	return r, err
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
}

// matchRoute answers GET /api/match: candidates are the listed tutors
// (teaching the subject or a related one, within the budget), ranked by
// internal/match with the free time the slot engine finds in the window.
func matchRoute(e *core.RequestEvent) error {
	r, err := parseMatch(e)
	if err != nil {
		return err
	}
	school, err := LoadSchool(e.App)
	if err != nil {
		return err
	}
	f := tutorFilter{minPrice: -1, maxPrice: r.maxPrice}
	for _, s := range r.family {
		f.subjects = append(f.subjects, s.Id)
	}
	where, params := f.sql()
	var rows []matchRow
	if err := e.App.DB().NewQuery("SELECT " + summaryColumns + ", " + schedExtraColumns + " FROM tutors t WHERE " + where).
		Bind(params).All(&rows); err != nil {
		return fmt.Errorf("failed to load match candidates: %w", err)
	}
	frees, err := matchFreeTime(e.App, school, r, rows)
	if err != nil {
		return err
	}
	byID := make(map[string]*matchRow, len(rows))
	cands := make([]match.Candidate, len(rows))
	for i := range rows {
		byID[rows[i].Id] = &rows[i]
		cands[i] = r.candidate(&rows[i], frees[rows[i].Id], school.Currency)
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
func matchFreeTime(app core.App, school *School, r matchRequest, rows []matchRow) (map[string]match.Free, error) {
	if !r.window {
		return nil, nil
	}
	sched, ids := make([]schedRow, len(rows)), make([]string, len(rows))
	for i, row := range rows {
		sched[i] = schedRow{Id: row.Id, Timezone: row.Timezone, LessonMinutes: row.LessonMinutes, Buffer: row.Buffer, Notice: row.Notice, Advance: row.Advance}
		ids[i] = row.Id
	}
	cals, err := loadCalendars(app, school, sched, r.from, r.to)
	if err != nil {
		return nil, err
	}
	if err := addBookings(app, cals, ids, r.from, r.to); err != nil {
		return nil, err
	}
	now := time.Now()
	out := make(map[string]match.Free, len(rows))
	for _, id := range ids {
		out[id] = match.FreeIn(*cals[id], r.from, r.to, r.length, now)
	}
	return out, nil
}

func (r matchRequest) candidate(row *matchRow, free match.Free, schoolCurrency string) match.Candidate {
	c := match.Candidate{
		ID: row.Id, RatingSum: row.RatingAvg * float64(row.RatingCount), RatingCount: row.RatingCount,
		HourlyRate: row.HourlyRate, Currency: cmp.Or(row.Currency, schoolCurrency), MaxPrice: max(r.maxPrice, 0),
		Languages: row.Languages, WantedLanguage: r.language,
	}
	if r.window {
		c.FreeMinutes, c.WantedMinutes = free.Minutes, int(r.to.Sub(r.from)/time.Minute)
	}
	if r.subject != nil {
		c.WantedSubject = r.subject.Name
		if slices.Contains(row.Subjects, r.subject.Id) {
			c.Subject, c.SubjectName = match.FitExact, r.subject.Name
		} else if i := slices.IndexFunc(r.family, func(s subjectRow) bool { return slices.Contains(row.Subjects, s.Id) }); i >= 0 {
			c.Subject, c.SubjectName = match.FitRelated, r.family[i].Name
		}
	}
	return c
}

func (r matchRequest) item(res match.Result, row *matchRow, free match.Free) MatchJSON {
	out := MatchJSON{Tutor: row.TutorSummary, Score: roundScore(res.Score), Rank: res.Rank, Reasons: res.Reasons}
	for i := range out.Reasons {
		out.Reasons[i].Weight = roundScore(out.Reasons[i].Weight)
	}
	if r.window {
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

// alsoBookedRoute answers GET /api/tutors/{id}/also-booked: the listed
// tutors that students of this tutor also booked (any booking not
// cancelled), by the number of such students, then the Bayesian rating.
func alsoBookedRoute(e *core.RequestEvent) error {
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

// popularRoute answers GET /api/packages/popular: published packages of
// listed tutors by sales (paid, expired or refunded purchases), newest
// first among equals; optionally of one subject.
func popularRoute(e *core.RequestEvent) error {
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

// schedRow is what a tutor's calendar needs from the tutors row.
type schedRow struct {
	Id            string               `db:"id"`
	Timezone      string               `db:"timezone"`
	LessonMinutes types.JSONArray[int] `db:"lesson_minutes"`
	Buffer        int                  `db:"buffer_minutes"`
	Notice        int                  `db:"min_notice_minutes"`
	Advance       int                  `db:"max_advance_days"`
}

// schedColumns are the tutors columns a schedRow reads, on alias t.
const (
	schedColumns      = "t.id, " + schedExtraColumns
	schedExtraColumns = "t.timezone, t.lesson_minutes, CAST(t.buffer_minutes AS INTEGER) AS buffer_minutes, " +
		"CAST(t.min_notice_minutes AS INTEGER) AS min_notice_minutes, CAST(t.max_advance_days AS INTEGER) AS max_advance_days"
)

// lessonLengths is a tutor's lesson lengths, the defaults when none are
// set (as LessonMinutes does for a record).
func lessonLengths(minutes []int) []int {
	if len(minutes) == 0 {
		return DefaultLessonMinutes
	}
	return minutes
}

// tutorZone is a tutor's effective zone: their own, else the school's.
func tutorZone(app core.App, school *School, tz string) *time.Location {
	if tz != "" {
		if loc, err := Location(app, tz); err == nil {
			return loc
		}
	}
	return school.Location
}

// maxBuffer is the widest buffer a tutor keeps around lessons
// (buffer_minutes ≤ 240): a booking that far outside a window still blocks
// lessons in it.
const maxBuffer = 4 * time.Hour

// loadCalendars builds the schedule.Calendar of every tutor in rows with
// their weekly availability (cached, see registerMatch) and their time off
// in [from, to]; addBookings adds their bookings. The tutor ids go in as
// one JSON array (json_each), so each query walks the per-tutor index once
// per candidate.
func loadCalendars(app core.App, school *School, rows []schedRow, from, to time.Time) (map[string]*schedule.Calendar, error) {
	cals := make(map[string]*schedule.Calendar, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		c := &schedule.Calendar{
			Location: tutorZone(app, school, r.Timezone), Step: school.SlotStep,
			Buffer: time.Duration(r.Buffer) * time.Minute, MinNotice: time.Duration(r.Notice) * time.Minute,
			MaxAdvance: time.Duration(r.Advance) * 24 * time.Hour,
		}
		for _, m := range lessonLengths(r.LessonMinutes) {
			c.Lengths = append(c.Lengths, time.Duration(m)*time.Minute)
		}
		cals[r.Id], ids[i] = c, r.Id
	}
	if err := loadWindowsInto(app, cals, ids); err != nil {
		return nil, err
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	p := dbx.Params{"ids": string(list), "from": dbTime(from), "to": dbTime(to)}
	return cals, loadIntervalsInto(app, cals, `SELECT o.tutor, o.start, o."end" FROM json_each({:ids}) j JOIN time_off o ON o.tutor = j.value
		WHERE o.start < {:to} AND o."end" > {:from}`, p,
		func(c *schedule.Calendar, iv schedule.Interval) { c.TimeOff = append(c.TimeOff, iv) })
}

// addBookings adds to the calendars of ids the active bookings that can
// block a lesson in [from, to]. The unary "+" keeps SQLite on the (tutor,
// start) index, within a bounded start range, instead of the (status, end)
// one, which would read every future booking of the school.
func addBookings(app core.App, cals map[string]*schedule.Calendar, ids []string, from, to time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	p := dbx.Params{"ids": string(list), "from": dbTime(from.Add(-maxBuffer)), "to": dbTime(to.Add(maxBuffer)),
		"earliest": dbTime(from.Add(-maxBuffer - maxLesson))}
	return loadIntervalsInto(app, cals, `SELECT b.tutor, b.start, b."end" FROM json_each({:ids}) j JOIN bookings b ON b.tutor = j.value
		WHERE b.start > {:earliest} AND b.start < {:to} AND +b.status IN `+activeStatusesSQL+` AND +b."end" > {:from}`, p,
		func(c *schedule.Calendar, iv schedule.Interval) { c.Busy = append(c.Busy, iv) })
}

type bulkWindowRow struct {
	Tutor string `db:"tutor"`
	windowRow
}

// loadWindowsInto gives each calendar its tutor's weekly windows, from the
// cache or, for the tutors not in it, from one bulk query.
func loadWindowsInto(app core.App, cals map[string]*schedule.Calendar, ids []string) error {
	cache, ok := app.Store().Get(windowCacheKey).(*match.WindowCache)
	if !ok {
		cache = match.NewWindowCache() // not registered: nothing to share
	}
	windows, missing, gen := cache.Lookup(ids)
	if len(missing) > 0 {
		list, err := json.Marshal(missing)
		if err != nil {
			return err
		}
		var rows []bulkWindowRow
		err = app.DB().NewQuery(`SELECT a.tutor, a.weekday, a.start, a."end", a.timezone, a.valid_from, a.valid_until
			FROM json_each({:ids}) j JOIN availability a ON a.tutor = j.value`).Bind(dbx.Params{"ids": string(list)}).All(&rows)
		if err != nil {
			return fmt.Errorf("failed to load availability: %w", err)
		}
		loaded := make(map[string][]schedule.Window, len(missing))
		for _, r := range rows {
			if w, err := windowFromRow(app, r.windowRow, cals[r.Tutor].Location); err == nil {
				loaded[r.Tutor] = append(loaded[r.Tutor], w)
			} // validated on write; an unreadable window offers no time
		}
		cache.Store(gen, missing, loaded)
		maps.Copy(windows, loaded)
	}
	for id, c := range cals {
		c.Windows = windows[id]
	}
	return nil
}

type bulkIntervalRow struct {
	Tutor string `db:"tutor"`
	Start string `db:"start"`
	End   string `db:"end"`
}

func loadIntervalsInto(app core.App, cals map[string]*schedule.Calendar, query string, params dbx.Params, add func(*schedule.Calendar, schedule.Interval)) error {
	var rows []bulkIntervalRow
	if err := app.DB().NewQuery(query).Bind(params).All(&rows); err != nil {
		return fmt.Errorf("failed to load busy times: %w", err)
	}
	for _, r := range rows {
		c := cals[r.Tutor]
		if c == nil {
			continue
		}
		iv, err := parseInterval(r.Start, r.End)
		if err != nil {
			return fmt.Errorf("busy time of tutor %s: %w", r.Tutor, err)
		}
		add(c, iv)
	}
	return nil
}
