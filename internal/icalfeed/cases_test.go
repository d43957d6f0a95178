package icalfeed

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// cal wraps VEVENT lines (and any VTIMEZONE) in a VCALENDAR.
func cal(lines ...string) []byte {
	return []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + strings.Join(lines, "\r\n") + "\r\nEND:VCALENDAR\r\n")
}

func vevent(props ...string) string {
	return "BEGIN:VEVENT\r\nUID:" + strings.ReplaceAll(props[0], ":", "") + "\r\n" + strings.Join(props, "\r\n") + "\r\nEND:VEVENT"
}

func TestBusyCases(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want []Interval
	}{
		{"DURATION instead of DTEND, nominal days across the change",
			cal(vevent("DTSTART;TZID=Europe/Rome:20270327T120000", "DURATION:P1DT1H")),
			[]Interval{iv("2027-03-27T11:00:00Z", "2027-03-28T11:00:00Z")}},
		{"no DTEND: a timed event takes no time, an all-day one its day",
			cal(vevent("DTSTART:20270310T090000Z"), vevent("DTSTART;VALUE=DATE:20270311")),
			[]Interval{iv("2027-03-10T23:00:00Z", "2027-03-11T23:00:00Z")}},
		{"EXDATE as a list, and as a date for a timed event",
			cal(vevent("DTSTART;TZID=Europe/Rome:20270308T100000", "DTEND;TZID=Europe/Rome:20270308T110000", "RRULE:FREQ=DAILY;COUNT=5",
				"EXDATE;TZID=Europe/Rome:20270309T100000,20270310T100000", "EXDATE;VALUE=DATE:20270311")),
			[]Interval{iv("2027-03-08T09:00:00Z", "2027-03-08T10:00:00Z"), iv("2027-03-12T09:00:00Z", "2027-03-12T10:00:00Z")}},
		{"RDATE periods",
			cal(vevent("DTSTART:20270308T090000Z", "DTEND:20270308T093000Z",
				"RDATE;VALUE=PERIOD:20270309T090000Z/20270309T120000Z,20270310T090000Z/PT2H")),
			[]Interval{iv("2027-03-08T09:00:00Z", "2027-03-08T09:30:00Z"), iv("2027-03-09T09:00:00Z", "2027-03-09T12:00:00Z"),
				iv("2027-03-10T09:00:00Z", "2027-03-10T11:00:00Z")}},
		{"a cancelled override removes its instance; a free master gives nothing but its busy override does",
			cal(vevent("DTSTART:20270308T090000Z", "DTEND:20270308T100000Z", "RRULE:FREQ=DAILY;COUNT=3"),
				"BEGIN:VEVENT\r\nUID:DTSTART20270308T090000Z\r\nRECURRENCE-ID:20270309T090000Z\r\nDTSTART:20270309T090000Z\r\nDTEND:20270309T100000Z\r\nSTATUS:CANCELLED\r\nEND:VEVENT",
				vevent("DTSTART:20270320T090000Z", "DTEND:20270320T100000Z", "RRULE:FREQ=DAILY;COUNT=3", "TRANSP:TRANSPARENT"),
				"BEGIN:VEVENT\r\nUID:DTSTART20270320T090000Z\r\nRECURRENCE-ID:20270321T090000Z\r\nDTSTART:20270321T140000Z\r\nDTEND:20270321T150000Z\r\nEND:VEVENT"),
			[]Interval{iv("2027-03-08T09:00:00Z", "2027-03-08T10:00:00Z"), iv("2027-03-10T09:00:00Z", "2027-03-10T10:00:00Z"),
				iv("2027-03-21T14:00:00Z", "2027-03-21T15:00:00Z")}},
		{"an all-day weekly event overridden by date",
			cal(vevent("DTSTART;VALUE=DATE:20270313", "DTEND;VALUE=DATE:20270314", "RRULE:FREQ=WEEKLY;COUNT=2"),
				"BEGIN:VEVENT\r\nUID:DTSTART;VALUE=DATE20270313\r\nRECURRENCE-ID;VALUE=DATE:20270320\r\nDTSTART;VALUE=DATE:20270321\r\nDTEND;VALUE=DATE:20270322\r\nEND:VEVENT"),
			[]Interval{iv("2027-03-12T23:00:00Z", "2027-03-13T23:00:00Z"), iv("2027-03-20T23:00:00Z", "2027-03-21T23:00:00Z")}},
		{"cut to the horizon, overlapping events merged",
			cal(vevent("DTSTART:20270301T000000Z", "DTEND:20270308T120000Z"), vevent("DTSTART:20270308T110000Z", "DTEND:20270308T130000Z"),
				vevent("DTSTART:20270404T230000Z", "DTEND:20270405T010000Z")),
			[]Interval{iv("2027-03-08T00:00:00Z", "2027-03-08T13:00:00Z"), iv("2027-04-04T23:00:00Z", "2027-04-05T00:00:00Z")}},
		{"a Windows zone name without its VTIMEZONE, a Mozilla-prefixed IANA name, an unknown zone read as the tutor's",
			cal(vevent("DTSTART;TZID=Eastern Standard Time:20270315T090000", "DTEND;TZID=Eastern Standard Time:20270315T100000"),
				vevent("DTSTART;TZID=/mozilla.org/20070129_1/Europe/London:20270316T090000", "DTEND;TZID=/mozilla.org/20070129_1/Europe/London:20270316T100000"),
				vevent("DTSTART;TZID=Somewhere/Else:20270317T090000", "DTEND;TZID=Somewhere/Else:20270317T100000")),
			[]Interval{iv("2027-03-15T13:00:00Z", "2027-03-15T14:00:00Z"), iv("2027-03-16T09:00:00Z", "2027-03-16T10:00:00Z"),
				iv("2027-03-17T08:00:00Z", "2027-03-17T09:00:00Z")}},
		{"a rule that repeats by the minute, an event without start and a bad date are skipped",
			cal(vevent("DTSTART:20270310T090000Z", "DTEND:20270310T090100Z", "RRULE:FREQ=MINUTELY"), "BEGIN:VEVENT\r\nUID:x\r\nSUMMARY:no start\r\nEND:VEVENT",
				vevent("DTSTART:2027-03-10", "DTEND:20270310T100000Z"), vevent("DTSTART:20270311T090000Z", "DTEND:20270311T100000Z")),
			[]Interval{iv("2027-03-11T09:00:00Z", "2027-03-11T10:00:00Z")}},
		{"a rule that never matches gives nothing",
			cal(vevent("DTSTART:20270310T090000Z", "DTEND:20270310T100000Z", "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30")),
			[]Interval{iv("2027-03-10T09:00:00Z", "2027-03-10T10:00:00Z")}},
		{"a byte order mark, LF line ends and lower-case values",
			[]byte("\xef\xbb\xbfBEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nDTSTART:20270310T090000Z\nDTEND:20270310T100000Z\nTRANSP:opaque\nEND:VEVENT\nEND:VCALENDAR\n"),
			[]Interval{iv("2027-03-10T09:00:00Z", "2027-03-10T10:00:00Z")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Busy(context.Background(), tt.data, Options{From: from, To: to, Zone: rome})
			if err != nil {
				t.Fatalf("Busy() error = %v", err)
			}
			if diff := diffIntervals(got.Intervals, tt.want); diff != "" {
				t.Errorf("Busy() intervals differ:\n%s", diff)
			}
		})
	}
}

