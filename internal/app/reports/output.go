package reports

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	"github.com/pocketbase/pocketbase/core"
)

// numeric columns are right-aligned in the PDF.
func numeric(rows []map[string]any, col string) bool {
	for _, r := range rows {
		switch r[col].(type) {
		case string:
			return false
		}
	}
	return true
}

// writePDF prints the rows as the CSV has them: one table, the columns'
// headings above it, the period and filters under the title, the words in
// the staff member's language (the cells as the JSON has them).
func (s *Service) writePDF(e *core.RequestEvent, name string, q query, columns []string, rows []map[string]any) error {
	lbl := labelsIn(platform.RequestLang(e))
	doc := billing.Document{
		Title:   fmt.Sprintf(lbl.title, lbl.name(name)),
		Meta:    []string{fmt.Sprintf(lbl.period, q.from.In(q.loc).Format(time.DateOnly), q.to.In(q.loc).Format(time.DateOnly))},
		Created: s.env.Now(),
		PageOf:  lbl.page,
	}
	if q.tutor != "" {
		doc.Meta = append(doc.Meta, lbl.tutor+": "+q.tutor)
	}
	if q.subject != "" {
		doc.Meta = append(doc.Meta, lbl.subject+": "+q.subject)
	}
	if q.by != "week" {
		doc.Meta = append(doc.Meta, fmt.Sprintf(lbl.by, lbl.name(q.by)))
	}
	columns = printed(columns)
	titles := make([]string, len(columns))
	for i, c := range columns {
		titles[i] = lbl.heading(c)
	}
	widths := columnWidths(columns, titles, rows)
	for i, c := range columns {
		doc.Columns = append(doc.Columns, billing.Column{Title: titles[i], Width: widths[i], Right: numeric(rows, c)})
	}
	for _, r := range rows {
		line := make([]string, len(columns))
		for i, c := range columns {
			line[i] = cell(r[c])
		}
		doc.Rows = append(doc.Rows, line)
	}
	pdf, err := doc.Render()
	if err != nil {
		return err
	}
	e.Response.Header().Set("Content-Disposition", `attachment; filename="`+name+`.pdf"`)
	return e.Blob(http.StatusOK, "application/pdf", pdf)
}

// sortByName orders rows by their name, then their first column's id.
func sortByName(rows []map[string]any) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i]["name"].(string), rows[j]["name"].(string)
		return a < b
	})
}

// printed leaves out the record ids where a name says who it is: the
// printout is for people (the CSV keeps them).
func printed(columns []string) []string {
	if !slices.Contains(columns, "name") {
		return columns
	}
	return slices.DeleteFunc(slices.Clone(columns), func(c string) bool { return c == "tutor" || c == "student" || c == "group" })
}

// columnWidths shares the page's width among the columns in proportion to
// their longest cell or heading word.
func columnWidths(columns, titles []string, rows []map[string]any) []float64 {
	chars := make([]float64, len(columns))
	var total float64
	for i, c := range columns {
		n := 0
		for _, w := range strings.Fields(titles[i]) {
			n = max(n, utf8.RuneCountInString(w))
		}
		for _, r := range rows {
			n = max(n, utf8.RuneCountInString(cell(r[c])))
		}
		chars[i] = float64(n + 3)
		if !numeric(rows, c) {
			chars[i] *= 1.5 // names and dates are wider than digits
		}
		total += chars[i]
	}
	for i := range chars {
		chars[i] *= billing.ContentWidth / total
	}
	return chars
}
