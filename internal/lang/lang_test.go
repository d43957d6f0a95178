package lang

import "testing"

func TestOf(t *testing.T) {
	tests := []struct{ tag, want string }{
		{"it", "it"}, {"it-IT", "it"}, {"it_CH", "it"}, {"IT", "it"}, {"en-US", "en"}, {"en-GB", "en"}, {"de", "en"}, {"", "en"}, {"italian", "en"},
	}
	for _, tt := range tests {
		if got := Of(tt.tag); got != tt.want {
			t.Errorf("Of(%q) = %q, want %q", tt.tag, got, tt.want)
		}
	}
}

func TestFromHeader(t *testing.T) {
	tests := []struct {
		header, want string
		ok           bool
	}{
		{"it-IT,it;q=0.9,en;q=0.8", "it", true},
		{"en;q=0.5, it;q=0.9", "it", true},
		{"de-DE, fr;q=0.9", "", false},
		{"de-DE, en;q=0.1", "en", true},
		{"it;q=0", "", false},
		{"", "", false},
		{"it;q=abc", "it", true},
	}
	for _, tt := range tests {
		got, ok := FromHeader(tt.header)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FromHeader(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}
