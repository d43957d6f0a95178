package fatturapa

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestMarshalRefusesMoreOfWhatTheSdIRefuses: the parties' data the SdI
// would reject is refused before a file is written, naming what to fix.
func TestMarshalRefusesMoreOfWhatTheSdIRefuses(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*Invoice)
		want   string
	}{
		{"an unknown document type", func(inv *Invoice) { inv.Type = "TD99" }, `unknown type "TD99"`},
		{"a PEC that is not an address", func(inv *Invoice) { inv.Customer.PEC = "pec.example.it" }, "PEC is not an address"},
		{"a customer without a name", func(inv *Invoice) { inv.Customer.Name = "  " }, "customer has no name"},
		{"a school's malformed codice fiscale", func(inv *Invoice) { inv.Seller.FiscalCode = "abc" }, "school's codice fiscale is malformed"},
		{"a school without a name", func(inv *Invoice) { inv.Seller.Name = "" }, "school has no name"},
		{"a school without a street", func(inv *Invoice) { inv.Seller.Address.Street = " " }, "school's address has no street or city"},
		{"a customer without a city", func(inv *Invoice) { inv.Customer.Address.City = "" }, "customer's address has no street or city"},
		{"a province of three letters", func(inv *Invoice) { inv.Customer.Address.Province = "ROM" }, "customer's province is not 2 letters"},
		{"a country written out", func(inv *Invoice) { inv.Seller.Address.Country = "Italia" }, "school's country is not a 2-letter code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inv := sample()
			tt.modify(&inv)
			doc, err := Marshal(inv)
			if !errors.Is(err, ErrNotExportable) || !strings.Contains(err.Error(), tt.want) || doc != nil {
				t.Errorf("Marshal() = %d bytes, %v; want ErrNotExportable mentioning %q", len(doc), err, tt.want)
			}
		})
	}
}

// TestLatinText: text the schema's Latin-1 cannot hold is written in
// plain characters: typographic quotes as ASCII, the euro sign as EUR,
// long text cut to the field's length.
func TestLatinText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"L’ora “extra”", `L'ora "extra"`},
		{"‘Due’ lezioni", "'Due' lezioni"},
		{"Pacchetto da 40€", "Pacchetto da 40EUR"},
	}
	for _, tt := range tests {
		if got := latin(tt.in); got != tt.want {
			t.Errorf("latin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := latinMax("Via dei Fori Imperiali, 12", 9); got != "Via dei F" {
		t.Errorf("latinMax() = %q, want it cut to 9", got)
	}
	if got := latinMax("Via Roma  ", 60); got != "Via Roma" {
		t.Errorf("latinMax() = %q", got)
	}
}

// TestAmountsAndDays: negative amounts keep their sign and two decimals;
// a date without a zone is the UTC day.
func TestAmountsAndDays(t *testing.T) {
	for cents, want := range map[int64]string{-4508: "-45.08", -5: "-0.05", 0: "0.00", 25000: "250.00"} {
		if got := amount(cents); got != want {
			t.Errorf("amount(%d) = %q, want %q", cents, got, want)
		}
	}
	at := time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC)
	if got := day(at, nil); got != "2026-12-31" {
		t.Errorf("day(nil zone) = %q, want the UTC day", got)
	}
	rome, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		t.Fatal(err)
	}
	if got := day(at, rome); got != "2027-01-01" {
		t.Errorf("day(Rome) = %q, want the day in Rome", got)
	}
}
