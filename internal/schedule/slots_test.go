package schedule

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

const (
	m30 = 30 * time.Minute
	h1  = time.Hour
)

var lengths = []time.Duration{30 * time.Minute, 45 * time.Minute, time.Hour, 90 * time.Minute, 2 * time.Hour}

// slotCase is one row of a Slots table: a calendar, a query and the exact
// slots expected.
type slotCase struct {
	name     string
	cal      Calendar
	from, to string
	length   time.Duration
	now      string // "" means long before the range
	want     []string
}

func runSlotCases(t *testing.T, tests []slotCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := at("2020-01-01T00:00:00Z")
			if tt.now != "" {
				now = at(tt.now)
			}
			if tt.cal.Lengths == nil {
				tt.cal.Lengths = lengths
			}
			got := tt.cal.Slots(at(tt.from), at(tt.to), tt.length, now)
			assert.Equal(t, tt.want, rfcs(got))
			for _, s := range got {
				if err := tt.cal.Check(s, nil, now); err != nil {
					t.Errorf("slot %v fails Check: %v", s, err)
				}
			}
		})
	}
}

func TestSlotsDST(t *testing.T) {
	rome := loc(t, "Europe/Rome")
	ny := loc(t, "America/New_York")
	lh := loc(t, "Australia/Lord_Howe")
	inRome := func(ws ...Window) Calendar { return Calendar{Location: rome, Windows: ws} }
	sunday := func(l *time.Location, start, end string) Window {
		return Window{Weekday: 7, Start: hm(start), End: hm(end), Location: l}
	}
	runSlotCases(t, []slotCase{
		{"rome spring night: two real hours", inRome(sunday(rome, "01:00", "04:00")),
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z", h1, "",
			[]string{
				"2027-03-28T00:00:00Z/2027-03-28T01:00:00Z", // 01:00 CET
				"2027-03-28T00:30:00Z/2027-03-28T01:30:00Z", // 01:30 CET
				"2027-03-28T01:00:00Z/2027-03-28T02:00:00Z", // 03:00 CEST
			}},
		{"rome autumn night: four real hours", inRome(sunday(rome, "01:00", "04:00")),
			"2027-10-30T00:00:00Z", "2027-11-01T00:00:00Z", h1, "",
			[]string{
				"2027-10-30T23:00:00Z/2027-10-31T00:00:00Z", // 01:00 CEST
				"2027-10-30T23:30:00Z/2027-10-31T00:30:00Z",
				"2027-10-31T00:00:00Z/2027-10-31T01:00:00Z", // 02:00 CEST
				"2027-10-31T00:30:00Z/2027-10-31T01:30:00Z",
				"2027-10-31T01:00:00Z/2027-10-31T02:00:00Z", // 02:00 CET, the repeat
				"2027-10-31T01:30:00Z/2027-10-31T02:30:00Z",
				"2027-10-31T02:00:00Z/2027-10-31T03:00:00Z", // 03:00 CET
			}},
		{"rome window starting in the gap", inRome(sunday(rome, "02:30", "04:00")),
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z", m30, "",
			[]string{"2027-03-28T01:00:00Z/2027-03-28T01:30:00Z", "2027-03-28T01:30:00Z/2027-03-28T02:00:00Z"}},
		{"rome window ending in the gap", inRome(sunday(rome, "00:00", "02:30")),
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z", h1, "",
			every("2027-03-27T23:00:00Z", 3, m30, h1)},
		{"rome window wholly in the gap", inRome(sunday(rome, "02:00", "02:59")),
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z", m30, "",
			[]string{}},
		{"new york spring night", Calendar{Location: ny, Windows: []Window{sunday(ny, "01:00", "04:00")}},
			"2027-03-13T00:00:00Z", "2027-03-15T00:00:00Z", h1, "",
			every("2027-03-14T06:00:00Z", 3, m30, h1)},
		{"new york autumn night", Calendar{Location: ny, Windows: []Window{sunday(ny, "01:00", "04:00")}},
			"2027-11-06T00:00:00Z", "2027-11-08T00:00:00Z", h1, "",
			every("2027-11-07T05:00:00Z", 7, m30, h1)},
		{"lord howe autumn: half an hour repeats", Calendar{Location: lh, Windows: []Window{sunday(lh, "01:00", "04:00")}},
			"2027-04-03T00:00:00Z", "2027-04-05T00:00:00Z", h1, "",
			every("2027-04-03T14:00:00Z", 6, m30, h1)},
		{"lord howe spring: half an hour skipped", Calendar{Location: lh, Windows: []Window{sunday(lh, "01:00", "04:00")}},
			"2027-10-02T00:00:00Z", "2027-10-04T00:00:00Z", h1, "",
			every("2027-10-02T14:30:00Z", 4, m30, h1)},
		{"lord howe hourly grid runs in real time", Calendar{Location: lh, Step: h1, Windows: []Window{sunday(lh, "01:00", "04:00")}},
			"2027-10-02T00:00:00Z", "2027-10-04T00:00:00Z", h1, "",
			[]string{
				"2027-10-02T14:30:00Z/2027-10-02T15:30:00Z", // 01:00 local
				"2027-10-02T15:30:00Z/2027-10-02T16:30:00Z", // 02:30 local, two real hours after midnight
			}},
		{"hourly grid restarts at each local midnight",
			Calendar{Location: lh, Step: h1, Windows: []Window{
				{Weekday: 7, Start: hm("20:00"), End: EndOfDay, Location: lh},
				{Weekday: 1, Start: hm("00:00"), End: hm("02:00"), Location: lh},
			}},
			"2027-10-03T00:00:00Z", "2027-10-04T00:00:00Z", h1, "",
			concat(
				every("2027-10-03T09:30:00Z", 4, h1, h1), // Sunday 20:30..23:30 local: 23.5-hour day
				every("2027-10-03T13:00:00Z", 2, h1, h1), // Monday 00:00 and 01:00 local
			)},
		{"crossing midnight", inRome(Window{Weekday: 5, Start: hm("22:00"), End: hm("02:00"), Location: rome}),
			"2027-03-05T00:00:00Z", "2027-03-07T00:00:00Z", h1, "",
			every("2027-03-05T21:00:00Z", 7, m30, h1)},
		{"crossing midnight into the spring gap", inRome(Window{Weekday: 6, Start: hm("22:00"), End: hm("03:30"), Location: rome}),
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z", h1, "",
			every("2027-03-27T21:00:00Z", 8, m30, h1)}, // 21:00Z to 01:30Z: 4.5 real hours
		{"crossing midnight into the autumn repeat", inRome(Window{Weekday: 6, Start: hm("22:00"), End: hm("03:30"), Location: rome}),
			"2027-10-30T00:00:00Z", "2027-11-01T00:00:00Z", 2 * h1, "",
			every("2027-10-30T20:00:00Z", 10, m30, 2*h1)}, // 20:00Z to 02:30Z: 6.5 real hours
	})
}

