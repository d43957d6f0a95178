package reports

import (
	"fmt"
	"sort"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

var (
	revenueWeekColumns  = []string{"week", "start", "currency", "paid", "refunded", "net"}
	revenueGroupColumns = []string{"group", "name", "currency", "paid", "refunded", "net"}
)

// money is one payment or succeeded refund with what it paid for: a
// package's purchase (its tutor, the package's subject) or one lesson (its
// tutor and subject).
type money struct {
	At       types.DateTime `db:"at"`
	Amount   int64          `db:"amount"`
	Currency string         `db:"currency"`
	Tutor    string         `db:"tutor"`
	Subject  string         `db:"subject"`
	Package  string         `db:"package"`
}

// moneyDims are the columns of money from a payment p joined to what it
// paid for.
const moneyDims = `p.currency,
	CASE WHEN p.purchase != '' THEN COALESCE(pu.tutor, '') ELSE COALESCE(bk.tutor, '') END AS tutor,
	CASE WHEN p.purchase != '' THEN COALESCE(pk.subject, '') ELSE COALESCE(bk.subject, '') END AS subject,
	CASE WHEN p.purchase != '' THEN COALESCE(pu.package, '') ELSE '' END AS package`

const moneyJoins = ` LEFT JOIN purchases pu ON p.purchase != '' AND pu.id = p.purchase
	LEFT JOIN packages pk ON pk.id = pu.package
	LEFT JOIN bookings bk ON p.booking != '' AND bk.id = p.booking`

// loadMoney reads the payments paid and the refunds succeeded in the
// period, kept to the query's tutor and subject.
func loadMoney(app core.App, q query) (paid, refunded []money, err error) {
	p := period(q)
	filter := ""
	if q.tutor != "" {
		filter += " AND tutor = {:tutor}"
		p["tutor"] = q.tutor
	}
	if q.subject != "" {
		filter += " AND subject = {:subject}"
		p["subject"] = q.subject
	}
	payments := `SELECT * FROM (SELECT p.paid_at AS at, p.amount, ` + moneyDims + ` FROM payments p` + moneyJoins +
		` WHERE p.paid_at != '' AND p.paid_at >= {:from} AND p.paid_at < {:to}) WHERE 1=1` + filter
	if err := app.DB().NewQuery(payments).Bind(p).All(&paid); err != nil {
		return nil, nil, err
	}
	refunds := `SELECT * FROM (SELECT r.updated AS at, r.amount, ` + moneyDims + ` FROM refunds r JOIN payments p ON p.id = r.payment` + moneyJoins +
		` WHERE r.status = 'succeeded' AND r.updated >= {:from} AND r.updated < {:to}) WHERE 1=1` + filter
	if err := app.DB().NewQuery(refunds).Bind(p).All(&refunded); err != nil {
		return nil, nil, err
	}
	return paid, refunded, nil
}

// revenueReport is the money paid and refunded per week and currency, or,
// with by=tutor|subject|package, per tutor, subject or package and
// currency.
func (s *Service) revenueReport(app core.App, q query) ([]map[string]any, error) {
	paid, refunded, err := loadMoney(app, q)
	if err != nil {
		return nil, err
	}
	key := func(m money) string {
		switch q.by {
		case "tutor":
			return m.Tutor
		case "subject":
			return m.Subject
		case "package":
			return m.Package
		}
		y, w := m.At.Time().In(q.loc).ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	}
	// group -> currency -> [paid, refunded]
	sums := map[string]map[string]*[2]int64{}
	tally := func(list []money, i int) {
		for _, m := range list {
			k := key(m)
			if sums[k] == nil {
				sums[k] = map[string]*[2]int64{}
			}
			if sums[k][m.Currency] == nil {
				sums[k][m.Currency] = &[2]int64{}
			}
			sums[k][m.Currency][i] += m.Amount
		}
	}
	tally(paid, 0)
	tally(refunded, 1)
	if q.by != "week" {
		return groupRows(app, q.by, sums)
	}
	weekRows, _ := weeks(q.from, q.to, q.loc)
	var rows []map[string]any
	for _, wr := range weekRows {
		week := wr["week"].(string)
		for _, c := range currencies(sums[week], true) {
			v := amounts(sums[week][c])
			rows = append(rows, map[string]any{"week": week, "start": wr["start"], "currency": c, "paid": v[0], "refunded": v[1], "net": v[0] - v[1]})
		}
	}
	return rows, nil
}

// groupRows is one row per group and currency, named, sorted by name.
func groupRows(app core.App, by string, sums map[string]map[string]*[2]int64) ([]map[string]any, error) {
	names, err := namesOf(app, by, sums)
	if err != nil {
		return nil, err
	}
	groups := make([]string, 0, len(sums))
	for g := range sums {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		if names[groups[i]] != names[groups[j]] {
			return names[groups[i]] < names[groups[j]]
		}
		return groups[i] < groups[j]
	})
	rows := []map[string]any{}
	for _, g := range groups {
		for _, c := range currencies(sums[g], false) {
			v := amounts(sums[g][c])
			rows = append(rows, map[string]any{"group": g, "name": names[g], "currency": c, "paid": v[0], "refunded": v[1], "net": v[0] - v[1]})
		}
	}
	return rows, nil
}

// namesOf reads the names of the groups: tutors' names, subjects' names,
// packages' titles.
func namesOf(app core.App, by string, sums map[string]map[string]*[2]int64) (map[string]string, error) {
	var list []struct {
		Id   string `db:"id"`
		Name string `db:"name"`
	}
	ids := make([]any, 0, len(sums))
	for g := range sums {
		ids = append(ids, g)
	}
	var sel *dbx.SelectQuery
	switch by {
	case "tutor":
		sel = app.DB().Select("t.id", "u.name").From("tutors t").InnerJoin("users u", dbx.NewExp("u.id = t.user")).Where(dbx.In("t.id", ids...))
	case "subject":
		sel = app.DB().Select("id", "name").From("subjects").Where(dbx.In("id", ids...))
	default:
		sel = app.DB().Select("id", "title AS name").From("packages").Where(dbx.In("id", ids...))
	}
	if err := sel.All(&list); err != nil {
		return nil, err
	}
	names := map[string]string{}
	for _, n := range list {
		names[n.Id] = n.Name
	}
	return names, nil
}

func currencies(m map[string]*[2]int64, keepEmpty bool) []string {
	list := make([]string, 0, len(m))
	for c := range m {
		list = append(list, c)
	}
	sort.Strings(list)
	if len(list) == 0 && keepEmpty {
		list = []string{""} // a week without money still appears
	}
	return list
}

func amounts(p *[2]int64) [2]int64 {
	if p == nil {
		return [2]int64{}
	}
	return *p
}
