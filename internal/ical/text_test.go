package ical

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "Lesson with Giulia Rossi", "Lesson with Giulia Rossi"},
		{"empty", "", ""},
		{"comma", "Rossi, Giulia", `Rossi\, Giulia`},
		{"semicolon", "a;b", `a\;b`},
		{"backslash", `C:\notes`, `C:\\notes`},
		{"backslash before n stays two characters", `\n`, `\\n`},
		{"LF", "line 1\nline 2", `line 1\nline 2`},
		{"CRLF is one newline", "line 1\r\nline 2", `line 1\nline 2`},
		{"lone CR", "line 1\rline 2", `line 1\nline 2`},
		{"blank line kept", "a\n\nb", `a\n\nb`},
		{"colon and quotes are not escaped", `Note: "bring a pen"`, `Note: "bring a pen"`},
		{"tab kept", "a\tb", "a\tb"},
		{"control characters dropped", "a\x00b\x07c\x1bd\x7fe", "abcde"},
		{"multibyte kept", "Matematica è bella — ünïcödé 数学 🎓", "Matematica è bella — ünïcödé 数学 🎓"},
		{"invalid UTF-8 replaced", "a\xffb", "a\uFFFDb"},
		{"everything at once", "x,y;z\\\r\n", `x\,y\;z\\\n`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := escapeText(tt.in); got != tt.want {
				t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanURI(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"kept as is", "https://meet.jit.si/tutorbase-abc?x=1,2;3", "https://meet.jit.si/tutorbase-abc?x=1,2;3"},
		{"line breaks dropped", "https://a.example/\r\nX-EVIL:1", "https://a.example/X-EVIL:1"},
		{"spaces and controls dropped", " https://a.example/\tx\x00 ", "https://a.example/x"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanURI(tt.in); got != tt.want {
				t.Errorf("cleanURI(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWriteFolded(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	tests := []struct {
		name string
		in   string
		want []string // physical lines, without CRLF
	}{
		{"short", "SUMMARY:x", []string{"SUMMARY:x"}},
		{"empty", "", []string{""}},
		{"exactly 75 octets", a(75), []string{a(75)}},
		{"76 octets", a(76), []string{a(75), " a"}},
		{"continuations hold 74 octets after the space", a(75 + 74 + 1), []string{a(75), " " + a(74), " a"}},
		{"two-byte rune across the first boundary", a(74) + "è" + "z", []string{a(74), " èz"}},
		{"two-byte rune ending exactly at 75", a(73) + "è" + "z", []string{a(73) + "è", " z"}},
		{"three-byte rune across the boundary", a(73) + "€" + "z", []string{a(73), " €z"}},
		{"four-byte rune across the boundary", a(72) + "🎓" + "z", []string{a(72), " 🎓z"}},
		{"four-byte rune across a continuation boundary", a(75) + a(72) + "🎓", []string{a(75), " " + a(72), " 🎓"}},
		{"all multibyte", strings.Repeat("€", 60), []string{strings.Repeat("€", 25), " " + strings.Repeat("€", 24), " " + strings.Repeat("€", 11)}},
		{"escape pair not split", a(74) + `\;b`, []string{a(74), ` \;b`}},
		{"escaped backslash not split", a(74) + `\\b`, []string{a(74), ` \\b`}},
		{"fold after a complete escape pair", a(73) + `\\b`, []string{a(73) + `\\`, " b"}},
		{"odd run of backslashes", a(72) + `\\\,b`, []string{a(72) + `\\`, ` \,b`}},
		{"not UTF-8 at all", strings.Repeat("\x80", 80), []string{strings.Repeat("\x80", 75), " " + strings.Repeat("\x80", 5)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			writeFolded(&b, tt.in)
			got := b.String()
			want := strings.Join(tt.want, "\r\n") + "\r\n"
			if got != want {
				t.Fatalf("writeFolded(%q)\n got %q\nwant %q", tt.in, got, want)
			}
			for _, l := range strings.Split(strings.TrimSuffix(got, "\r\n"), "\r\n") {
				if len(l) > MaxLineOctets {
					t.Errorf("line of %d octets: %q", len(l), l)
				}
				if utf8.ValidString(tt.in) && !utf8.ValidString(l) {
					t.Errorf("a fold split a UTF-8 sequence: %q", l)
				}
			}
			if unfolded := strings.ReplaceAll(strings.TrimSuffix(got, "\r\n"), "\r\n ", ""); unfolded != tt.in {
				t.Errorf("unfolding gives %q, want %q", unfolded, tt.in)
			}
		})
	}
}
