package password

import (
	"strings"
	"testing"
)

func TestPrehash(t *testing.T) {
	long := strings.Repeat("a", 72)
	tests := []struct {
		name, in string
		same     bool
	}{
		{"empty", "", true},
		{"at the bcrypt limit", strings.Repeat("a", 71), true},
		{"one byte over", long, false},
		{"multibyte over the limit in bytes", strings.Repeat("é", 40), false},
		{"128 runes", strings.Repeat("x", 128), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Prehash(tt.in)
			if (got == tt.in) != tt.same {
				t.Fatalf("Prehash(%d bytes) unchanged = %v, want %v", len(tt.in), got == tt.in, tt.same)
			}
			if len(got) > BcryptLimit {
				t.Fatalf("Prehash gave %d bytes, over the bcrypt limit", len(got))
			}
			if again := Prehash(got); again != got {
				t.Fatalf("Prehash is not idempotent: %q then %q", got, again)
			}
		})
	}
	if Prehash(long) == Prehash(long+"b") {
		t.Fatal("passwords sharing their first 72 bytes must not prehash alike")
	}
}
