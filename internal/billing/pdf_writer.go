package billing

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
)

// This file is the PDF plumbing under RenderPDF: text encoding, glyph
// widths and the file structure (objects, xref table, trailer). Layout is
// in pdf.go.

// pdfFont selects one of the two standard Type 1 fonts every PDF reader
// has built in, so nothing is embedded.
type pdfFont int

const (
	fontRegular pdfFont = iota // Helvetica, resource /F1
	fontBold                   // Helvetica-Bold, resource /F2
)

// resource returns the font's name in the page resources.
func (f pdfFont) resource() string {
	if f == fontBold {
		return "/F2"
	}
	return "/F1"
}

// glyphWidths are the advance widths, in 1/1000 em, of Helvetica and
// Helvetica-Bold for each WinAnsiEncoding code, from Adobe's Core 14 AFM
// metrics. Codes with no glyph are 0; winAnsi never produces them.
var glyphWidths = [2][256]uint16{
	{
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
		1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
		667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
		333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
		556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
		556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
		0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667,
		278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333,
		400, 584, 333, 333, 333, 578, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611,
		667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
		722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
		556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278,
		556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500,
	},
	{
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278,
		556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611,
		975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
		667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556,
		333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611,
		611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
		556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0,
		0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667,
		278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333,
		400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611,
		722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278,
		722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
		556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278,
		611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556,
	},
}

// winAnsiHigh maps the runes WinAnsiEncoding places in 0x80..0x9F (where
// Latin-1 has control codes) to their code.
var winAnsiHigh = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86,
	'‡': 0x87, 'ˆ': 0x88, '‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C,
	'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94,
	'•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A,
	'›': 0x9B, 'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// winAnsi encodes s for a WinAnsiEncoding font, one byte per rune: ASCII
// and Latin-1 letters map to themselves, the € sign and typographic
// punctuation to their 0x80..0x9F codes, other white space (tabs, line
// breaks, exotic spaces) to a space, and every other rune, invalid UTF-8
// included, to '?'.
func winAnsi(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7F, r >= 0xA0 && r <= 0xFF:
			out = append(out, byte(r))
		case winAnsiHigh[r] != 0:
			out = append(out, winAnsiHigh[r])
		case unicode.IsSpace(r):
			out = append(out, ' ')
		default:
			out = append(out, '?')
		}
	}
	return out
}

// encodable reports whether every rune of s has a WinAnsiEncoding code.
func encodable(s string) bool {
	for _, r := range s {
		if (r < 0x20 || r >= 0x7F && r < 0xA0 || r > 0xFF) && winAnsiHigh[r] == 0 {
			return false
		}
	}
	return true
}

// textWidth returns the width in points of encoded text set in f at size.
func textWidth(f pdfFont, size float64, text []byte) float64 {
	var units int
	for _, b := range text {
		units += int(glyphWidths[f][b])
	}
	return float64(units) * size / 1000
}

// pdfString writes encoded text as a PDF literal string: parentheses and
// backslashes are escaped, and every byte outside printable ASCII is
// written as an octal escape so the content stream stays 7-bit clean.
func pdfString(buf *bytes.Buffer, text []byte) {
	buf.WriteByte('(')
	for _, b := range text {
		switch {
		case b == '(' || b == ')' || b == '\\':
			buf.WriteByte('\\')
			buf.WriteByte(b)
		case b < 0x20 || b >= 0x7F:
			fmt.Fprintf(buf, "\\%03o", b)
		default:
			buf.WriteByte(b)
		}
	}
	buf.WriteByte(')')
}

