package billing

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
)

// fonts are the embedded TrueType fonts (see fonts/README.md for their
// origin and licences): DejaVu Sans for Latin, Greek and Cyrillic, and
// Droid Sans Fallback for Chinese, Japanese and Korean.
//
//go:embed fonts/DejaVuSans.ttf fonts/DejaVuSans-Bold.ttf fonts/DroidSansFallbackFull.ttf
var fonts embed.FS

// Font families registered in every document.
const (
	familyText = "dejavu"
	familyCJK  = "cjk"
)

// Document is a printable A4 document made of a title, a few lines under
// it, up to two side-by-side blocks (who from, who to), a table whose
// header repeats on every page, summary rows (label and amount, right
// side), notes, and a footer with the page number. Invoices and credit
// notes are one; monthly statements are another. Any Unicode text prints:
// Latin, Greek, Cyrillic and CJK scripts are covered by the embedded fonts.
type Document struct {
	Title   string
	Meta    []string // lines under the title: number, date
	Blocks  []Block  // at most two, printed side by side
	Columns []Column
	Rows    [][]string // one cell per column; a left column wraps, a right one shrinks to fit
	Summary []SummaryRow
	Notes   []string
	// Footer is printed at the bottom left of every page, PageOf (a format
	// with two %d, "Page %d of %d") at the bottom right when not empty.
	Footer, PageOf string
	// Created is the document's date in its information dictionary; the
	// output depends only on the Document, never on the clock.
	Created time.Time
}

// Block is a heading, a name in bold, and further lines.
type Block struct {
	Heading, Name string
	Lines         []string
}

// Column is a table column: its title, its width in points (the widths
// should add up to [ContentWidth]) and whether it is right-aligned.
type Column struct {
	Title string
	Width float64
	Right bool
}

// SummaryRow is a label and a value under the table; Bold rows get a rule
// above them (the total).
type SummaryRow struct {
	Label, Value string
	Bold         bool
}

// ErrInvalidDocument reports a document that cannot be rendered.
var ErrInvalidDocument = errors.New("billing: invalid document")

// Page geometry in points (A4); y grows downwards from the top edge.
const (
	pageWidth    = 595.0
	pageHeight   = 842.0
	marginLeft   = 50.0
	marginRight  = pageWidth - 50
	ContentWidth = marginRight - marginLeft // the width table columns share
	contentTop   = 50.0
	contentFloor = pageHeight - 60 // lowest baseline for body text; the footer sits below
	columnGap    = 20.0
)

// Render renders the document as a PDF. The output is deterministic: the
// same Document always gives the same bytes.
func (d Document) Render() ([]byte, error) {
	for _, row := range d.Rows {
		if len(row) > len(d.Columns) {
			return nil, fmt.Errorf("%w: a row has %d cells for %d columns", ErrInvalidDocument, len(row), len(d.Columns))
		}
	}
	r, err := newDocRenderer(d)
	if err != nil {
		return nil, err
	}
	r.header()
	r.blocks()
	r.table()
	r.summary()
	r.footers()
	var buf bytes.Buffer
	if err := r.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("billing: writing the PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// docRenderer lays out one document top to bottom, starting a new page
// whenever the next line would go below contentFloor.
type docRenderer struct {
	d   Document
	pdf *fpdf.Fpdf
	cjk bool    // whether the CJK font is registered
	y   float64 // baseline of the last line written on the current page
	// onNewPage, when set, draws a continuation header (the table's).
	onNewPage func()
}

func newDocRenderer(d Document) (*docRenderer, error) {
	pdf := fpdf.New("P", "pt", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(d.Created.UTC())
	pdf.SetModificationDate(d.Created.UTC())
	pdf.SetProducer("Tutorbase", true)
	pdf.SetTitle(clean(d.Title+" "+d.Footer), true)
	for _, f := range []struct{ family, style, file string }{
		{familyText, "", "fonts/DejaVuSans.ttf"},
		{familyText, "B", "fonts/DejaVuSans-Bold.ttf"},
	} {
		b, err := fonts.ReadFile(f.file)
		if err != nil {
			return nil, err
		}
		pdf.AddUTF8FontFromBytes(f.family, f.style, b)
	}
	cjk := d.hasCJK()
	if cjk {
		b, err := fonts.ReadFile("fonts/DroidSansFallbackFull.ttf")
		if err != nil {
			return nil, err
		}
		pdf.AddUTF8FontFromBytes(familyCJK, "", b)
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("billing: loading the fonts: %w", err)
	}
	r := &docRenderer{d: d, pdf: pdf, cjk: cjk}
	r.newPage()
	return r, nil
}

// hasCJK reports whether any text of the document needs the CJK font.
func (d Document) hasCJK() bool {
	texts := append(append([]string{d.Title, d.Footer, d.PageOf}, d.Meta...), d.Notes...)
	for _, b := range d.Blocks {
		texts = append(append(texts, b.Heading, b.Name), b.Lines...)
	}
	for _, c := range d.Columns {
		texts = append(texts, c.Title)
	}
	for _, row := range d.Rows {
		texts = append(texts, row...)
	}
	for _, s := range d.Summary {
		texts = append(texts, s.Label, s.Value)
	}
	for _, t := range texts {
		for _, r := range t {
			if isCJK(r) {
				return true
			}
		}
	}
	return false
}

// isCJK reports whether r is printed with the CJK font: Han ideographs,
// kana, Hangul, bopomofo, CJK punctuation and full-width forms.
func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) ||
		r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
}

// clean makes s printable on one line: invalid UTF-8 and runes outside
// the Basic Multilingual Plane (emoji; the PDF library maps 16-bit glyph
// codes only) become U+FFFD, and every control or space character a plain
// space.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r) || unicode.IsControl(r):
			return ' '
		case r > 0xFFFF:
			return '\uFFFD'
		}
		return r
	}, s)
}

