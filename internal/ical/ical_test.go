package ical

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// sample is the calendar behind testdata/lessons.ics: one event of each
// status, escaping, a long multibyte description and an event with only the
// required properties.
func sample() Calendar {
	stamp := utc("2027-03-01T12:00:00Z")
	rome := time.FixedZone("CET", 3600)
	return Calendar{
		Name:   "Scuola Rossi, lessons",
		ProdID: "-//Tutorbase//Lessons feed//EN",
		Events: []Event{
			{
				UID:          "b1abcdefghijklm@tutorbase",
				Start:        utc("2027-03-29T07:00:00Z"),
				End:          utc("2027-03-29T08:00:00Z"),
				Stamp:        stamp,
				LastModified: utc("2027-02-20T10:30:15.250Z"),
				Summary:      "Lesson: Mathematics with Giulia Rossi",
				Description:  "Join: https://meet.jit.si/tutorbase-abc\nNotes: chapters 3, 4; bring the \\ notebook",
				Location:     "https://meet.jit.si/tutorbase-abc",
				URL:          "https://meet.jit.si/tutorbase-abc",
				Status:       StatusConfirmed,
				Sequence:     225282615,
			},
			{
				UID:         "b2abcdefghijklm@tutorbase",
				Start:       time.Date(2027, 3, 30, 16, 30, 0, 0, rome), // written in UTC: 15:30Z
				End:         time.Date(2027, 3, 30, 17, 15, 0, 0, rome),
				Stamp:       stamp,
				Summary:     "Lesson: Matematica e Fisica with Zoë Müller-Lüdenscheidt",
				Description: strings.Repeat("Ripassare le equazioni di secondo grado, è importante — 数学! ", 3),
				Status:      StatusTentative,
			},
			{
				UID:      "b3abcdefghijklm@tutorbase",
				Start:    utc("2027-04-02T09:00:00Z"),
				End:      utc("2027-04-02T10:30:00Z"),
				Stamp:    stamp,
				Summary:  "Cancelled: Lesson with Luca Esposito",
				Status:   StatusCancelled,
				Sequence: 3,
			},
			{
				UID:   "b4abcdefghijklm@tutorbase",
				Start: utc("2027-04-05T09:00:00Z"),
				Stamp: stamp,
			},
		},
	}
}

func TestGolden(t *testing.T) {
	tests := []struct {
		name, file string
		cal        Calendar
	}{
		{"lessons", "lessons.ics", sample()},
		{"no events", "empty.ics", Calendar{Name: "Lessons", ProdID: "-//Tutorbase//Lessons feed//EN"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			n, err := tt.cal.WriteTo(&b)
			if err != nil {
				t.Fatal(err)
			}
			if n != int64(b.Len()) {
				t.Errorf("WriteTo reported %d bytes, wrote %d", n, b.Len())
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("output differs from %s (run with -update after checking the change)\n got:\n%s\nwant:\n%s", path, b.Bytes(), want)
			}
		})
	}
}

func TestWriteToRefusesInvalidCalendars(t *testing.T) {
	ok := Event{UID: "x", Start: utc("2027-03-29T07:00:00Z"), End: utc("2027-03-29T08:00:00Z"), Stamp: utc("2027-03-01T00:00:00Z")}
	with := func(f func(e *Event)) Calendar {
		e := ok
		f(&e)
		return Calendar{ProdID: "-//T//T//EN", Events: []Event{ok, e}}
	}
	tests := []struct {
		name string
		cal  Calendar
		want string
	}{
		{"no PRODID", Calendar{Events: []Event{ok}}, "PRODID"},
		{"no UID", with(func(e *Event) { e.UID = "" }), "no UID"},
		{"no start", with(func(e *Event) { e.Start = time.Time{} }), "no start"},
		{"no stamp", with(func(e *Event) { e.Stamp = time.Time{} }), "no stamp"},
		{"end before start", with(func(e *Event) { e.End = e.Start.Add(-time.Minute) }), "end is not after start"},
		{"empty event", with(func(e *Event) { e.End = e.Start }), "end is not after start"},
		{"negative sequence", with(func(e *Event) { e.Sequence = -1 }), "negative sequence"},
		{"unknown status", with(func(e *Event) { e.Status = "confirmed" }), `unknown status "confirmed"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			n, err := tt.cal.WriteTo(&b)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("WriteTo error = %v, want one mentioning %q", err, tt.want)
			}
			if n != 0 || b.Len() != 0 {
				t.Errorf("an invalid calendar wrote %d bytes", b.Len())
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteToReturnsWriterErrors(t *testing.T) {
	if _, err := sample().WriteTo(failingWriter{}); err == nil || err.Error() != "disk full" {
		t.Fatalf("WriteTo error = %v, want the writer's", err)
	}
}

func TestFormatTime(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"UTC", utc("2027-03-29T07:00:00Z"), "20270329T070000Z"},
		{"other zone converted", time.Date(2027, 3, 29, 9, 0, 0, 0, time.FixedZone("CEST", 2*3600)), "20270329T070000Z"},
		{"fractions dropped", utc("2027-03-29T07:00:59.999Z"), "20270329T070059Z"},
		{"across midnight", time.Date(2027, 1, 1, 0, 30, 0, 0, time.FixedZone("+01", 3600)), "20261231T233000Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatTime(tt.in); got != tt.want {
				t.Errorf("FormatTime(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
