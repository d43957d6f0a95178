package billing

import (
	"math"
	"testing"
)

func TestValidCurrency(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"EUR", true},
		{"USD", true},
		{"GBP", true},
		{"CHF", true},
		{"JPY", true},
		{"KWD", true},
		{"eur", false},
		{"Eur", false},
		{"EURO", false},
		{"EU", false},
		{"", false},
		{"XXX", false},
		{" EUR", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := ValidCurrency(tt.code); got != tt.want {
				t.Errorf("ValidCurrency(%q) = %v, want %v", tt.code, got, tt.want)
			}
		})
	}
}

func TestCurrencyExponent(t *testing.T) {
	tests := []struct {
		code string
		want int
	}{
		{"EUR", 2},
		{"JPY", 0},
		{"KRW", 0},
		{"KWD", 3},
		{"unknown", 2},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			if got := CurrencyExponent(tt.code); got != tt.want {
				t.Errorf("CurrencyExponent(%q) = %d, want %d", tt.code, got, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name     string
		amount   int64
		currency string
		locale   string
		want     string
	}{
		{"EUR Italian", 1250, "EUR", "it", "€ 12,50"},
		{"EUR English", 1250, "EUR", "en", "€12.50"},
		{"EUR Italian thousands", 123456789, "EUR", "it", "€ 1.234.567,89"},
		{"EUR English thousands", 123456789, "EUR", "en", "€1,234,567.89"},
		{"exactly one thousand", 100000, "EUR", "en", "€1,000.00"},
		{"cents only", 5, "EUR", "en", "€0.05"},
		{"zero", 0, "EUR", "it", "€ 0,00"},
		{"negative English", -1250, "EUR", "en", "-€12.50"},
		{"negative Italian", -1250, "EUR", "it", "-€ 12,50"},
		{"JPY has no decimals", 1250, "JPY", "en", "¥1,250"},
		{"JPY Italian", 1250, "JPY", "it", "¥ 1.250"},
		{"KWD has three decimals", 1234, "KWD", "en", "KWD 1.234"},
		{"USD", 99, "USD", "en", "$0.99"},
		{"GBP", 250000, "GBP", "en", "£2,500.00"},
		{"letter symbol gets a space", 1250, "CHF", "en", "CHF 12.50"},
		{"unknown currency prints its code", 1250, "XYZ", "en", "XYZ 12.50"},
		{"region tag with hyphen", 1250, "EUR", "it-IT", "€ 12,50"},
		{"region tag with underscore", 1250, "EUR", "it_CH", "€ 12,50"},
		{"upper-case language", 1250, "EUR", "IT", "€ 12,50"},
		{"empty locale is English", 1250, "EUR", "", "€12.50"},
		{"other languages are English", 1250, "EUR", "fr", "€12.50"},
		{"MinInt64", math.MinInt64, "EUR", "en", "-€92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.amount, tt.currency, tt.locale); got != tt.want {
				t.Errorf("Format(%d, %q, %q) = %q, want %q", tt.amount, tt.currency, tt.locale, got, tt.want)
			}
		})
	}
}
