package schedule

import (
	"testing"
)

func TestParseClock(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Clock
		ok   bool
	}{
		{"midnight", "00:00", 0, true},
		{"morning", "07:00", 420, true},
		{"last minute", "23:59", 1439, true},
		{"end of day", "24:00", 1440, true},
		{"one digit hour", "7:00", 0, false},
		{"one digit minute", "07:0", 0, false},
		{"past end of day", "24:01", 0, false},
		{"hour 25", "25:00", 0, false},
		{"minute 60", "12:60", 0, false},
		{"letters", "aa:bb", 0, false},
		{"empty", "", 0, false},
		{"seconds", "12:00:00", 0, false},
		{"dot separator", "12.00", 0, false},
		{"sign", "+1:00", 0, false},
		{"spaces", " 9:00", 0, false},
		{"trailing space", "09:00 ", 0, false},
		{"unicode digits", "٠٩:٠٠", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClock(tt.in)
			if (err == nil) != tt.ok {
				t.Fatalf("ParseClock(%q) error = %v, want ok %v", tt.in, err, tt.ok)
			}
			if got != tt.want {
				t.Errorf("ParseClock(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

func TestClockString(t *testing.T) {
	tests := []struct {
		name string
		in   Clock
		want string
	}{
		{"midnight", 0, "00:00"},
		{"half past nine", 570, "09:30"},
		{"last minute", 1439, "23:59"},
		{"end of day", EndOfDay, "24:00"},
		{"negative", -5, "Clock(-5)"},
		{"too large", 1441, "Clock(1441)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.in.String(); got != tt.want {
				t.Errorf("Clock(%d).String() = %q, want %q", int(tt.in), got, tt.want)
			}
		})
	}
}

func TestClockRoundTrip(t *testing.T) {
	for c := Clock(0); c <= EndOfDay; c++ {
		got, err := ParseClock(c.String())
		if err != nil || got != c {
			t.Fatalf("ParseClock(%q) = %d, %v, want %d", c.String(), got, err, c)
		}
	}
}
