package oneline

import "testing"

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{name: "plain name kept", in: "Giulia Rossi", want: "Giulia Rossi"},
		{name: "accents kept", in: "Zoë Brontë-Ñúñez", want: "Zoë Brontë-Ñúñez"},
		{name: "decomposed accent composed (NFC)", in: "Zoe\u0308", want: "Zoë"},
		{name: "NUL dropped", in: "Ann\x00a", want: "Anna"},
		{name: "other C0 and DEL dropped", in: "A\x07n\x1bn\x7fa", want: "Anna"},
		{name: "C1 control dropped", in: "An\u0085na", want: "An na"},
		{name: "CR LF become one space", in: "Anna\r\nRossi", want: "Anna Rossi"},
		{name: "tab becomes a space", in: "Anna\tRossi", want: "Anna Rossi"},
		{name: "runs of spaces collapsed", in: "Anna    Rossi", want: "Anna Rossi"},
		{name: "ends trimmed", in: "  Anna Rossi \u00a0", want: "Anna Rossi"},
		{name: "bidi override dropped", in: "Anna\u202Egpj.exe", want: "Annagpj.exe"},
		{name: "bidi isolates and marks dropped", in: "\u2066Anna\u2069\u200F\u200E", want: "Anna"},
		{name: "zero-width space dropped", in: "An\u200Bna", want: "Anna"},
		{name: "BOM and word joiner dropped", in: "\uFEFFAn\u2060na", want: "Anna"},
		{name: "soft hyphen dropped", in: "An\u00ADna", want: "Anna"},
		{name: "tag characters dropped", in: "Anna\U000E0041", want: "Anna"},
		{name: "joiner inside an emoji kept", in: "Ann 👩\u200D💻", want: "Ann 👩\u200D💻"},
		{name: "non-joiner inside a Persian word kept", in: "می\u200Cخواهم", want: "می\u200Cخواهم"},
		{name: "joiners at the ends dropped", in: "\u200DAnna\u200C", want: "Anna"},
		{name: "zero-width only is empty", in: "\u200B\u200B\u200D", want: ""},
		{name: "spaces only is empty", in: " \t\r\n ", want: ""},
		{name: "controls only is empty", in: "\x00\x01\u202E", want: ""},
		{name: "empty stays empty", in: "", want: ""},
		{name: "line separators are spaces", in: "a\u2028b\u2029c", want: "a b c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Errorf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCleanIsIdempotent(t *testing.T) {
	for _, in := range []string{"Zoe\u0308 \u202E x\r\ny", "  a  b  ", "\u200Dx\u200D", "👩\u200D💻"} {
		once := Clean(in)
		if twice := Clean(once); twice != once {
			t.Errorf("Clean(Clean(%q)) = %q, want %q", in, twice, once)
		}
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly", 7, "exactly"},
		{"Łukasz Wiśniewski", 6, "Łukasz"},
		{"日本語のテキスト", 3, "日本語"},
		{"", 3, ""},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
