package password

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsCommon(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		want bool
	}{
		{name: "password", pw: "password", want: true},
		{name: "123456", pw: "123456", want: true},
		{name: "qwerty", pw: "qwerty", want: true},
		{name: "iloveyou", pw: "iloveyou", want: true},
		{name: "a first name", pw: "michael", want: true},
		{name: "upper case", pw: "PASSWORD", want: true},
		{name: "mixed case", pw: "QwErTy", want: true},
		{name: "with digit suffix", pw: "password1", want: true},
		{name: "empty", pw: "", want: false},
		{name: "trailing space is not trimmed", pw: "password ", want: false},
		{name: "long random string", pw: "x7#Qv9!mTz2@Lp4w&Rk8-uYe3", want: false},
		{name: "passphrase", pw: "correct horse battery staple", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := IsCommon(tt.pw)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestCommonList(t *testing.T) {
	require.True(t, strings.HasSuffix(commonTxt, "\n"), "common.txt must end with a newline")
	lines := strings.Split(strings.TrimSuffix(commonTxt, "\n"), "\n")
	assert.GreaterOrEqual(t, len(lines), 10000, "list size")
	assert.Less(t, len(commonTxt), 300_000, "file size in bytes")

	seen := make(map[string]int, len(lines))
	for i, line := range lines {
		n := i + 1
		if !utf8.ValidString(line) {
			t.Errorf("line %d: invalid UTF-8", n)
		}
		if got := utf8.RuneCountInString(line); got < 1 || got > 128 {
			t.Errorf("line %d: %d runes, want 1..128", n, got)
		}
		if got := strings.ToLower(line); got != line {
			t.Errorf("line %d: %q is not lower-case", n, line)
		}
		if strings.ContainsAny(line, "\r\t") {
			t.Errorf("line %d: %q holds a control character", n, line)
		}
		if prev, dup := seen[line]; dup {
			t.Errorf("line %d: %q duplicates line %d", n, line, prev)
		}
		seen[line] = n
	}

	got := len(commonSet())
	assert.Equal(t, len(lines), got, "every line is in the loaded set")
}

func BenchmarkIsCommon(b *testing.B) {
	cases := []struct {
		name string
		pw   string
	}{
		{name: "hit", pw: "sunshine"},
		{name: "hit mixed case", pw: "SunShine"},
		{name: "miss", pw: "lamp tiger oaks"},
		{name: "miss 128 runes", pw: strings.Repeat("Abcd", 32)},
	}
	commonSet() // load outside the timed loops
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				IsCommon(c.pw)
			}
		})
	}
}
