package billing

import (
	"errors"
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

func TestParseInvoiceNumber(t *testing.T) {
	tests := []struct {
		name     string
		prefix   string
		number   string
		wantYear int
		wantSeq  int64
		wantErr  bool
	}{
		{"design example", "INV-", "INV-2027-000042", 2027, 42, false},
		{"wide sequence", "INV-", "INV-2027-1234567", 2027, 1234567, false},
		{"no prefix", "", "2027-000007", 2027, 7, false},
		{"prefix with digits and dashes", "S-1-", "S-1-2027-000003", 2027, 3, false},
		{"other prefix", "INV-", "CN-2027-000042", 0, 0, true},
		{"prefix case differs", "INV-", "inv-2027-000042", 0, 0, true},
		{"unpadded sequence", "INV-", "INV-2027-42", 0, 0, true},
		{"extra leading zero", "INV-", "INV-2027-0000042", 0, 0, true},
		{"two-digit year", "INV-", "INV-27-000042", 0, 0, true},
		{"missing dash", "INV-", "INV-2027000042", 0, 0, true},
		{"sequence zero", "INV-", "INV-2027-000000", 0, 0, true},
		{"letter in sequence", "INV-", "INV-2027-00004a", 0, 0, true},
		{"sign in sequence", "INV-", "INV-2027-+00042", 0, 0, true},
		{"trailing text", "INV-", "INV-2027-000042 ", 0, 0, true},
		{"sequence overflows int64", "INV-", "INV-2027-99999999999999999999", 0, 0, true},
		{"empty", "INV-", "", 0, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			year, seq, err := ParseInvoiceNumber(tt.prefix, tt.number)
			if year != tt.wantYear || seq != tt.wantSeq || (err != nil) != tt.wantErr {
				t.Errorf("ParseInvoiceNumber(%q, %q) = %d, %d, %v; want %d, %d, error %v",
					tt.prefix, tt.number, year, seq, err, tt.wantYear, tt.wantSeq, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvoiceNumber) {
				t.Errorf("ParseInvoiceNumber(%q, %q) error %v does not wrap ErrInvoiceNumber", tt.prefix, tt.number, err)
			}
		})
	}
}

func TestInvoiceNumberRoundTrip(t *testing.T) {
	for _, prefix := range []string{"INV-", "", "2027-", "Fattura n. "} {
		for _, year := range []int{0, 999, 2027, 9999} {
			for _, seq := range []int64{1, 42, 999999, 1000000, 1<<63 - 1} {
				number := InvoiceNumber(prefix, year, seq)
				gotYear, gotSeq, err := ParseInvoiceNumber(prefix, number)
				if gotYear != year || gotSeq != seq || err != nil {
					t.Errorf("ParseInvoiceNumber(%q, %q) = %d, %d, %v; want %d, %d",
						prefix, number, gotYear, gotSeq, err, year, seq)
				}
			}
		}
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
