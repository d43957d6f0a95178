package discovery

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// SearchPackages answers GET /api/search/packages (docs/discovery.md).
func (d *Service) SearchPackages(e *core.RequestEvent) error {
	p := newQueryParams(e)
	f := packageFilter{minPrice: p.money("min_price"), maxPrice: p.money("max_price")}
	p.priceRange("min_price", "max_price", f.minPrice, f.maxPrice)
	f.tutor = tutorFilter{minPrice: -1, maxPrice: -1, language: p.language("language"), minRating: p.rating("min_rating")}
	sort := p.oneOf("sort", "newest", packageSorts)
	page, perPage := p.page()
	subject, err := p.subject(e.App, "subject")
	if err != nil {
		return err
	}
	if subject != nil {
		f.subject = subject.Id
	}
	if f.tutorId, err = p.listedTutor(e.App, "tutor"); err != nil {
		return err
	}
	if err := p.err("Invalid package search."); err != nil {
		return err
	}
	total, err := countPackages(e.App, f)
	if err != nil {
		return err
	}
	items, err := listPackages(e.App, f, sort, perPage, (page-1)*perPage, false)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, newList(page, perPage, total, items))
}

// listedTutor reads the id of a verified, active tutor; "" when absent or
// not listed (a field error that does not tell unknown from unlisted).
func (p *queryParams) listedTutor(app core.App, field string) (string, error) {
	id := p.q.Get(field)
	if id == "" {
		return "", nil
	}
	ok, err := isListedTutor(app, id)
	if err != nil {
		return "", err
	}
	if !ok {
		p.fail(field, "unknown_tutor", "Unknown tutor.")
		return "", nil
	}
	return id, nil
}

// isListedTutor reports whether a tutor is verified and active, i.e. public.
func isListedTutor(app core.App, id string) (bool, error) {
	var n int
	err := app.DB().NewQuery("SELECT COUNT(*) FROM tutors WHERE id = {:id} AND verified = TRUE AND status = 'active'").
		Bind(dbx.Params{"id": id}).Row(&n)
	if err != nil {
		return false, fmt.Errorf("failed to look up the tutor: %w", err)
	}
	return n > 0, nil
}

// Package sorts; popular counts sold purchases (see soldStatusesSQL).
var packageSorts = map[string]string{
	"newest":   "p.created DESC, p.id",
	"price":    "p.effective_price ASC, p.id",
	"-price":   "p.effective_price DESC, p.id",
	"discount": "p.discount_percent DESC, p.effective_price ASC, p.id",
	"popular":  "", // by sales, then newest: see popularIds
}

// soldStatusesSQL are the purchase statuses that count as a sale: paid,
// and what a paid purchase becomes (expired, refunded).
const soldStatusesSQL = "('paid', 'expired', 'refunded')"

// PackageJSON is a published package as discovery shows it, with its
// tutor's public card.
type PackageJSON struct {
	Id              string       `db:"id" json:"id"`
	Tutor           string       `db:"tutor" json:"tutor"`
	Subject         string       `db:"subject" json:"subject"`
	SubjectName     string       `db:"subject_name" json:"subject_name"`
	Title           string       `db:"title" json:"title"`
	Description     string       `db:"description" json:"description"`
	Lessons         int          `db:"lessons" json:"lessons"`
	Minutes         int          `db:"minutes" json:"minutes"`
	Price           int64        `db:"price" json:"price"`
	EffectivePrice  int64        `db:"effective_price" json:"effective_price"`
	Currency        string       `db:"currency" json:"currency"`
	DiscountPercent int          `db:"discount_percent" json:"discount_percent"`
	ValidDays       int          `db:"valid_days" json:"valid_days"`
	Created         string       `db:"created" json:"created"`
	Sold            *int         `db:"-" json:"sold,omitempty"` // in GET /api/packages/popular only
	TutorSummary    TutorSummary `db:"card" json:"tutor_summary"`
}

