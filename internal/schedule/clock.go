package schedule

import (
	"errors"
	"fmt"
)

// Clock is a wall-clock time of day in minutes after local midnight,
// 0..1440. 1440 is "24:00", the end of the day, which lets a window run to
// midnight without crossing into the next date.
type Clock int

// EndOfDay is the Clock "24:00".
const EndOfDay Clock = 1440

// errBadClock is the reason every ParseClock failure gives.
var errBadClock = errors.New(`want "HH:MM" between 00:00 and 24:00`)

// ParseClock parses a strict "HH:MM" (two digits each) between 00:00 and
// 23:59, or exactly "24:00". Anything else, including "7:00", "24:01" and
// "12:60", is an error.
func ParseClock(s string) (Clock, error) {
	if len(s) != 5 || s[2] != ':' {
		return 0, fmt.Errorf("failed to parse clock %q: %w", s, errBadClock)
	}
	h, okH := twoDigits(s[0], s[1])
	m, okM := twoDigits(s[3], s[4])
	switch {
	case !okH || !okM:
		return 0, fmt.Errorf("failed to parse clock %q: %w", s, errBadClock)
	case h == 24 && m == 0:
		return EndOfDay, nil
	case h > 23 || m > 59:
		return 0, fmt.Errorf("failed to parse clock %q: %w", s, errBadClock)
	}
	return Clock(h*60 + m), nil
}

func twoDigits(a, b byte) (int, bool) {
	if a < '0' || a > '9' || b < '0' || b > '9' {
		return 0, false
	}
	return int(a-'0')*10 + int(b-'0'), true
}

// String formats c as "HH:MM" ("24:00" for EndOfDay). A value outside
// 0..1440 is shown as "Clock(n)" so that it is never mistaken for a time.
func (c Clock) String() string {
	if c < 0 || c > EndOfDay {
		return fmt.Sprintf("Clock(%d)", int(c))
	}
	return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60)
}
