package billing

import (
	"testing"
	"time"
)

func TestPayBy(t *testing.T) {
	booked := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour
	tests := []struct {
		name                  string
		start                 time.Time
		cancelWindow, payWith time.Duration
		want                  time.Time
	}{
		{name: "far lesson: a day to pay", start: booked.Add(10 * day), cancelWindow: day, payWith: day, want: booked.Add(day)},
		{name: "lesson in 30 hours: before the window opens", start: booked.Add(30 * time.Hour), cancelWindow: day, payWith: day, want: booked.Add(6 * time.Hour)},
		{name: "lesson inside the window: the 15-minute floor", start: booked.Add(3 * time.Hour), cancelWindow: day, payWith: day, want: booked.Add(15 * time.Minute)},
		{name: "window opens in 10 minutes: still 15", start: booked.Add(day + 10*time.Minute), cancelWindow: day, payWith: day, want: booked.Add(15 * time.Minute)},
		{name: "no cancel window", start: booked.Add(2 * time.Hour), cancelWindow: 0, payWith: day, want: booked.Add(2 * time.Hour)},
		{name: "a shorter pay window", start: booked.Add(10 * day), cancelWindow: day, payWith: 2 * time.Hour, want: booked.Add(2 * time.Hour)},
		{name: "exactly at the floor", start: booked.Add(day + 15*time.Minute), cancelWindow: day, payWith: day, want: booked.Add(15 * time.Minute)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PayBy(booked, tt.start, tt.cancelWindow, tt.payWith); !got.Equal(tt.want) {
				t.Errorf("PayBy = %v, want %v", got, tt.want)
			}
		})
	}
}
