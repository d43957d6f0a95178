package icalfeed

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// horizon of the export tests: four weeks over the USA's (14 March 2027)
// and the EU's (28 March 2027) change to summer time.
var (
	from = time.Date(2027, 3, 8, 0, 0, 0, 0, time.UTC)
	to   = time.Date(2027, 4, 5, 0, 0, 0, 0, time.UTC)
	rome = mustLoad("Europe/Rome")
)

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func iv(start, end string) Interval {
	s, err1 := time.Parse(time.RFC3339, start)
	e, err2 := time.Parse(time.RFC3339, end)
	if err1 != nil || err2 != nil {
		panic(fmt.Sprint(err1, err2))
	}
	return Interval{s, e}
}

func TestBusyExports(t *testing.T) {
	tests := []struct {
		file string
		want []Interval
		// events and skipped VEVENTs
		events, skipped int
	}{
		{"google.ics", []Interval{
			iv("2027-03-08T17:00:00Z", "2027-03-08T18:00:00Z"), // Pilates, Monday 18:00 CET
			iv("2027-03-10T09:30:00Z", "2027-03-10T10:30:00Z"), // dentist; the cancelled coffee and the free birthday are not busy
			iv("2027-03-16T18:00:00Z", "2027-03-16T19:00:00Z"), // Pilates of the 15th moved to Tuesday 19:00
			iv("2027-03-17T08:00:00Z", "2027-03-17T09:00:00Z"), // a UTC event
			iv("2027-03-24T23:00:00Z", "2027-03-26T23:00:00Z"), // two all-day days in Rome (the run of the 26th is inside)
			iv("2027-03-27T06:00:00Z", "2027-03-27T06:30:00Z"), // the daily run at 07:00 CET ...
			iv("2027-03-28T05:00:00Z", "2027-03-28T05:30:00Z"), // ... and at 07:00 CEST after the change
			iv("2027-03-29T05:00:00Z", "2027-03-29T05:30:00Z"),
			iv("2027-03-29T16:00:00Z", "2027-03-29T17:00:00Z"), // Pilates at 18:00 CEST; the 22nd is an EXDATE
		}, 9, 0},
		{"apple.ics", []Interval{
			iv("2027-03-11T14:00:00Z", "2027-03-11T15:00:00Z"), // Thursday 09:00 EST
			iv("2027-03-18T19:00:00Z", "2027-03-18T20:00:00Z"), // the 18th moved to 15:00 EDT
			iv("2027-03-20T15:00:00Z", "2027-03-20T16:00:00Z"), // an RDATE on Saturday 11:00 EDT
			iv("2027-03-25T13:00:00Z", "2027-03-25T14:00:00Z"), // 09:00 EDT, the last before UNTIL; the free lunch is not busy
			iv("2027-04-01T20:00:00Z", "2027-04-02T00:00:00Z"), // a floating time, read in the tutor's zone (CEST)
		}, 4, 0},
		{"outlook.ics", []Interval{
			iv("2027-03-09T15:00:00Z", "2027-03-09T16:00:00Z"), // a "Customized Time Zone" (US Eastern) at 10:00 EST
			iv("2027-03-10T16:30:00Z", "2027-03-10T18:00:00Z"), // the course, 17:30 CET
			iv("2027-03-12T09:00:00Z", "2027-03-12T10:00:00Z"), // tentative is busy; the free hold of the 11th is not
			iv("2027-03-16T14:00:00Z", "2027-03-16T15:00:00Z"), // 10:00 EDT; the 23rd is cancelled by an override
			iv("2027-03-24T16:30:00Z", "2027-03-24T18:00:00Z"), // the 17th is an EXDATE
			iv("2027-03-31T15:30:00Z", "2027-03-31T17:00:00Z"), // 17:30 CEST, the fifth and last (COUNT=5)
			iv("2027-04-01T22:00:00Z", "2027-04-02T22:00:00Z"), // out of office all day, in the tutor's zone
		}, 6, 0},
	}
	// served over HTTP as the calendars publish them (loopback allowed)
	srv := httptest.NewServer(http.FileServer(http.Dir("testdata")))
	defer srv.Close()
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			page, err := (&Fetcher{}).Fetch(context.Background(), srv.URL+"/"+tt.file, Validators{}, true)
			if err != nil {
				t.Fatal(err)
			}
			got, err := Busy(context.Background(), page.Body, Options{From: from, To: to, Zone: rome})
			if err != nil {
				t.Fatalf("Busy() error = %v", err)
			}
			if got.Events != tt.events || got.Skipped != tt.skipped {
				t.Errorf("events, skipped = %d, %d, want %d, %d", got.Events, got.Skipped, tt.events, tt.skipped)
			}
			if diff := diffIntervals(got.Intervals, tt.want); diff != "" {
				t.Errorf("Busy() intervals differ:\n%s", diff)
			}
		})
	}
}

func diffIntervals(got, want []Interval) string {
	var b strings.Builder
	for i := 0; i < max(len(got), len(want)); i++ {
		var g, w string
		if i < len(got) {
			g = got[i].Start.Format(time.RFC3339) + " " + got[i].End.Format(time.RFC3339)
		}
		if i < len(want) {
			w = want[i].Start.Format(time.RFC3339) + " " + want[i].End.Format(time.RFC3339)
		}
		if g != w {
			fmt.Fprintf(&b, "#%d got %q want %q\n", i, g, w)
		}
	}
	return b.String()
}
