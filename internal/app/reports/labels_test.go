package reports

import (
	"testing"

	"tutorbase/internal/lang"
)

// TestLabelsInEveryLanguage: every language prints every report's name,
// grouping and column in its own words (English writes the keys).
func TestLabelsInEveryLanguage(t *testing.T) {
	for _, l := range lang.Supported {
		lbl, ok := labels[l]
		if !ok || lbl.title == "" || lbl.period == "" || lbl.page == "" || lbl.by == "" || lbl.tutor == "" || lbl.subject == "" {
			t.Errorf("no PDF labels in %q", l)
			continue
		}
		for _, n := range append(Names(), "week", "tutor", "subject", "package") {
			if lbl.names[n] == "" {
				t.Errorf("%s: no name for %q", l, n)
			}
		}
		if l == lang.English {
			continue
		}
		for name, r := range reports {
			for _, c := range append(r.columns, revenueGroupColumns...) {
				if lbl.columns[c] == "" {
					t.Errorf("%s: report %s has no heading for %q", l, name, c)
				}
			}
		}
	}
}
