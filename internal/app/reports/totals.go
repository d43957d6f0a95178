package reports

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
)

// personSums is the WITH clause, to begin a statement, of a table x of
// (key, sums) rows that adds up, per person, the columns cols of a totals
// table (alias b) whose key starts with key then day, over the query's
// days (parameters from_day and to_day, set in p) and cond: sums is a
// JSON array of the sums in cols' order (nulls for a person with no row
// in the period). It walks the table's persons by jumping from one to the
// next on its key, and each person's sums are one range of the key:
// SQLite reads the period's rows once and sorts nothing. x is
// materialised, so that the sums are not worked out again wherever the
// statement names them.
func personSums(q query, p dbx.Params, table, key string, cols []string, cond string) string {
	p["from_day"], p["to_day"] = q.from.In(q.loc).Format(time.DateOnly), q.to.In(q.loc).Format(time.DateOnly)
	sums := make([]string, len(cols))
	for i, c := range cols {
		sums[i] = "SUM(b." + c + ")"
	}
	return `WITH RECURSIVE k(id) AS (SELECT MIN(` + key + `) FROM ` + table + ` UNION ALL
		SELECT (SELECT MIN(n.` + key + `) FROM ` + table + ` n WHERE n.` + key + ` > k.id) FROM k WHERE k.id IS NOT NULL),
	x AS MATERIALIZED (SELECT k.id AS ` + key + `, (SELECT json_array(` + strings.Join(sums, ", ") + `) FROM ` + table + ` b
		WHERE b.` + key + ` = k.id AND b.day >= {:from_day} AND b.day < {:to_day}` + cond + `) AS sums FROM k WHERE k.id IS NOT NULL) `
}

// parseSums reads a personSums array (a null as 0).
func parseSums(raw string, n int) []float64 {
	out := make([]float64, n)
	_ = json.Unmarshal([]byte(raw), &out) // SQLite wrote it
	return out
}
