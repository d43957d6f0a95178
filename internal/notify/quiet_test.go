package notify

import (
	"strings"
	"testing"
	"time"
)

func TestParseQuietHours(t *testing.T) {
	tests := []struct {
		name       string
		start, end string
		want       QuietHours
		wantErr    string
	}{
		{name: "none", want: QuietHours{}},
		{name: "night", start: "22:00", end: "07:00", want: QuietHours{Start: 1320, End: 420}},
		{name: "afternoon", start: "13:30", end: "15:00", want: QuietHours{Start: 810, End: 900}},
		{name: "midnight to", start: "00:00", end: "06:15", want: QuietHours{Start: 0, End: 375}},
		{name: "last minute", start: "23:59", end: "00:00", want: QuietHours{Start: 1439, End: 0}},
		{name: "only start", start: "22:00", wantErr: "end"},
		{name: "only end", end: "07:00", wantErr: "start"},
		{name: "hour 24", start: "24:00", end: "07:00", wantErr: "not a time of day"},
		{name: "minute 60", start: "22:60", end: "07:00", wantErr: "not a time of day"},
		{name: "one digit hour", start: "7:00", end: "08:00", wantErr: "HH:MM"},
		{name: "seconds", start: "22:00:00", end: "07:00", wantErr: "HH:MM"},
		{name: "letters", start: "ab:cd", end: "07:00", wantErr: "HH:MM"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseQuietHours(tt.start, tt.end)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseQuietHours(%q, %q) error = %v, want one mentioning %q", tt.start, tt.end, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("ParseQuietHours(%q, %q) = %+v, %v; want %+v", tt.start, tt.end, got, err, tt.want)
			}
		})
	}
}

func TestQuietHoursDeliver(t *testing.T) {
	rome := mustLoc(t, "Europe/Rome")
	night := QuietHours{Start: 22 * 60, End: 7 * 60}
	lunch := QuietHours{Start: 13 * 60, End: 14*60 + 30}
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		name string
		q    QuietHours
		t    time.Time
		loc  *time.Location
		want time.Time
	}{
		{"no quiet hours", QuietHours{}, at(rome, 2026, 12, 1, 23, 0), rome, at(rome, 2026, 12, 1, 23, 0)},
		{"same start and end", QuietHours{Start: 600, End: 600}, at(rome, 2026, 12, 1, 10, 0), rome, at(rome, 2026, 12, 1, 10, 0)},
		{"before night", night, at(rome, 2026, 12, 1, 21, 59), rome, at(rome, 2026, 12, 1, 21, 59)},
		{"at start is quiet", night, at(rome, 2026, 12, 1, 22, 0), rome, at(rome, 2026, 12, 2, 7, 0)},
		{"late evening waits for morning", night, at(rome, 2026, 12, 1, 23, 30), rome, at(rome, 2026, 12, 2, 7, 0)},
		{"after midnight waits same morning", night, at(rome, 2026, 12, 2, 3, 0), rome, at(rome, 2026, 12, 2, 7, 0)},
		{"at end is not quiet", night, at(rome, 2026, 12, 2, 7, 0), rome, at(rome, 2026, 12, 2, 7, 0)},
		{"seconds before end", night, at(rome, 2026, 12, 2, 6, 59).Add(59 * time.Second), rome, at(rome, 2026, 12, 2, 7, 0)},
		{"daytime", night, at(rome, 2026, 12, 2, 12, 0), rome, at(rome, 2026, 12, 2, 12, 0)},
		{"within a day window", lunch, at(rome, 2026, 12, 2, 13, 45), rome, at(rome, 2026, 12, 2, 14, 30)},
		{"after a day window", lunch, at(rome, 2026, 12, 2, 14, 30), rome, at(rome, 2026, 12, 2, 14, 30)},
		{"new year's eve", night, at(rome, 2026, 12, 31, 23, 0), rome, at(rome, 2027, 1, 1, 7, 0)},
		{"judged in the user's zone", night, utc(2026, 12, 1, 21, 30), rome, utc(2026, 12, 2, 6, 0)},
		{"nil zone is UTC", night, utc(2026, 12, 1, 21, 30), nil, utc(2026, 12, 1, 21, 30)},
		{"nil zone quiet", night, utc(2026, 12, 1, 23, 30), nil, utc(2026, 12, 2, 7, 0)},
		{"new york", night, utc(2026, 12, 2, 4, 0), mustLoc(t, "America/New_York"), utc(2026, 12, 2, 12, 0)},

		// Spring forward in Rome: 2026-03-29 02:00 CET becomes 03:00 CEST.
		{"spring night is an hour shorter", night, utc(2026, 3, 28, 22, 0), rome, utc(2026, 3, 29, 5, 0)},
		{"end in the gap moves to its end", QuietHours{Start: 60, End: 150}, utc(2026, 3, 29, 0, 30), rome, utc(2026, 3, 29, 1, 0)},
		{"start in the gap starts at its end", QuietHours{Start: 150, End: 360}, utc(2026, 3, 29, 1, 10), rome, utc(2026, 3, 29, 4, 0)},
		{"before a start in the gap", QuietHours{Start: 150, End: 360}, utc(2026, 3, 29, 0, 59), rome, utc(2026, 3, 29, 0, 59)},

		// Fall back in Rome: 2026-10-25 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
		{"autumn night is an hour longer", night, utc(2026, 10, 24, 21, 0), rome, utc(2026, 10, 25, 6, 0)},
		{"ambiguous end, first pass", QuietHours{Start: 22 * 60, End: 150}, utc(2026, 10, 25, 0, 10), rome, utc(2026, 10, 25, 0, 30)},
		{"ambiguous end, second pass is after it", QuietHours{Start: 22 * 60, End: 150}, utc(2026, 10, 25, 1, 10), rome, utc(2026, 10, 25, 1, 10)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.q.Deliver(tt.t, tt.loc)
			if !got.Equal(tt.want) {
				t.Errorf("Deliver(%s) = %s, want %s", tt.t.UTC(), got.UTC(), tt.want.UTC())
			}
			if got.Before(tt.t) {
				t.Errorf("Deliver(%s) = %s, earlier than due", tt.t.UTC(), got.UTC())
			}
		})
	}
}

func TestWallTime(t *testing.T) {
	rome, ny := mustLoc(t, "Europe/Rome"), mustLoc(t, "America/New_York")
	utc := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		name    string
		y       int
		m       time.Month
		d, mins int
		loc     *time.Location
		want    time.Time
	}{
		{"ordinary", 2026, 12, 1, 15 * 60, rome, utc(2026, 12, 1, 14, 0)},
		{"day overflow", 2026, 12, 32, 7 * 60, rome, utc(2027, 1, 1, 6, 0)},
		{"rome gap", 2026, 3, 29, 2*60 + 30, rome, utc(2026, 3, 29, 1, 0)},
		{"rome ambiguous takes earlier", 2026, 10, 25, 2*60 + 30, rome, utc(2026, 10, 25, 0, 30)},
		{"new york gap", 2026, 3, 8, 2*60 + 15, ny, utc(2026, 3, 8, 7, 0)},
		{"new york ambiguous takes earlier", 2026, 11, 1, 60 + 30, ny, utc(2026, 11, 1, 5, 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wallTime(tt.y, tt.m, tt.d, tt.mins, tt.loc); !got.Equal(tt.want) {
				t.Errorf("wallTime() = %s, want %s", got.UTC(), tt.want)
			}
		})
	}
}