// packageColumns fill a PackageJSON; dbx fills the nested card from the
// columns aliased "card.<field>".
const packageColumns = `p.id, p.tutor, p.subject, COALESCE(s.name, '') AS subject_name, p.title, p.description,
	CAST(p.lessons AS INTEGER) AS lessons, CAST(p.minutes AS INTEGER) AS minutes, CAST(p.price AS INTEGER) AS price,
	CAST(p.effective_price AS INTEGER) AS effective_price, p.currency, CAST(p.discount_percent AS INTEGER) AS discount_percent,
	CAST(p.valid_days AS INTEGER) AS valid_days, p.created,
	t.id AS "card.id", t.name AS "card.name", t.headline AS "card.headline", t.subjects AS "card.subjects",
	t.languages AS "card.languages", CAST(t.hourly_rate AS INTEGER) AS "card.hourly_rate", t.currency AS "card.currency",
	t.rating_avg AS "card.rating_avg", CAST(t.rating_count AS INTEGER) AS "card.rating_count", t.avatar AS "card.avatar"`

// packageFilter narrows the published packages of listed tutors.
type packageFilter struct {
	tutor              tutorFilter // language and rating of the tutor
	subject, tutorId   string
	minPrice, maxPrice int64 // effective_price bounds; -1: none
}

// unlistedTutorsSQL selects the tutors that discovery hides, usually few.
const unlistedTutorsSQL = "SELECT id FROM tutors WHERE verified = FALSE UNION ALL " +
	"SELECT id FROM tutors WHERE verified = TRUE AND status != 'active'"

// sql is the condition on packages p for listing them in the order sort
// names ("" to count). The tutor's part only filters (the unary "+"):
// SQLite checks each package's tutor against a list built once, without a
// tutor filter the few unlisted tutors.
func (f packageFilter) sql(sort string) (string, dbx.Params) {
	where, params := f.own(sort)
	if !f.byTutor() {
		return where + " AND +p.tutor NOT IN (" + unlistedTutorsSQL + ")", params
	}
	tutors, tparams := f.tutor.sql()
	for k, v := range tparams {
		params[k] = v
	}
	return where + " AND +p.tutor IN (SELECT t.id FROM tutors t WHERE " + tutors + ")", params
}

// byTutor reports whether f filters on the tutor's language or rating.
func (f packageFilter) byTutor() bool { return f.tutor.language != "" || f.tutor.minRating > 0 }

// own is the condition on the package's own columns. For a sort with its
// own index (price, newest, discount) the other columns are written "+x",
// so SQLite walks that index in order and stops at the page instead of
// sorting every match.
func (f packageFilter) own(sort string) (string, dbx.Params) {
	col := func(c string) string {
		if sort == "" || sort == "popular" || (c == "p.effective_price" && strings.HasSuffix(sort, "price")) {
			return c
		}
		return "+" + c
	}
	where, params := "p.status = 'published'", dbx.Params{}
	if f.subject != "" {
		where, params["pkgSubject"] = where+" AND "+col("p.subject")+" = {:pkgSubject}", f.subject
	}
	if f.tutorId != "" { // a tutor's few packages: always by the (tutor, status) index
		where, params["pkgTutor"] = where+" AND p.tutor = {:pkgTutor}", f.tutorId
	}
	if f.minPrice >= 0 {
		where, params["pkgMin"] = where+" AND "+col("p.effective_price")+" >= {:pkgMin}", f.minPrice
	}
	if f.maxPrice >= 0 {
		where, params["pkgMax"] = where+" AND "+col("p.effective_price")+" <= {:pkgMax}", f.maxPrice
	}
	return where, params
}

// countPackages counts the packages f selects without reading each
// package's row where it can: with no tutor filter, as the matches less
// those of unlisted tutors; with one but no subject, from the matching
// tutors through the (tutor, status) index.
func countPackages(app core.App, f packageFilter) (int, error) {
	own, params := f.own("")
	residual, _ := f.own("newest") // the same, driven by the few unlisted tutors' (tutor, status) entries
	query := "SELECT (SELECT COUNT(*) FROM packages p WHERE " + own + ") - (SELECT COUNT(*) FROM packages p WHERE " +
		residual + " AND p.tutor IN (" + unlistedTutorsSQL + "))"
	if f.byTutor() {
		tutors, tparams := f.tutor.sql()
		for k, v := range tparams {
			params[k] = v
		}
		query = "SELECT COUNT(*) FROM tutors t CROSS JOIN packages p ON p.tutor = t.id WHERE " + tutors + " AND " + own
		if f.subject != "" {
			where, _ := f.sql("")
			query = "SELECT COUNT(*) FROM packages p WHERE " + where
		}
	}
	var n int
	if err := app.DB().NewQuery(query).Bind(params).Row(&n); err != nil {
		return 0, fmt.Errorf("failed to count packages: %w", err)
	}
	return n, nil
}

