package migrations

import (
	"slices"
	"strings"

	"github.com/pocketbase/pocketbase/core"
)

// reportTotals is a table of running totals that triggers keep in the
// statement that writes a row of a source table (like ReportDays): rows
// keyed by keys, each counter the sum over the source rows of its
// expression. Expressions name the source row {r} (NEW or OLD in a
// trigger, r in a rebuild).
type reportTotals struct {
	table    string
	keys     [][2]string // column, expression
	counters [][2]string // column, expression
}

// values is the SQL of row r's keys and counters (times sign), for a
// SELECT.
func (t reportTotals) values(r, sign string) []string {
	vals := make([]string, 0, len(t.keys)+len(t.counters))
	for _, k := range t.keys {
		vals = append(vals, reportRow(k[1], r))
	}
	for _, c := range t.counters {
		vals = append(vals, sign+"COALESCE("+reportRow(c[1], r)+", 0)")
	}
	return vals
}

func (t reportTotals) columns() []string {
	cols := make([]string, 0, len(t.keys)+len(t.counters))
	for _, k := range t.keys {
		cols = append(cols, k[0])
	}
	for _, c := range t.counters {
		cols = append(cols, c[0])
	}
	return cols
}

// reportRow is expr of row r (expressions write it {r}).
func reportRow(expr, r string) string {
	return "(" + strings.ReplaceAll(expr, "{r}", r) + ")"
}

// upsert adds the counters (times sign) of each row that "SELECT ... FROM
// from WHERE where" gives (r naming it) to its key's totals.
func (t reportTotals) upsert(r, sign, from, where string) string {
	keys, sets := make([]string, len(t.keys)), make([]string, len(t.counters))
	for i, k := range t.keys {
		keys[i] = k[0]
	}
	for i, c := range t.counters {
		sets[i] = c[0] + " = " + c[0] + " + excluded." + c[0]
	}
	if from == "" {
		from = "(SELECT 1)"
	}
	if where == "" { // an upsert's SELECT needs a WHERE before ON CONFLICT
		where = "TRUE"
	}
	return "INSERT INTO " + t.table + " (" + strings.Join(t.columns(), ", ") + ") SELECT " + strings.Join(t.values(r, sign), ", ") +
		" FROM " + from + " WHERE " + where + " ON CONFLICT (" + strings.Join(keys, ", ") + ") DO UPDATE SET " + strings.Join(sets, ", ") + ";"
}

// create is the table's CREATE statement; counters are numbers, 0 when
// nothing counts.
func (t reportTotals) create() string {
	cols, keys := []string{}, []string{}
	for _, k := range t.keys {
		cols = append(cols, k[0]+" TEXT NOT NULL")
		keys = append(keys, k[0])
	}
	for _, c := range t.counters {
		cols = append(cols, c[0]+" NUMERIC NOT NULL DEFAULT 0")
	}
	return "CREATE TABLE IF NOT EXISTS " + t.table + " (" + strings.Join(cols, ", ") + ", PRIMARY KEY (" + strings.Join(keys, ", ") + ")) WITHOUT ROWID"
}

// rebuild empties the table and sums each key's counters of the rows
// "SELECT ... FROM from" gives (r naming a row), all at once.
func (t reportTotals) rebuild(app core.App, from string) error {
	if _, err := app.DB().NewQuery("DELETE FROM " + t.table).Execute(); err != nil {
		return err
	}
	return t.fill(app, from)
}

// fill adds each key's sums of the rows "SELECT ... FROM from" gives (r
// naming a row) to the table: a second source of its counters.
func (t reportTotals) fill(app core.App, from string) error {
	vals := t.values("r", "")
	keys, sets := make([]string, len(t.keys)), make([]string, len(t.counters))
	for i, k := range t.keys {
		keys[i] = k[0]
	}
	groups := slices.Clone(vals[:len(t.keys)])
	for i, c := range t.counters {
		vals[len(t.keys)+i] = "SUM(" + vals[len(t.keys)+i] + ")"
		sets[i] = c[0] + " = " + c[0] + " + excluded." + c[0]
	}
	_, err := app.DB().NewQuery("INSERT INTO " + t.table + " (" + strings.Join(t.columns(), ", ") + ") SELECT " + strings.Join(vals, ", ") +
		" FROM " + from + " WHERE TRUE GROUP BY " + strings.Join(groups, ", ") + " ON CONFLICT (" + strings.Join(keys, ", ") + ") DO UPDATE SET " +
		strings.Join(sets, ", ")).Execute()
	return err
}

// execAll runs statements in order.
func execAll(app core.App, stmts []string) error {
	for _, s := range stmts {
		if _, err := app.DB().NewQuery(s).Execute(); err != nil {
			return err
		}
	}
	return nil
}

// RebuildReportTotals counts every booking, review and lesson report into
// ReportTutorDays, ReportStudentMonths and ReportStudentDays again, in the
// zone of ReportZone (after RebuildReportDays, in the transaction that
// changes the school's zone).
func RebuildReportTotals(app core.App) error {
	if err := rebuildReportTutorDays(app); err != nil {
		return err
	}
	return rebuildReportStudentDays(app)
}