func TestBusyErrors(t *testing.T) {
	many := []string{}
	for d := range 20 {
		day := from.AddDate(0, 0, d).Format("20060102")
		many = append(many, vevent("DTSTART:"+day+"T090000Z", "DTEND:"+day+"T100000Z"))
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		data []byte
		opt  Options
		want error
	}{
		{"not a calendar", context.Background(), []byte("<html><body>Sign in</body></html>"), Options{}, ErrUnparsable},
		{"empty", context.Background(), nil, Options{}, ErrUnparsable},
		{"unterminated", context.Background(), []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:a\r\n"), Options{}, ErrUnparsable},
		{"mismatched END", context.Background(), []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nEND:VTODO\r\nEND:VCALENDAR\r\n"), Options{}, ErrUnparsable},
		{"more intervals than allowed", context.Background(), cal(many...), Options{MaxIntervals: 10}, ErrTooMany},
		{"out of time", cancelled, cal(many...), Options{}, ErrTooMany},
		{"too many occurrences", context.Background(), cal(vevent("DTSTART:20220101T000000Z", "DTEND:20220101T000100Z", "RRULE:FREQ=HOURLY;BYMINUTE=0,5,10,15,20,25,30,35,40,45,50,55")), Options{}, ErrTooMany},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := tt.opt
			opt.From, opt.To, opt.Zone = from, to, rome
			if _, err := Busy(tt.ctx, tt.data, opt); !errors.Is(err, tt.want) {
				t.Errorf("Busy() error = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	day := 24 * time.Hour
	got := Normalize([]Interval{
		iv("2027-03-10T10:00:00Z", "2027-03-10T11:00:00Z"),
		iv("2027-03-10T09:00:00Z", "2027-03-10T10:00:00Z"), // touches: merged
		iv("2027-03-10T09:30:00Z", "2027-03-10T09:45:00Z"), // inside
		iv("2027-03-12T00:00:00Z", "2027-03-12T00:00:00Z"), // empty: dropped
		iv("2027-03-13T00:00:00Z", "2027-03-28T12:00:00Z"), // 15.5 days: split in 7-day pieces
	}, 7*day)
	want := []Interval{
		iv("2027-03-10T09:00:00Z", "2027-03-10T11:00:00Z"),
		iv("2027-03-13T00:00:00Z", "2027-03-20T00:00:00Z"),
		iv("2027-03-20T00:00:00Z", "2027-03-27T00:00:00Z"),
		iv("2027-03-27T00:00:00Z", "2027-03-28T12:00:00Z"),
	}
	if diff := diffIntervals(got, want); diff != "" {
		t.Errorf("Normalize() differs:\n%s", diff)
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		in   string
		want length
		ok   bool
	}{
		{"PT1H30M", length{exact: 90 * time.Minute}, true},
		{"P1W", length{days: 7}, true},
		{"+P1DT2H", length{days: 1, exact: 2 * time.Hour}, true},
		{"P0DT0H30M0S", length{exact: 30 * time.Minute}, true},
		{"-PT1H", length{}, false}, {"P", length{}, false}, {"PT", length{}, false}, {"1H", length{}, false},
		{"PT1D", length{}, false}, {"P1H", length{}, false}, {"PT5", length{}, false},
	}
	for _, tt := range tests {
		got, err := parseDuration(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("parseDuration(%q) = %+v, %v", tt.in, got, err)
		}
	}
}

// TestBuiltZonesMatchIANA: the zones built from Outlook's VTIMEZONEs give
// the offsets of the IANA zones they describe, hour by hour over 2027 and
// 2028.
func TestBuiltZonesMatchIANA(t *testing.T) {
	data := cal(
		"BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE",
		"BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\nBEGIN:STANDARD\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:-0400\r\nTZOFFSETTO:-0500\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=11\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0400\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=2SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE",
		"BEGIN:VTIMEZONE\r\nTZID:India\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r\nTZOFFSETFROM:+0530\r\nTZOFFSETTO:+0530\r\nEND:STANDARD\r\nEND:VTIMEZONE")
	c, err := decode(data)
	if err != nil {
		t.Fatal(err)
	}
	start, end := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2029, 1, 1, 0, 0, 0, 0, time.UTC)
	zs := newZones(c, Options{From: start, To: end, Zone: time.UTC})
	for name, iana := range map[string]string{"W. Europe Standard Time": "Europe/Berlin", "Customized Time Zone": "America/New_York", "India": "Asia/Kolkata"} {
		built, want := zs.loc(name), mustLoad(iana)
		if built == time.UTC {
			t.Fatalf("%s: not built", name)
		}
		for at := start; at.Before(end); at = at.Add(time.Hour) {
			_, got := at.In(built).Zone()
			_, w := at.In(want).Zone()
			if got != w {
				t.Fatalf("%s at %v: offset %d, want %d (%s)", name, at, got, w, iana)
			}
		}
	}
}
