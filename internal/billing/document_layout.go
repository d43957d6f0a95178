package billing

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// This file lays out a Document's parts; document.go has the fonts, text
// runs and page handling under it.

// header prints the title and the meta lines.
func (r *docRenderer) header() {
	r.advance(20)
	r.text(true, 20, marginLeft, r.y, clean(r.d.Title))
	r.y += 8
	for _, m := range r.d.Meta {
		for _, l := range r.wrap(false, 10, ContentWidth, m) {
			r.advance(14)
			r.text(false, 10, marginLeft, r.y, l)
		}
	}
	r.y += 16
}

// styledLine is one line of a block.
type styledLine struct {
	bold bool
	text string
}

// blockLines wraps a block into its lines.
func (r *docRenderer) blockLines(b Block, width float64) []styledLine {
	var lines []styledLine
	add := func(bold bool, s string) {
		for _, l := range r.wrap(bold, 10, width, s) {
			lines = append(lines, styledLine{bold, l})
		}
	}
	add(true, b.Heading)
	add(true, b.Name)
	for _, l := range b.Lines {
		add(false, l)
	}
	return lines
}

// blocks prints up to two blocks side by side.
func (r *docRenderer) blocks() {
	if len(r.d.Blocks) == 0 {
		return
	}
	width := (ContentWidth - columnGap) / 2
	var cols [2][]styledLine
	for i, b := range r.d.Blocks[:min(2, len(r.d.Blocks))] {
		cols[i] = r.blockLines(b, width)
	}
	for i := range max(len(cols[0]), len(cols[1])) {
		r.advance(13)
		for c, x := range []float64{marginLeft, marginLeft + width + columnGap} {
			if i < len(cols[c]) {
				r.text(cols[c][i].bold, 10, x, r.y, cols[c][i].text)
			}
		}
	}
	r.y += 20
}

// tableHeader prints the column titles on a light gray band.
func (r *docRenderer) tableHeader() {
	// a title wider than its column wraps; the band grows by a line for each
	titles := make([][]string, len(r.d.Columns))
	lines := 1
	for i, c := range r.d.Columns {
		titles[i] = []string{c.Title}
		if r.width(true, 9, c.Title) > c.Width-4 {
			titles[i] = r.wrap(true, 9, c.Width-4, c.Title)
		}
		lines = max(lines, len(titles[i]))
	}
	extra := float64(lines-1) * 11
	r.y += 18
	r.pdf.SetFillColor(230, 230, 230)
	r.pdf.Rect(marginLeft-4, r.y-13, ContentWidth+8, 18+extra, "F")
	x := marginLeft
	for i, c := range r.d.Columns {
		for l, title := range titles[i] {
			y := r.y + float64(l)*11
			if c.Right {
				r.textRight(true, 9, x+c.Width, c.Width-4, y, title)
			} else {
				r.text(true, 9, x, y, clean(title))
			}
		}
		x += c.Width
	}
	r.y += 6 + extra
}

// table prints the rows, repeating the header on every page.
func (r *docRenderer) table() {
	if len(r.d.Columns) == 0 {
		return
	}
	r.keep(60)
	r.tableHeader()
	r.onNewPage = r.tableHeader
	defer func() { r.onNewPage = nil }()
	for _, row := range r.d.Rows {
		cells := make([][]string, len(r.d.Columns))
		height := 1
		for i, c := range r.d.Columns {
			if i < len(row) && !c.Right {
				cells[i] = r.wrap(false, 10, c.Width-6, row[i])
				height = max(height, len(cells[i]))
			}
		}
		r.keep(float64(height)*12 + 6)
		for line := range height {
			r.advance(12)
			x := marginLeft
			for i, c := range r.d.Columns {
				switch {
				case i >= len(row):
				case c.Right && line == 0:
					r.textRight(false, 10, x+c.Width, c.Width-6, r.y, row[i])
				case !c.Right && line < len(cells[i]):
					r.text(false, 10, x, r.y, cells[i][line])
				}
				x += c.Width
			}
		}
		r.y += 5
		r.hline(marginLeft, marginRight, r.y, 204)
	}
}

// summary prints the summary rows on the right, then the notes.
func (r *docRenderer) summary() {
	r.keep(16*float64(len(r.d.Summary)) + 30)
	r.y += 8
	const labelX = 300.0
	for _, row := range r.d.Summary {
		label := r.wrap(row.Bold, 11, marginRight-labelX-100, row.Label)
		if len(label) == 0 {
			label = []string{""}
		}
		for i, l := range label {
			r.advance(16)
			if i == 0 && row.Bold {
				r.hline(labelX, marginRight, r.y-12, 0)
			}
			r.text(row.Bold, 11, labelX, r.y, l)
			if i == 0 {
				r.textRight(row.Bold, 11, marginRight, 95, r.y, row.Value)
			}
		}
	}
	r.y += 14
	for _, n := range r.d.Notes {
		for _, l := range r.wrap(false, 9, ContentWidth, n) {
			r.advance(12)
			r.text(false, 9, marginLeft, r.y, l)
		}
	}
}

// footers prints the footer and "page i of n" on every page, now that n is
// known.
func (r *docRenderer) footers() {
	n := r.pdf.PageCount()
	footer := r.truncate(false, 8, 300, clean(r.d.Footer))
	for i := 1; i <= n; i++ {
		r.pdf.SetPage(i)
		const y = pageHeight - 30
		r.text(false, 8, marginLeft, y, footer)
		if r.d.PageOf != "" {
			r.textRight(false, 8, marginRight, 150, y, fmt.Sprintf(r.d.PageOf, i, n))
		}
	}
}

// wrap breaks s into lines no wider than width when set at size: at line
// breaks in s, then greedily between words, and inside a word only when
// the word alone is too wide (so CJK text, written without spaces, breaks
// between characters). Surrounding white space is dropped; an all-blank s
// gives no lines.
func (r *docRenderer) wrap(bold bool, size, width float64, s string) []string {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	if s == "" {
		return nil
	}
	var lines []string
	for _, para := range strings.Split(s, "\n") {
		start := len(lines)
		line := ""
		for _, word := range strings.Fields(clean(para)) {
			if line != "" {
				if candidate := line + " " + word; r.width(bold, size, candidate) <= width {
					line = candidate
					continue
				}
				lines = append(lines, line)
				line = ""
			}
			for r.width(bold, size, word) > width {
				cut := r.fitting(bold, size, width, word)
				lines = append(lines, word[:cut])
				word = word[cut:]
			}
			line = word
		}
		// A blank paragraph is an empty line; a paragraph whose last word
		// was broken exactly at the width leaves nothing behind.
		if line != "" || len(lines) == start {
			lines = append(lines, line)
		}
	}
	return lines
}

// fitting returns how many leading bytes of s (whole runes) fit in width,
// at least one rune so that wrapping always progresses.
func (r *docRenderer) fitting(bold bool, size, width float64, s string) int {
	_, first := utf8.DecodeRuneInString(s)
	lo, hi := first, len(s) // s[:lo] is kept; find the longest prefix that fits
	for i := range s {
		if i < lo {
			continue
		}
		if r.width(bold, size, s[:i]) > width {
			return lo
		}
		lo = i
	}
	if r.width(bold, size, s) <= width {
		return hi
	}
	return lo
}

// truncate cuts s to fit in width, marking the cut with an ellipsis.
func (r *docRenderer) truncate(bold bool, size, width float64, s string) string {
	if r.width(bold, size, s) <= width {
		return s
	}
	return s[:r.fitting(bold, size, width-r.width(bold, size, "…"), s)] + "…"
}
