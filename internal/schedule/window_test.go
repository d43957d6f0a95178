package schedule

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestWindowValidate(t *testing.T) {
	rome := loc(t, "Europe/Rome")
	ok := Window{Weekday: 1, Start: hm("09:00"), End: hm("17:00"), Location: rome}
	with := func(f func(w *Window)) Window {
		w := ok
		f(&w)
		return w
	}
	day := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, rome)
		return d
	}
	tests := []struct {
		name      string
		w         Window
		wantField string // "" for valid
	}{
		{"valid", ok, ""},
		{"sunday", with(func(w *Window) { w.Weekday = 7 }), ""},
		{"to end of day", with(func(w *Window) { w.End = EndOfDay }), ""},
		{"whole day", with(func(w *Window) { w.Start, w.End = 0, EndOfDay }), ""},
		{"crossing midnight", with(func(w *Window) { w.Start, w.End = hm("22:00"), hm("02:00") }), ""},
		{"crossing to 00:00", with(func(w *Window) { w.Start, w.End = hm("22:00"), 0 }), ""},
		{"weekday zero", with(func(w *Window) { w.Weekday = 0 }), "weekday"},
		{"weekday eight", with(func(w *Window) { w.Weekday = 8 }), "weekday"},
		{"start at 24:00", with(func(w *Window) { w.Start = EndOfDay }), "start"},
		{"negative start", with(func(w *Window) { w.Start = -1 }), "start"},
		{"end past 24:00", with(func(w *Window) { w.End = EndOfDay + 1 }), "end"},
		{"empty", with(func(w *Window) { w.End = w.Start }), "end"},
		{"no zone", with(func(w *Window) { w.Location = nil }), "timezone"},
		{"one-day validity", with(func(w *Window) { w.ValidFrom, w.ValidUntil = day("2027-03-01"), day("2027-03-01") }), ""},
		{"only valid from", with(func(w *Window) { w.ValidFrom = day("2027-03-01") }), ""},
		{"validity reversed", with(func(w *Window) { w.ValidFrom, w.ValidUntil = day("2027-03-02"), day("2027-03-01") }), "valid_until"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.w.Validate()
			if tt.wantField == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("Validate() = %v, want a *RuleError", err)
			}
			if re.Code != CodeInvalidWindow || re.Field != tt.wantField {
				t.Errorf("Validate() = %s on %q, want %s on %q", re.Code, re.Field, CodeInvalidWindow, tt.wantField)
			}
		})
	}
}

func TestExpandDST(t *testing.T) {
	rome := loc(t, "Europe/Rome")
	tests := []struct {
		name     string
		ws       []Window
		from, to string
		want     []string
	}{
		{"rome spring night is two real hours",
			[]Window{{Weekday: 7, Start: hm("01:00"), End: hm("04:00"), Location: rome}},
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z",
			[]string{"2027-03-28T00:00:00Z/2027-03-28T02:00:00Z"}},
		{"rome autumn night is four real hours",
			[]Window{{Weekday: 7, Start: hm("01:00"), End: hm("04:00"), Location: rome}},
			"2027-10-30T00:00:00Z", "2027-11-01T00:00:00Z",
			[]string{"2027-10-30T23:00:00Z/2027-10-31T03:00:00Z"}},
		{"window wholly inside the gap is empty",
			[]Window{{Weekday: 7, Start: hm("02:00"), End: hm("02:30"), Location: rome}},
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z",
			[]string{}},
		{"start in the gap moves after it",
			[]Window{{Weekday: 7, Start: hm("02:30"), End: hm("04:00"), Location: rome}},
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z",
			[]string{"2027-03-28T01:00:00Z/2027-03-28T02:00:00Z"}},
		{"end in the gap moves after it",
			[]Window{{Weekday: 7, Start: hm("00:00"), End: hm("02:30"), Location: rome}},
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z",
			[]string{"2027-03-27T23:00:00Z/2027-03-28T01:00:00Z"}},
		{"ambiguous window takes the earlier hour",
			[]Window{{Weekday: 7, Start: hm("02:00"), End: hm("02:30"), Location: rome}},
			"2027-10-30T00:00:00Z", "2027-11-01T00:00:00Z",
			[]string{"2027-10-31T00:00:00Z/2027-10-31T00:30:00Z"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rfcs(Expand(tt.ws, at(tt.from), at(tt.to))))
		})
	}
}

