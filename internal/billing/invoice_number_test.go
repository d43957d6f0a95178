package billing

import (
	"testing"
	"time"
)

func TestInvoiceNumber(t *testing.T) {
	tests := []struct {
		name   string
		prefix string
		year   int
		seq    int64
		want   string
	}{
		{"design example", "INV-", 2027, 42, "INV-2027-000042"},
		{"first of the year", "INV-", 2028, 1, "INV-2028-000001"},
		{"six digits", "INV-", 2027, 999999, "INV-2027-999999"},
		{"wider past a million", "INV-", 2027, 1234567, "INV-2027-1234567"},
		{"no prefix", "", 2027, 7, "2027-000007"},
		{"prefix without dash", "F", 2027, 7, "F2027-000007"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InvoiceNumber(tt.prefix, tt.year, tt.seq); got != tt.want {
				t.Errorf("InvoiceNumber(%q, %d, %d) = %q, want %q", tt.prefix, tt.year, tt.seq, got, tt.want)
			}
		})
	}
}

func TestInvoiceYear(t *testing.T) {
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	newYearsEve := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		at   time.Time
		loc  *time.Location
		want int
	}{
		{"already next year in Rome", newYearsEve, rome, 2027},
		{"still this year in UTC", newYearsEve, time.UTC, 2026},
		{"nil zone is UTC", newYearsEve, nil, 2026},
		{"midyear", time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC), rome, 2027},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InvoiceYear(tt.at, tt.loc); got != tt.want {
				t.Errorf("InvoiceYear(%v, %v) = %d, want %d", tt.at, tt.loc, got, tt.want)
			}
		})
	}
}
