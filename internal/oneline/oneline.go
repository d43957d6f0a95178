// Package oneline normalises the one-line text people type into names,
// titles and labels, so what is stored shows the same everywhere: one
// Unicode form (NFC), no control characters (NUL, CR, LF, tab...), no
// invisible formatting characters that reorder or hide text (bidi
// overrides and isolates, zero-width spaces, the BOM), and single spaces
// between words. A value that is only spaces or invisible characters comes
// out empty, so callers can refuse it.
//
// The package is pure: strings in, strings out.
package oneline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Joiners are the zero-width joiner and non-joiner: invisible, yet part of
// how emoji sequences and some scripts (Persian, Indic) are written, so
// they are kept between other characters and dropped at the edges.
const (
	zwnj = '\u200C'
	zwj  = '\u200D'
)

// Clean returns s in NFC with every control character turned into a space
// (line breaks and tabs) or dropped (the rest), every format character
// other than the joiners dropped (bidi embeddings, overrides, isolates and
// marks, zero-width space, word joiner, BOM, soft hyphen, tag characters),
// runs of white space collapsed to one space, and the ends trimmed of
// spaces and joiners.
func Clean(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false // a space is owed before the next kept character
	for _, r := range norm.NFC.String(s) {
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case unicode.IsControl(r):
			continue
		case unicode.Is(unicode.Cf, r) && r != zwnj && r != zwj:
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return strings.TrimFunc(b.String(), func(r rune) bool { return r == zwnj || r == zwj || unicode.IsSpace(r) })
}

// Truncate cuts s to at most n characters (runes, as PocketBase's text
// fields count them), never inside one.
func Truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
