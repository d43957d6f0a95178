package schedule

import (
	"testing"
	"time"
)

func TestLocalTime(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		date  string // local date, YYYY-MM-DD
		clock string
		want  string
	}{
		{"rome winter", "Europe/Rome", "2027-01-15", "09:00", "2027-01-15T08:00:00Z"},
		{"rome summer", "Europe/Rome", "2027-07-15", "09:00", "2027-07-15T07:00:00Z"},
		{"rome before the gap", "Europe/Rome", "2027-03-28", "01:59", "2027-03-28T00:59:00Z"},
		{"rome gap start moves after it", "Europe/Rome", "2027-03-28", "02:00", "2027-03-28T01:00:00Z"},
		{"rome inside the gap moves after it", "Europe/Rome", "2027-03-28", "02:30", "2027-03-28T01:00:00Z"},
		{"rome gap end", "Europe/Rome", "2027-03-28", "03:00", "2027-03-28T01:00:00Z"},
		{"rome after the gap", "Europe/Rome", "2027-03-28", "03:30", "2027-03-28T01:30:00Z"},
		{"rome ambiguous takes earlier", "Europe/Rome", "2027-10-31", "02:00", "2027-10-31T00:00:00Z"},
		{"rome ambiguous half past", "Europe/Rome", "2027-10-31", "02:30", "2027-10-31T00:30:00Z"},
		{"rome after the repeat", "Europe/Rome", "2027-10-31", "03:00", "2027-10-31T02:00:00Z"},
		{"rome end of day", "Europe/Rome", "2027-01-15", "24:00", "2027-01-15T23:00:00Z"},
		{"rome end of month", "Europe/Rome", "2027-01-31", "24:00", "2027-01-31T23:00:00Z"},
		{"new york gap", "America/New_York", "2027-03-14", "02:30", "2027-03-14T07:00:00Z"},
		{"new york after the gap", "America/New_York", "2027-03-14", "03:00", "2027-03-14T07:00:00Z"},
		{"new york ambiguous", "America/New_York", "2027-11-07", "01:30", "2027-11-07T05:30:00Z"},
		{"new york after the repeat", "America/New_York", "2027-11-07", "02:00", "2027-11-07T07:00:00Z"},
		{"kolkata", "Asia/Kolkata", "2027-03-01", "09:00", "2027-03-01T03:30:00Z"},
		{"kathmandu", "Asia/Kathmandu", "2027-03-01", "09:00", "2027-03-01T03:15:00Z"},
		{"lord howe half-hour repeat", "Australia/Lord_Howe", "2027-04-04", "01:45", "2027-04-03T14:45:00Z"},
		{"lord howe half-hour gap", "Australia/Lord_Howe", "2027-10-03", "02:15", "2027-10-02T15:30:00Z"},
		{"santiago midnight gap", "America/Santiago", "2027-09-05", "00:00", "2027-09-05T04:00:00Z"},
		{"utc", "UTC", "2027-03-28", "02:30", "2027-03-28T02:30:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := time.Parse(time.DateOnly, tt.date)
			if err != nil {
				t.Fatal(err)
			}
			got := LocalTime(d.Year(), d.Month(), d.Day(), hm(tt.clock), loc(t, tt.zone))
			if rfc(got) != tt.want {
				t.Errorf("LocalTime(%s %s) = %s, want %s", tt.date, tt.clock, rfc(got), tt.want)
			}
			if got.Location() != time.UTC {
				t.Errorf("LocalTime returned location %v, want UTC", got.Location())
			}
		})
	}
}

// TestLocalTimeAgainstScan checks LocalTime against Go's own conversion for
// every local minute of the days around transitions: a wall time that some
// instant shows resolves to the earliest such instant, and one no instant
// shows (a gap) resolves to the first instant showing a later time.
func TestLocalTimeAgainstScan(t *testing.T) {
	tests := []struct {
		name string
		zone string
		day  string // a transition date
	}{
		{"rome spring", "Europe/Rome", "2027-03-28"},
		{"rome autumn", "Europe/Rome", "2027-10-31"},
		{"new york spring", "America/New_York", "2027-03-14"},
		{"new york autumn", "America/New_York", "2027-11-07"},
		{"lord howe autumn", "Australia/Lord_Howe", "2027-04-04"},
		{"lord howe spring", "Australia/Lord_Howe", "2027-10-03"},
		{"santiago midnight gap", "America/Santiago", "2027-09-05"},
		{"santiago midnight repeat", "America/Santiago", "2027-04-04"},
		{"beirut midnight", "Asia/Beirut", "2027-03-28"},
		{"havana", "America/Havana", "2027-11-07"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := loc(t, tt.zone)
			day := at(tt.day + "T00:00:00Z")
			type wall struct {
				date string
				c    Clock
			}
			wallOf := func(u time.Time) wall {
				lt := u.In(l)
				return wall{lt.Format(time.DateOnly), Clock(lt.Hour()*60 + lt.Minute())}
			}
			// Instants minute by minute from two days before to two after.
			var instants []time.Time
			earliest := map[wall]time.Time{}
			for u := day.Add(-48 * time.Hour); u.Before(day.Add(72 * time.Hour)); u = u.Add(time.Minute) {
				instants = append(instants, u)
				if _, seen := earliest[wallOf(u)]; !seen {
					earliest[wallOf(u)] = u
				}
			}
			for d := -1; d <= 1; d++ {
				date := day.AddDate(0, 0, d)
				for c := Clock(0); c < EndOfDay; c++ {
					w := wall{date.Format(time.DateOnly), c}
					want, ok := earliest[w]
					if !ok {
						for _, u := range instants {
							if uw := wallOf(u); uw.date > w.date || (uw.date == w.date && uw.c > w.c) {
								want = u
								break
							}
						}
					}
					got := LocalTime(date.Year(), date.Month(), date.Day(), c, l)
					if !got.Equal(want) {
						t.Fatalf("LocalTime(%s %s) = %s, want %s", w.date, c, rfc(got), rfc(want))
					}
				}
			}
		})
	}
}