func TestExpand(t *testing.T) {
	rome := loc(t, "Europe/Rome")
	ny := loc(t, "America/New_York")
	utc := time.UTC
	romeDay := func(s string) time.Time {
		d, _ := time.ParseInLocation(time.DateOnly, s, rome)
		return d
	}
	tests := []struct {
		name     string
		ws       []Window
		from, to string
		want     []string
	}{
		{"crossing midnight every friday",
			[]Window{{Weekday: 5, Start: hm("22:00"), End: hm("02:00"), Location: rome}},
			"2027-03-01T00:00:00Z", "2027-03-15T00:00:00Z",
			[]string{"2027-03-05T21:00:00Z/2027-03-06T01:00:00Z", "2027-03-12T21:00:00Z/2027-03-13T01:00:00Z"}},
		{"crossing into the spring gap",
			[]Window{{Weekday: 6, Start: hm("22:00"), End: hm("03:30"), Location: rome}},
			"2027-03-27T00:00:00Z", "2027-03-29T00:00:00Z",
			[]string{"2027-03-27T21:00:00Z/2027-03-28T01:30:00Z"}},
		{"crossing sunday into monday",
			[]Window{{Weekday: 7, Start: hm("22:00"), End: hm("02:00"), Location: utc}},
			"2027-03-08T01:00:00Z", "2027-03-08T03:00:00Z",
			[]string{"2027-03-07T22:00:00Z/2027-03-08T02:00:00Z"}},
		{"end 00:00 is 24:00",
			[]Window{
				{Weekday: 1, Start: hm("20:00"), End: 0, Location: rome},
				{Weekday: 2, Start: hm("20:00"), End: EndOfDay, Location: rome},
			},
			"2027-03-01T00:00:00Z", "2027-03-03T00:00:00Z",
			[]string{"2027-03-01T19:00:00Z/2027-03-01T23:00:00Z", "2027-03-02T19:00:00Z/2027-03-02T23:00:00Z"}},
		{"not clipped to the range",
			[]Window{{Weekday: 1, Start: hm("09:00"), End: hm("17:00"), Location: utc}},
			"2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z",
			[]string{"2027-03-01T09:00:00Z/2027-03-01T17:00:00Z"}},
		{"occurrence ending at from or starting at to is out",
			[]Window{
				{Weekday: 1, Start: hm("09:00"), End: hm("12:00"), Location: utc},
				{Weekday: 1, Start: hm("13:00"), End: hm("14:00"), Location: utc},
			},
			"2027-03-01T12:00:00Z", "2027-03-01T13:00:00Z",
			[]string{}},
		{"adjacent windows form one span",
			[]Window{
				{Weekday: 1, Start: hm("10:00"), End: hm("11:00"), Location: utc},
				{Weekday: 1, Start: hm("09:00"), End: hm("10:00"), Location: utc},
			},
			"2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z",
			[]string{"2027-03-01T09:00:00Z/2027-03-01T11:00:00Z"}},
		{"windows in two zones merge in real time",
			[]Window{
				{Weekday: 1, Start: hm("09:00"), End: hm("10:00"), Location: rome},
				{Weekday: 1, Start: hm("03:30"), End: hm("04:30"), Location: ny},
			},
			"2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z",
			[]string{"2027-03-01T08:00:00Z/2027-03-01T09:30:00Z"}},
		{"validity inclusive at both ends",
			[]Window{{Weekday: 1, Start: hm("09:00"), End: hm("10:00"), Location: rome,
				ValidFrom: romeDay("2027-03-08"), ValidUntil: romeDay("2027-03-22").Add(23*time.Hour + 30*time.Minute)}},
			"2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z",
			[]string{"2027-03-08T08:00:00Z/2027-03-08T09:00:00Z", "2027-03-15T08:00:00Z/2027-03-15T09:00:00Z",
				"2027-03-22T08:00:00Z/2027-03-22T09:00:00Z"}},
		{"last valid occurrence may cross past valid until",
			[]Window{{Weekday: 1, Start: hm("23:00"), End: hm("01:00"), Location: rome, ValidUntil: romeDay("2027-03-01")}},
			"2027-03-01T00:00:00Z", "2027-04-01T00:00:00Z",
			[]string{"2027-03-01T22:00:00Z/2027-03-02T00:00:00Z"}},
		{"invalid windows are skipped",
			[]Window{
				{Weekday: 1, Start: hm("09:00"), End: hm("10:00")},
				{Weekday: 9, Start: hm("09:00"), End: hm("10:00"), Location: utc},
				{Weekday: 1, Start: hm("09:00"), End: hm("09:00"), Location: utc},
			},
			"2027-03-01T00:00:00Z", "2027-03-02T00:00:00Z",
			[]string{}},
		{"empty range", []Window{{Weekday: 1, Start: hm("09:00"), End: hm("10:00"), Location: utc}},
			"2027-03-02T00:00:00Z", "2027-03-01T00:00:00Z",
			[]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, rfcs(Expand(tt.ws, at(tt.from), at(tt.to))))
		})
	}
}

