package schedule

import (
	"errors"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	rome := loc(t, "Europe/Rome")
	// Monday 2027-03-01, 09:00-13:00 Rome = 08:00-12:00Z; a booking 10:00-11:00Z
	// with a 15-minute buffer, so 09:45-11:15Z is taken; Wednesday off.
	cal := Calendar{
		Location:   rome,
		Windows:    []Window{{Weekday: 1, Start: hm("09:00"), End: hm("13:00"), Location: rome}, {Weekday: 3, Start: hm("09:00"), End: hm("13:00"), Location: rome}},
		TimeOff:    []Interval{ival("2027-03-03T00:00:00Z", "2027-03-04T00:00:00Z")},
		Busy:       []Interval{ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")},
		Buffer:     15 * time.Minute,
		MinNotice:  2 * time.Hour,
		MaxAdvance: 48 * time.Hour,
		Lengths:    []time.Duration{30 * time.Minute, time.Hour},
	}
	now := at("2027-03-01T06:00:00Z") // earliest start 08:00Z, latest 2027-03-03T06:00Z
	old := ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z")
	tests := []struct {
		name      string
		cal       Calendar
		req       Interval
		student   []Interval
		now       time.Time
		ignore    []Interval
		wantCode  string // "" for nil
		wantField string
	}{
		{"free", cal, ival("2027-03-01T08:00:00Z", "2027-03-01T09:00:00Z"), nil, now, nil, "", ""},
		{"misaligned", cal, ival("2027-03-01T08:10:00Z", "2027-03-01T09:10:00Z"), nil, now, nil, CodeMisaligned, "start"},
		{"misaligned beats every later rule", cal, ival("2027-03-01T10:10:00Z", "2027-03-01T10:20:00Z"), nil, at("2027-03-01T10:00:00Z"), nil, CodeMisaligned, "start"},
		{"length not offered", cal, ival("2027-03-01T08:00:00Z", "2027-03-01T09:30:00Z"), nil, now, nil, CodeBadLength, "end"},
		{"end before start", cal, ival("2027-03-01T09:00:00Z", "2027-03-01T08:00:00Z"), nil, now, nil, CodeBadLength, "end"},
		{"empty", cal, ival("2027-03-01T09:00:00Z", "2027-03-01T09:00:00Z"), nil, now, nil, CodeBadLength, "end"},
		{"bad length beats outside", cal, ival("2027-03-01T20:00:00Z", "2027-03-01T20:45:00Z"), nil, now, nil, CodeBadLength, "end"},
		{"outside the window", cal, ival("2027-03-01T11:30:00Z", "2027-03-01T12:30:00Z"), nil, now, nil, CodeOutsideAvailability, "start"},
		{"before the window", cal, ival("2027-03-01T07:30:00Z", "2027-03-01T08:30:00Z"), nil, at("2027-03-01T00:00:00Z"), nil, CodeOutsideAvailability, "start"},
		{"on a day off", cal, ival("2027-03-03T08:00:00Z", "2027-03-03T09:00:00Z"), nil, at("2027-03-02T00:00:00Z"), nil, CodeOutsideAvailability, "start"},
		{"touching time off is fine", withTimeOff(cal, ival("2027-03-01T09:00:00Z", "2027-03-01T10:00:00Z")),
			ival("2027-03-01T08:00:00Z", "2027-03-01T09:00:00Z"), nil, now, nil, "", ""},
		{"partly in time off", withTimeOff(cal, ival("2027-03-01T08:45:00Z", "2027-03-01T10:00:00Z")),
			ival("2027-03-01T08:00:00Z", "2027-03-01T09:00:00Z"), nil, now, nil, CodeOutsideAvailability, "start"},
		{"outside beats conflict and too soon", cal, ival("2027-03-01T11:30:00Z", "2027-03-01T12:30:00Z"),
			[]Interval{ival("2027-03-01T11:30:00Z", "2027-03-01T12:30:00Z")}, at("2027-03-01T11:00:00Z"), nil, CodeOutsideAvailability, "start"},
		{"tutor booked", cal, ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z"), nil, now, nil, CodeSlotConflict, "start"},
		{"inside the buffer before", cal, ival("2027-03-01T09:30:00Z", "2027-03-01T10:00:00Z"), nil, now, nil, CodeSlotConflict, "start"},
		{"inside the buffer after", cal, ival("2027-03-01T11:00:00Z", "2027-03-01T11:30:00Z"), nil, now, nil, CodeSlotConflict, "start"},
		{"clear of the buffer", cal, ival("2027-03-01T11:30:00Z", "2027-03-01T12:00:00Z"), nil, now, nil, "", ""},
		{"student booked", cal, ival("2027-03-01T11:30:00Z", "2027-03-01T12:00:00Z"),
			[]Interval{ival("2027-03-01T11:45:00Z", "2027-03-01T12:15:00Z")}, now, nil, CodeSlotConflict, "start"},
		{"student busy has no buffer", cal, ival("2027-03-01T11:30:00Z", "2027-03-01T12:00:00Z"),
			[]Interval{ival("2027-03-01T12:00:00Z", "2027-03-01T12:30:00Z")}, now, nil, "", ""},
		{"conflict beats too soon", cal, ival("2027-03-01T10:00:00Z", "2027-03-01T11:00:00Z"), nil, at("2027-03-01T09:00:00Z"), nil, CodeSlotConflict, "start"},
		{"reschedule ignores its old booking", cal, old, []Interval{old}, now, []Interval{old}, "", ""},
		{"reschedule still sees the buffer of others", withBusy(cal, ival("2027-03-01T11:10:00Z", "2027-03-01T11:30:00Z")),
			old, []Interval{old}, now, []Interval{old}, CodeSlotConflict, "start"},
		{"ignore matches exact intervals only", cal, old, nil, now, []Interval{ival("2027-03-01T10:00:00Z", "2027-03-01T10:30:00Z")}, CodeSlotConflict, "start"},
		{"notice boundary allowed", cal, ival("2027-03-01T08:00:00Z", "2027-03-01T08:30:00Z"), nil, now, nil, "", ""},
		{"one step inside notice", cal, ival("2027-03-01T08:00:00Z", "2027-03-01T08:30:00Z"), nil, now.Add(30 * time.Minute), nil, CodeTooSoon, "start"},
		{"in the past", withNotice(cal, 0), ival("2027-03-01T08:00:00Z", "2027-03-01T08:30:00Z"), nil, at("2027-03-01T09:00:00Z"), nil, CodeTooSoon, "start"},
		{"advance boundary allowed", cal, ival("2027-03-01T08:00:00Z", "2027-03-01T08:30:00Z"), nil, at("2027-02-27T08:00:00Z"), nil, "", ""},
		{"one step past advance", cal, ival("2027-03-01T08:00:00Z", "2027-03-01T08:30:00Z"), nil, at("2027-02-27T07:30:00Z"), nil, CodeTooFar, "start"},
		{"no advance limit", withAdvance(cal, 0), ival("2027-03-01T08:00:00Z", "2027-03-01T08:30:00Z"), nil, at("2020-01-01T00:00:00Z"), nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cal.Check(tt.req, tt.student, tt.now, tt.ignore...)
			if tt.wantCode == "" {
				if err != nil {
					t.Fatalf("Check(%v) = %v, want nil", tt.req, err)
				}
				return
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("Check(%v) = %v, want a *RuleError", tt.req, err)
			}
			if re.Code != tt.wantCode || re.Field != tt.wantField {
				t.Errorf("Check(%v) = %s on %q, want %s on %q", tt.req, re.Code, re.Field, tt.wantCode, tt.wantField)
			}
			if re.Message == "" || re.Message[0] < 'A' || re.Message[0] > 'Z' {
				t.Errorf("message %q is not a capitalised sentence", re.Message)
			}
		})
	}
}

func withTimeOff(c Calendar, iv Interval) Calendar {
	c.TimeOff = append([]Interval{iv}, c.TimeOff...)
	return c
}

func withBusy(c Calendar, iv Interval) Calendar {
	c.Busy = append([]Interval{iv}, c.Busy...)
	return c
}

func withNotice(c Calendar, d time.Duration) Calendar {
	c.MinNotice = d
	return c
}

func withAdvance(c Calendar, d time.Duration) Calendar {
	c.MaxAdvance = d
	return c
}

func TestRuleErrorMessages(t *testing.T) {
	tests := []struct {
		name string
		err  *RuleError
		want string
	}{
		{"error string", &RuleError{CodeSlotConflict, "start", "That time is no longer free."}, "slot_conflict: That time is no longer free."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestHumanDuration(t *testing.T) {
	tests := []struct {
		name string
		in   time.Duration
		want string
	}{
		{"days", 90 * 24 * time.Hour, "90 days"},
		{"one day", 24 * time.Hour, "1 day"},
		{"hours", 2 * time.Hour, "2 hours"},
		{"minutes", 90 * time.Minute, "90 minutes"},
		{"one minute", time.Minute, "1 minute"},
		{"seconds", 90 * time.Second, "1m30s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := humanDuration(tt.in); got != tt.want {
				t.Errorf("humanDuration(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
