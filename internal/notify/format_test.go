package notify

import (
	"testing"
	"time"
)

func TestFormatSpan(t *testing.T) {
	rome, ny := mustLoc(t, "Europe/Rome"), mustLoc(t, "America/New_York")
	start := time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC) // a Tuesday, winter time
	tests := []struct {
		name       string
		start, end time.Time
		loc        *time.Location
		lang       string
		want       string
	}{
		{"rome en", start, start.Add(time.Hour), rome, "en", "Tue 1 Dec 2026, 15:00–16:00 (Europe/Rome)"},
		{"rome it", start, start.Add(time.Hour), rome, "it", "mar 1 dic 2026, 15:00–16:00 (Europe/Rome)"},
		{"new york", start, start.Add(time.Hour), ny, "en", "Tue 1 Dec 2026, 09:00–10:00 (America/New_York)"},
		{"nil zone is UTC", start, time.Time{}, nil, "en", "Tue 1 Dec 2026, 14:00 (UTC)"},
		{"no end", start, time.Time{}, rome, "it", "mar 1 dic 2026, 15:00 (Europe/Rome)"},
		{"end before start ignored", start, start.Add(-time.Hour), rome, "en", "Tue 1 Dec 2026, 15:00 (Europe/Rome)"},
		{"across midnight", time.Date(2026, 8, 9, 21, 30, 0, 0, time.UTC), time.Date(2026, 8, 9, 22, 30, 0, 0, time.UTC),
			rome, "it", "dom 9 ago 2026, 23:30 – lun 10 ago 2026, 00:30 (Europe/Rome)"},
		{"summer time", time.Date(2026, 7, 1, 14, 0, 0, 0, time.UTC), time.Time{}, rome, "en",
			"Wed 1 Jul 2026, 16:00 (Europe/Rome)"},
		{"zero start", time.Time{}, time.Time{}, rome, "en", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatSpan(tt.start, tt.end, tt.loc, tt.lang); got != tt.want {
				t.Errorf("formatSpan() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatDayItalianNames(t *testing.T) {
	// One day of every month and every weekday, so each Italian name is used.
	want := []string{
		"gio 1 gen 2026", "dom 1 feb 2026", "dom 1 mar 2026", "mer 1 apr 2026", "ven 1 mag 2026", "lun 1 giu 2026",
		"mer 1 lug 2026", "sab 1 ago 2026", "mar 1 set 2026", "gio 1 ott 2026", "dom 1 nov 2026", "mar 1 dic 2026",
	}
	for i, w := range want {
		got := formatDay(time.Date(2026, time.Month(i+1), 1, 12, 0, 0, 0, time.UTC), "it")
		if got != w {
			t.Errorf("formatDay(month %d) = %q, want %q", i+1, got, w)
		}
	}
}

func TestFormatBefore(t *testing.T) {
	tests := []struct {
		name   string
		d      time.Duration
		en, it string
	}{
		{"one hour", time.Hour, "in 1 hour", "tra 1 ora"},
		{"a day", 24 * time.Hour, "in 24 hours", "tra 24 ore"},
		{"two days", 48 * time.Hour, "in 2 days", "tra 2 giorni"},
		{"hours and minutes", 90 * time.Minute, "in 1 hour 30 minutes", "tra 1 ora e 30 minuti"},
		{"one minute", time.Minute, "in 1 minute", "tra 1 minuto"},
		{"minutes", 15 * time.Minute, "in 15 minutes", "tra 15 minuti"},
		{"rounded", 59*time.Minute + 50*time.Second, "in 1 hour", "tra 1 ora"},
		{"not whole days", 50 * time.Hour, "in 50 hours", "tra 50 ore"},
		{"zero", 0, "now", "adesso"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := formatBefore(tt.d, "en"); got != tt.en {
				t.Errorf("formatBefore(%v, en) = %q, want %q", tt.d, got, tt.en)
			}
			if got := formatBefore(tt.d, "it"); got != tt.it {
				t.Errorf("formatBefore(%v, it) = %q, want %q", tt.d, got, tt.it)
			}
		})
	}
}