// pdfTextString returns s as a PDF text string for the document
// information dictionary, which uses PDFDocEncoding rather than WinAnsi:
// UTF-16BE with a byte-order mark, written in hex, is exact for any text.
func pdfTextString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// num formats a coordinate or size with at most two decimals.
func num(v float64) string {
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// Fixed object numbers; page i (from 0) is object firstPageObj+2i and its
// content stream the object after it.
const (
	catalogObj   = 1
	pagesObj     = 2
	regularObj   = 3
	boldObj      = 4
	infoObj      = 5
	firstPageObj = 6
)

// assemblePDF writes a complete PDF 1.4 file around the pages' content
// streams: catalog, page tree, the two fonts, an information dictionary,
// one page object and one content stream per page, then the
// cross-reference table with each object's byte offset, and the trailer.
func assemblePDF(pages [][]byte, title string, created time.Time) []byte {
	objCount := firstPageObj - 1 + 2*len(pages)
	offsets := make([]int, objCount+1)
	var buf bytes.Buffer
	// The second line's high bytes tell transfer tools the file is binary.
	buf.WriteString("%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")

	obj := func(n int, body string) {
		offsets[n] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n%s\nendobj\n", n, body)
	}

	obj(catalogObj, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj))
	var kids bytes.Buffer
	for i := range pages {
		if i > 0 {
			kids.WriteByte(' ')
		}
		fmt.Fprintf(&kids, "%d 0 R", firstPageObj+2*i)
	}
	obj(pagesObj, fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), len(pages)))
	obj(regularObj, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	obj(boldObj, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
	obj(infoObj, fmt.Sprintf("<< /Title %s /Producer (Tutorbase) /CreationDate (D:%s) >>",
		pdfTextString(title), created.UTC().Format("20060102150405Z")))

	for i, content := range pages {
		pageN := firstPageObj + 2*i
		obj(pageN, fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] "+
			"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> /Contents %d 0 R >>",
			pagesObj, num(pageWidth), num(pageHeight), regularObj, boldObj, pageN+1))
		offsets[pageN+1] = buf.Len()
		fmt.Fprintf(&buf, "%d 0 obj\n<< /Length %d >>\nstream\n", pageN+1, len(content))
		buf.Write(content)
		buf.WriteString("\nendstream\nendobj\n")
	}

	xref := buf.Len()
	// Each entry is exactly 20 bytes, as the format requires.
	fmt.Fprintf(&buf, "xref\n0 %d\n0000000000 65535 f \n", objCount+1)
	for _, off := range offsets[1:] {
		fmt.Fprintf(&buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&buf, "trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n",
		objCount+1, catalogObj, infoObj, xref)
	return buf.Bytes()
}

// wrap encodes s and breaks it into lines no wider than width when set in
// f at size: at line breaks in s, then greedily between words, and inside
// a word only when the word alone is too wide. Surrounding white space is
// dropped; an all-blank s gives no lines.
func wrap(f pdfFont, size, width float64, s string) [][]byte {
	s = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n"))
	if s == "" {
		return nil
	}
	var lines [][]byte
	for _, para := range strings.Split(s, "\n") {
		start := len(lines)
		var line []byte
		for _, word := range bytes.Split(winAnsi(para), []byte{' '}) {
			if len(word) == 0 {
				continue
			}
			if len(line) > 0 {
				candidate := append(append(append([]byte(nil), line...), ' '), word...)
				if textWidth(f, size, candidate) <= width {
					line = candidate
					continue
				}
				lines = append(lines, line)
				line = nil
			}
			for textWidth(f, size, word) > width {
				cut := fitting(f, size, width, word)
				lines = append(lines, word[:cut])
				word = word[cut:]
			}
			line = word
		}
		// A blank paragraph is an empty line; a paragraph whose last word
		// was broken exactly at the width leaves nothing behind.
		if len(line) > 0 || len(lines) == start {
			lines = append(lines, line)
		}
	}
	return lines
}

// fitting returns how many leading bytes of text fit in width, at least one
// so that wrapping always progresses.
func fitting(f pdfFont, size, width float64, text []byte) int {
	var w float64
	for i, b := range text {
		w += float64(glyphWidths[f][b]) * size / 1000
		if w > width {
			return max(i, 1)
		}
	}
	return len(text)
}

// truncate cuts text to fit in width, marking the cut with an ellipsis.
func truncate(f pdfFont, size, width float64, text []byte) []byte {
	if textWidth(f, size, text) <= width {
		return text
	}
	const ellipsis = 0x85
	n := fitting(f, size, width-float64(glyphWidths[f][ellipsis])*size/1000, text)
	return append(append([]byte(nil), text[:n]...), ellipsis)
}