func TestSlotsZones(t *testing.T) {
	kolkata := loc(t, "Asia/Kolkata")
	kathmandu := loc(t, "Asia/Kathmandu")
	monday := func(l *time.Location, start, end string) Window {
		return Window{Weekday: 1, Start: hm(start), End: hm(end), Location: l}
	}
	runSlotCases(t, []slotCase{
		{"kolkata :00 and :30 local", Calendar{Location: kolkata, Windows: []Window{monday(kolkata, "09:00", "11:00")}},
			"2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z", h1, "",
			every("2027-03-01T03:30:00Z", 3, m30, h1)},
		{"kathmandu :00 and :30 local", Calendar{Location: kathmandu, Windows: []Window{monday(kathmandu, "09:00", "10:30")}},
			"2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z", h1, "",
			[]string{"2027-03-01T03:15:00Z/2027-03-01T04:15:00Z", "2027-03-01T03:45:00Z/2027-03-01T04:45:00Z"}},
		{"window off the grid starts at the next aligned instant",
			Calendar{Location: kathmandu, Windows: []Window{monday(kathmandu, "09:10", "10:30")}},
			"2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z", h1, "",
			[]string{"2027-03-01T03:45:00Z/2027-03-01T04:45:00Z"}},
		{"tutor zone differs from window zone: alignment follows the tutor",
			Calendar{Location: time.UTC, Windows: []Window{monday(kolkata, "09:00", "11:00")}},
			"2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z", h1, "",
			every("2027-03-01T03:30:00Z", 3, m30, h1)},
		{"kathmandu window, utc grid", Calendar{Location: time.UTC, Windows: []Window{monday(kathmandu, "09:00", "10:30")}},
			"2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z", m30, "",
			[]string{"2027-03-01T03:30:00Z/2027-03-01T04:00:00Z", "2027-03-01T04:00:00Z/2027-03-01T04:30:00Z"}},
	})
}

