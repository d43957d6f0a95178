package ical_test

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"tutorbase/internal/ical"
)

func ExampleCalendar_WriteTo() {
	cal := ical.Calendar{
		Name:   "Lessons",
		ProdID: "-//Tutorbase//Lessons feed//EN",
		Events: []ical.Event{{
			UID:     "4bq3s8k2m1x9z7a@tutorbase",
			Start:   time.Date(2027, 3, 29, 9, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
			End:     time.Date(2027, 3, 29, 10, 0, 0, 0, time.FixedZone("CEST", 2*3600)),
			Stamp:   time.Date(2027, 3, 1, 12, 0, 0, 0, time.UTC),
			Summary: "Lesson: Mathematics with Giulia Rossi",
			Status:  ical.StatusConfirmed,
		}},
	}
	var b bytes.Buffer
	if _, err := cal.WriteTo(&b); err != nil {
		panic(err)
	}
	fmt.Print(strings.ReplaceAll(b.String(), "\r\n", "\n")) // the feed's lines end in CRLF
	// Output:
	// BEGIN:VCALENDAR
	// VERSION:2.0
	// PRODID:-//Tutorbase//Lessons feed//EN
	// CALSCALE:GREGORIAN
	// METHOD:PUBLISH
	// X-WR-CALNAME:Lessons
	// REFRESH-INTERVAL;VALUE=DURATION:PT1H
	// X-PUBLISHED-TTL:PT1H
	// BEGIN:VEVENT
	// UID:4bq3s8k2m1x9z7a@tutorbase
	// DTSTAMP:20270301T120000Z
	// DTSTART:20270329T070000Z
	// DTEND:20270329T080000Z
	// SEQUENCE:0
	// STATUS:CONFIRMED
	// SUMMARY:Lesson: Mathematics with Giulia Rossi
	// END:VEVENT
	// END:VCALENDAR
}
