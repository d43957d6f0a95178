package ical

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// MaxLineOctets is the longest content line RFC 5545 §3.1 allows, not
// counting the CRLF; longer lines are folded.
const MaxLineOctets = 75

// escapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash, semicolon
// and comma get a backslash, every line break (CRLF, LF or CR) becomes \n.
// Control characters other than tab are not allowed in TEXT and are
// dropped; invalid UTF-8 becomes U+FFFD.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == ';' || c == ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t' || (c >= 0x20 && c != 0x7f):
			b.WriteByte(c) // bytes of multibyte runes are all >= 0x80
		}
	}
	return b.String()
}

// cleanURI drops what may never appear in a URI value: control characters
// (which would break the content line), spaces and invalid UTF-8. URIs are
// not TEXT and are not escaped.
func cleanURI(s string) string {
	s = strings.ToValidUTF8(s, "")
	return strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// writeFolded writes one content line and its CRLF, folded (RFC 5545
// §3.1): no physical line is longer than MaxLineOctets, continuation lines
// start with a space (which counts), and a fold never falls inside a UTF-8
// sequence nor between a backslash and the character it escapes.
func writeFolded(b *bytes.Buffer, line string) {
	limit := MaxLineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if cut == 0 { // not UTF-8 at all: split the bytes rather than loop
			cut = limit
		}
		if escapeStartsAt(line, cut-1) {
			cut-- // keep "\;" together: some parsers unescape before unfolding
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = MaxLineOctets - 1
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}

// escapeStartsAt reports whether the backslash at line[i] escapes the next
// character, that is, it ends an odd run of backslashes.
func escapeStartsAt(line string, i int) bool {
	n := 0
	for ; i >= 0 && line[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}