func TestSlotsRules(t *testing.T) {
	utc := time.UTC
	win := func(wd int, start, end string) Window {
		return Window{Weekday: wd, Start: hm(start), End: hm(end), Location: utc}
	}
	nineToOne := []Window{win(1, "09:00", "13:00")} // Monday 2027-03-01
	mon := func(start, end string) Interval {
		return ival("2027-03-01T"+start+":00Z", "2027-03-01T"+end+":00Z")
	}
	const from, to = "2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z"
	runSlotCases(t, []slotCase{
		{"adjacent windows form one span", Calendar{Windows: []Window{win(1, "09:00", "10:00"), win(1, "10:00", "11:00")}},
			from, to, h1, "", every("2027-03-01T09:00:00Z", 3, m30, h1)},
		{"overlapping windows list each slot once", Calendar{Windows: []Window{win(1, "09:00", "11:00"), win(1, "10:00", "12:00"), win(1, "09:00", "12:00")}},
			from, to, h1, "", every("2027-03-01T09:00:00Z", 5, m30, h1)},
		{"booking at window start with buffer", Calendar{Windows: nineToOne, Busy: []Interval{mon("09:00", "10:00")}, Buffer: 15 * time.Minute},
			from, to, h1, "", every("2027-03-01T10:30:00Z", 4, m30, h1)},
		{"booking at window end with buffer", Calendar{Windows: nineToOne, Busy: []Interval{mon("12:00", "13:00")}, Buffer: 15 * time.Minute},
			from, to, h1, "", every("2027-03-01T09:00:00Z", 4, m30, h1)},
		{"buffer blocks neighbours", Calendar{Windows: nineToOne, Busy: []Interval{mon("11:00", "12:00")}, Buffer: 15 * time.Minute},
			from, to, h1, "", every("2027-03-01T09:00:00Z", 2, m30, h1)},
		{"no buffer: lessons back to back", Calendar{Windows: nineToOne, Busy: []Interval{mon("11:00", "12:00")}},
			from, to, h1, "", concat(every("2027-03-01T09:00:00Z", 3, m30, h1), every("2027-03-01T12:00:00Z", 1, m30, h1))},
		{"busy given out of order", Calendar{Windows: nineToOne, Busy: []Interval{mon("12:00", "13:00"), mon("09:00", "10:00")}},
			from, to, h1, "", every("2027-03-01T10:00:00Z", 3, m30, h1)},
		{"time off", Calendar{Windows: nineToOne, TimeOff: []Interval{mon("10:00", "11:00")}},
			from, to, h1, "", concat(every("2027-03-01T09:00:00Z", 1, m30, h1), every("2027-03-01T11:00:00Z", 3, m30, h1))},
		{"time off covering the day", Calendar{Windows: nineToOne, TimeOff: []Interval{ival("2027-02-28T00:00:00Z", "2027-03-05T00:00:00Z")}},
			from, to, h1, "", []string{}},
		{"notice exactly at a slot", Calendar{Windows: nineToOne, MinNotice: 2 * h1},
			from, to, h1, "2027-03-01T08:00:00Z", every("2027-03-01T10:00:00Z", 5, m30, h1)},
		{"notice a moment past a slot", Calendar{Windows: nineToOne, MinNotice: 2 * h1},
			from, to, h1, "2027-03-01T08:00:01Z", every("2027-03-01T10:30:00Z", 4, m30, h1)},
		{"advance exactly at a slot", Calendar{Windows: nineToOne, MaxAdvance: 3 * h1},
			from, to, h1, "2027-03-01T08:00:00Z", every("2027-03-01T09:00:00Z", 5, m30, h1)},
		{"advance a moment before a slot", Calendar{Windows: nineToOne, MaxAdvance: 3 * h1},
			from, to, h1, "2027-03-01T07:59:59Z", every("2027-03-01T09:00:00Z", 4, m30, h1)},
		{"from and to are inclusive bounds for start and end", Calendar{Windows: nineToOne},
			"2027-03-01T10:00:00Z", "2027-03-01T12:00:00Z", h1, "", every("2027-03-01T10:00:00Z", 3, m30, h1)},
		{"from off the grid", Calendar{Windows: nineToOne},
			"2027-03-01T10:10:00Z", "2027-03-01T12:00:00Z", h1, "", every("2027-03-01T10:30:00Z", 2, m30, h1)},
		{"range shorter than the lesson", Calendar{Windows: nineToOne},
			"2027-03-01T10:00:00Z", "2027-03-01T10:30:00Z", h1, "", []string{}},
		{"length not offered", Calendar{Windows: nineToOne},
			from, to, 50 * time.Minute, "", []string{}},
		{"any length when none are listed", Calendar{Windows: nineToOne, Lengths: []time.Duration{}},
			from, to, 4 * h1, "", every("2027-03-01T09:00:00Z", 1, m30, 4*h1)},
		{"quarter-hour step", Calendar{Windows: []Window{win(1, "09:00", "10:00")}, Step: 15 * time.Minute},
			from, to, 45 * time.Minute, "", every("2027-03-01T09:00:00Z", 2, 15*time.Minute, 45*time.Minute)},
		{"valid from and until inclusive",
			Calendar{Windows: []Window{{Weekday: 1, Start: hm("09:00"), End: hm("10:00"), Location: utc,
				ValidFrom: at("2027-03-08T00:00:00Z"), ValidUntil: at("2027-03-22T00:00:00Z")}}},
			"2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z", h1, "",
			[]string{"2027-03-08T09:00:00Z/2027-03-08T10:00:00Z", "2027-03-15T09:00:00Z/2027-03-15T10:00:00Z",
				"2027-03-22T09:00:00Z/2027-03-22T10:00:00Z"}},
		{"a week of windows", Calendar{Windows: []Window{win(1, "09:00", "11:00"), win(3, "09:00", "10:00"), win(7, "23:00", "01:00")}},
			"2027-03-01T00:00:00Z", "2027-03-08T00:00:00Z", h1, "",
			concat(
				every("2027-03-01T00:00:00Z", 1, m30, h1), // Sunday 2027-02-28 23:00 spills into Monday
				every("2027-03-01T09:00:00Z", 3, m30, h1),
				every("2027-03-03T09:00:00Z", 1, m30, h1),
				every("2027-03-07T23:00:00Z", 1, m30, h1), // ends 00:00 Monday, inside to
			)},
	})
}