func TestAligned(t *testing.T) {
	tests := []struct {
		name string
		zone string
		t    string
		step time.Duration
		want bool
	}{
		{"rome on the hour", "Europe/Rome", "2027-03-01T08:00:00Z", 30 * time.Minute, true},
		{"rome half past", "Europe/Rome", "2027-03-01T08:30:00Z", 30 * time.Minute, true},
		{"rome quarter past", "Europe/Rome", "2027-03-01T08:15:00Z", 30 * time.Minute, false},
		{"rome one second off", "Europe/Rome", "2027-03-01T08:00:01Z", 30 * time.Minute, false},
		{"default step", "Europe/Rome", "2027-03-01T08:30:00Z", 0, true},
		{"kolkata 09:00 local", "Asia/Kolkata", "2027-03-01T03:30:00Z", 30 * time.Minute, true},
		{"kolkata 09:30 local", "Asia/Kolkata", "2027-03-01T04:00:00Z", 30 * time.Minute, true},
		{"kolkata 09:15 local", "Asia/Kolkata", "2027-03-01T03:45:00Z", 30 * time.Minute, false},
		{"kolkata hourly at 09:30 local", "Asia/Kolkata", "2027-03-01T04:00:00Z", time.Hour, false},
		{"kathmandu 09:00 local", "Asia/Kathmandu", "2027-03-01T03:15:00Z", 30 * time.Minute, true},
		{"kathmandu 09:30 local", "Asia/Kathmandu", "2027-03-01T03:45:00Z", 30 * time.Minute, true},
		{"kathmandu whole utc hour", "Asia/Kathmandu", "2027-03-01T03:00:00Z", 30 * time.Minute, false},
		{"rome spring night keeps real time", "Europe/Rome", "2027-03-28T01:00:00Z", time.Hour, true},
		{"rome autumn night second 02:00", "Europe/Rome", "2027-10-31T01:00:00Z", time.Hour, true},
		// Lord Howe moves by 30 minutes: an hourly grid counted in real time
		// from local midnight lands on :30 local after the spring gap, and
		// back on :00 the next day.
		{"lord howe hourly 02:30 local after gap", "Australia/Lord_Howe", "2027-10-02T15:30:00Z", time.Hour, true},
		{"lord howe hourly 03:00 local after gap", "Australia/Lord_Howe", "2027-10-02T16:00:00Z", time.Hour, false},
		{"lord howe hourly next day 01:00 local", "Australia/Lord_Howe", "2027-10-03T14:00:00Z", time.Hour, true},
		{"lord howe half-hourly repeat", "Australia/Lord_Howe", "2027-04-03T15:00:00Z", 30 * time.Minute, true},
		// Santiago's day starts at 01:00 local when the gap eats midnight.
		{"santiago day starts after midnight gap", "America/Santiago", "2027-09-05T04:00:00Z", time.Hour, true},
		{"santiago hourly from the late start", "America/Santiago", "2027-09-05T05:00:00Z", time.Hour, true},
		{"utc", "UTC", "2027-03-01T08:30:00Z", 30 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Aligned(at(tt.t), loc(t, tt.zone), tt.step); got != tt.want {
				t.Errorf("Aligned(%s, %s, %v) = %v, want %v", tt.t, tt.zone, tt.step, got, tt.want)
			}
		})
	}
}

func TestWeekly(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		first string
		n     int
		want  []string
	}{
		{"rome across spring keeps 16:00", "Europe/Rome", "2027-03-22T15:00:00Z", 3,
			[]string{"2027-03-22T15:00:00Z", "2027-03-29T14:00:00Z", "2027-04-05T14:00:00Z"}},
		{"rome across autumn keeps 16:00", "Europe/Rome", "2027-10-25T14:00:00Z", 2,
			[]string{"2027-10-25T14:00:00Z", "2027-11-01T15:00:00Z"}},
		{"new york across spring keeps 16:00", "America/New_York", "2027-03-08T21:00:00Z", 2,
			[]string{"2027-03-08T21:00:00Z", "2027-03-15T20:00:00Z"}},
		{"new york across autumn keeps 16:00", "America/New_York", "2027-11-01T20:00:00Z", 2,
			[]string{"2027-11-01T20:00:00Z", "2027-11-08T21:00:00Z"}},
		{"repeat in the gap moves after it", "Europe/Rome", "2027-03-21T01:30:00Z", 3,
			[]string{"2027-03-21T01:30:00Z", "2027-03-28T01:00:00Z", "2027-04-04T00:30:00Z"}},
		{"repeat in the ambiguous hour takes the earlier", "Europe/Rome", "2027-10-24T00:30:00Z", 2,
			[]string{"2027-10-24T00:30:00Z", "2027-10-31T00:30:00Z"}},
		{"seconds are kept", "Europe/Rome", "2027-03-22T15:00:30Z", 2,
			[]string{"2027-03-22T15:00:30Z", "2027-03-29T14:00:30Z"}},
		{"one", "Europe/Rome", "2027-03-22T15:00:00Z", 1, []string{"2027-03-22T15:00:00Z"}},
		{"none", "Europe/Rome", "2027-03-22T15:00:00Z", 0, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []string{}
			for _, u := range Weekly(at(tt.first), loc(t, tt.zone), tt.n) {
				got = append(got, rfc(u))
			}
			if len(got) != len(tt.want) {
				t.Fatalf("Weekly = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("Weekly[%d] = %s, want %s", i, got[i], tt.want[i])
				}
			}
		})
	}
}