// run is a piece of one line set in one font family.
type run struct {
	cjk  bool
	text string
}

// runs splits a cleaned line into runs of the text font and the CJK font.
func runs(s string) []run {
	var out []run
	start := 0
	for i, r := range s {
		if c := isCJK(r); i > start && c != isCJK(firstRune(s[start:])) {
			out = append(out, run{cjk: !c, text: s[start:i]})
			start = i
		}
	}
	if start < len(s) {
		out = append(out, run{cjk: isCJK(firstRune(s[start:])), text: s[start:]})
	}
	return out
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// setFont selects the font of a run (the CJK font has no bold face).
func (r *docRenderer) setFont(cjk, bold bool, size float64) {
	switch {
	case cjk && r.cjk:
		r.pdf.SetFont(familyCJK, "", size)
	case bold:
		r.pdf.SetFont(familyText, "B", size)
	default:
		r.pdf.SetFont(familyText, "", size)
	}
}

// width returns the width in points of a cleaned line.
func (r *docRenderer) width(bold bool, size float64, s string) float64 {
	var w float64
	for _, rn := range runs(s) {
		r.setFont(rn.cjk, bold, size)
		w += r.pdf.GetStringWidth(rn.text)
	}
	return w
}

// text writes a cleaned line with its left edge at x on baseline y.
func (r *docRenderer) text(bold bool, size, x, y float64, s string) {
	for _, rn := range runs(s) {
		r.setFont(rn.cjk, bold, size)
		r.pdf.Text(x, y, rn.text)
		x += r.pdf.GetStringWidth(rn.text)
	}
}

// textRight writes a line ending at right, shrinking the size (down to
// half) so that it fits in width.
func (r *docRenderer) textRight(bold bool, size, right, width, y float64, s string) {
	s = clean(s)
	if w := r.width(bold, size, s); w > width {
		size = max(size*width/w, size/2)
	}
	r.text(bold, size, right-r.width(bold, size, s), y, s)
}

// newPage starts a page and moves to its top.
func (r *docRenderer) newPage() {
	r.pdf.AddPage()
	r.y = contentTop
	if r.onNewPage != nil {
		r.onNewPage()
	}
}

// advance moves down by leading, first starting a new page if the line
// would not fit on this one.
func (r *docRenderer) advance(leading float64) {
	if r.y+leading > contentFloor {
		r.newPage()
	}
	r.y += leading
}

// keep starts a new page unless height still fits on this one; blocks that
// read badly when split (a table row, the summary) call it first.
func (r *docRenderer) keep(height float64) {
	if r.y+height > contentFloor && contentTop+height <= contentFloor {
		r.newPage()
	}
}

// hline draws a horizontal rule at y in the given gray (0 black, 255 white).
func (r *docRenderer) hline(x1, x2, y float64, gray int) {
	r.pdf.SetDrawColor(gray, gray, gray)
	r.pdf.SetLineWidth(0.5)
	r.pdf.Line(x1, y, x2, y)
	r.pdf.SetDrawColor(0, 0, 0)
}