// listPackages returns a page of the packages f selects in the order sort
// names: their ids first, with a light query, then the cards of the page.
// withSold adds the number sold to each.
func listPackages(app core.App, f packageFilter, sort string, limit, offset int, withSold bool) ([]PackageJSON, error) {
	var ids []string
	var sold map[string]int
	var err error
	if sort == "popular" {
		ids, sold, err = popularIds(app, f, limit, offset)
	} else {
		where, params := f.sql(sort)
		err = app.DB().NewQuery("SELECT p.id FROM packages p WHERE " + where + " ORDER BY " + packageSorts[sort] +
			" LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(offset)).Bind(params).Column(&ids)
	}
	if err != nil {
		return nil, fmt.Errorf("failed to list packages: %w", err)
	}
	return packagesByID(app, ids, sold, withSold)
}

// popularIds pages through the packages f selects by sales, then newest.
// Within a subject or a tutor (a few hundred packages at most) each one's
// sales are counted through the purchases index; across the catalogue the
// sold packages come first, from one pass over the sales, then the newest
// of the others.
func popularIds(app core.App, f packageFilter, limit, offset int) ([]string, map[string]int, error) {
	var rows []struct {
		Id   string `db:"id"`
		Sold int    `db:"sold"`
	}
	where, params := f.sql("popular")
	sold := "(SELECT COUNT(*) FROM purchases pu WHERE pu.status IN " + soldStatusesSQL + " AND pu.package = p.id)"
	query := "SELECT p.id AS id, " + sold + " AS sold FROM packages p WHERE " + where + " ORDER BY sold DESC, p.created DESC, p.id" +
		" LIMIT " + strconv.Itoa(limit) + " OFFSET " + strconv.Itoa(offset)
	scoped := f.subject != "" || f.tutorId != ""
	if !scoped {
		query = `SELECT p.id AS id, s.n AS sold
		FROM (SELECT package, COUNT(*) AS n FROM purchases WHERE status IN ` + soldStatusesSQL + ` GROUP BY package) s
		JOIN packages p ON p.id = s.package WHERE ` + where + ` ORDER BY s.n DESC, p.created DESC, p.id`
	}
	if err := app.DB().NewQuery(query).Bind(params).All(&rows); err != nil {
		return nil, nil, err
	}
	counts, all := make(map[string]int, len(rows)), make([]string, len(rows))
	for i, r := range rows {
		counts[r.Id], all[i] = r.Sold, r.Id
	}
	if scoped {
		return all, counts, nil
	}
	ids := slices.Clone(all[min(offset, len(all)):min(offset+limit, len(all))])
	rest := limit - len(ids)
	if rest <= 0 {
		return ids, counts, nil
	}
	list, err := json.Marshal(all)
	if err != nil {
		return nil, nil, err
	}
	where, params = f.sql("newest")
	params["sold"] = string(list)
	var more []string
	err = app.DB().NewQuery("SELECT p.id FROM packages p WHERE " + where + " AND +p.id NOT IN (SELECT value FROM json_each({:sold}))" +
		" ORDER BY " + packageSorts["newest"] + " LIMIT " + strconv.Itoa(rest) + " OFFSET " + strconv.Itoa(max(0, offset-len(all)))).
		Bind(params).Column(&more)
	return append(ids, more...), counts, err
}

// packagesByID loads the cards of the packages ids, in that order, with
// the number sold when withSold.
func packagesByID(app core.App, ids []string, sold map[string]int, withSold bool) ([]PackageJSON, error) {
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	var rows []PackageJSON
	err = app.DB().NewQuery("SELECT " + packageColumns + ` FROM json_each({:ids}) j JOIN packages p ON p.id = j.value
		JOIN tutors t ON t.id = p.tutor LEFT JOIN subjects s ON s.id = p.subject`).Bind(dbx.Params{"ids": string(list)}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("failed to load packages: %w", err)
	}
	pos := make(map[string]int, len(ids))
	for i, id := range ids {
		pos[id] = i
	}
	slices.SortFunc(rows, func(a, b PackageJSON) int { return pos[a.Id] - pos[b.Id] })
	for i := range rows {
		if withSold {
			n := sold[rows[i].Id]
			rows[i].Sold = &n
		}
	}
	return rows, nil
}