func TestOverlapping(t *testing.T) {
	rome := loc(t, "Europe/Rome")
	ny := loc(t, "America/New_York")
	win := func(wd int, start, end string) Window {
		return Window{Weekday: wd, Start: hm(start), End: hm(end), Location: rome}
	}
	valid := func(w Window, from, until string) Window {
		if from != "" {
			w.ValidFrom, _ = time.ParseInLocation(time.DateOnly, from, rome)
		}
		if until != "" {
			w.ValidUntil, _ = time.ParseInLocation(time.DateOnly, until, rome)
		}
		return w
	}
	tests := []struct {
		name   string
		ws     []Window
		wantOK bool
		wantI  int
		wantJ  int
	}{
		{"none", nil, false, 0, 0},
		{"one", []Window{win(1, "09:00", "12:00")}, false, 0, 0},
		{"same day overlap", []Window{win(1, "09:00", "12:00"), win(1, "11:00", "13:00")}, true, 0, 1},
		{"touching is fine", []Window{win(1, "09:00", "10:00"), win(1, "10:00", "11:00")}, false, 0, 0},
		{"different days", []Window{win(1, "09:00", "12:00"), win(2, "09:00", "12:00")}, false, 0, 0},
		{"nested", []Window{win(3, "08:00", "20:00"), win(3, "12:00", "13:00")}, true, 0, 1},
		{"first pair reported", []Window{win(1, "09:00", "10:00"), win(2, "09:00", "12:00"), win(2, "11:00", "13:00"), win(1, "09:30", "11:00")}, true, 0, 3},
		{"crossing spills into next day", []Window{win(1, "22:00", "02:00"), win(2, "01:00", "03:00")}, true, 0, 1},
		{"crossing touches next day", []Window{win(1, "22:00", "02:00"), win(2, "02:00", "03:00")}, false, 0, 0},
		{"sunday spills into monday", []Window{win(1, "00:30", "03:00"), win(7, "23:00", "01:00")}, true, 0, 1},
		{"sunday to 24:00 touches monday", []Window{win(1, "00:00", "03:00"), win(7, "23:00", "24:00")}, false, 0, 0},
		{"zones ignored: wall clock compared", []Window{win(1, "09:00", "10:00"), {Weekday: 1, Start: hm("09:30"), End: hm("10:30"), Location: ny}}, true, 0, 1},
		{"disjoint validity", []Window{valid(win(1, "09:00", "12:00"), "", "2027-03-28"), valid(win(1, "09:00", "12:00"), "2027-03-29", "")}, false, 0, 0},
		{"shared validity", []Window{valid(win(1, "09:00", "12:00"), "", "2027-03-29"), valid(win(1, "09:00", "12:00"), "2027-03-29", "")}, true, 0, 1},
		{"shared validity on another weekday", []Window{valid(win(1, "09:00", "12:00"), "", "2027-03-28"), valid(win(1, "09:00", "12:00"), "2027-03-28", "")}, false, 0, 0},
		{"last crossing occurrence meets next timetable", []Window{valid(win(1, "22:00", "02:00"), "", "2027-03-29"), valid(win(2, "01:00", "03:00"), "2027-03-30", "")}, true, 0, 1},
		{"invalid skipped", []Window{win(1, "09:00", "09:00"), win(1, "08:00", "10:00")}, false, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, j, ok := Overlapping(tt.ws)
			if ok != tt.wantOK || (ok && (i != tt.wantI || j != tt.wantJ)) {
				t.Errorf("Overlapping() = %d, %d, %v, want %d, %d, %v", i, j, ok, tt.wantI, tt.wantJ, tt.wantOK)
			}
		})
	}
}
