package billing

import (
	"errors"
	"math"
	"testing"
)

func TestPercentToBP(t *testing.T) {
	tests := []struct {
		name    string
		p       float64
		want    int64
		wantErr bool
	}{
		{"whole percent", 22, 2200, false},
		{"one decimal", 4.5, 450, false},
		{"two decimals", 20.25, 2025, false},
		{"float noise below", 0.29, 29, false}, // 0.29*100 == 28.999999999999996
		{"float noise above", 1.13, 113, false},
		{"smallest", 0.01, 1, false},
		{"zero", 0, 0, false},
		{"negative zero", math.Copysign(0, -1), 0, false},
		{"one hundred", 100, 10000, false},
		{"three decimals", 4.125, 0, true},
		{"tiny fraction", 0.001, 0, true},
		{"negative", -1, 0, true},
		{"slightly negative", -0.01, 0, true},
		{"above one hundred", 100.01, 0, true},
		{"NaN", math.NaN(), 0, true},
		{"infinity", math.Inf(1), 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := PercentToBP(tt.p)
			if got != tt.want || (err != nil) != tt.wantErr {
				t.Errorf("PercentToBP(%v) = %d, %v; want %d, error %v", tt.p, got, err, tt.want, tt.wantErr)
			}
			if err != nil && !errors.Is(err, ErrInvalidPercent) {
				t.Errorf("PercentToBP(%v) error %v does not wrap ErrInvalidPercent", tt.p, err)
			}
		})
	}
}

// TestPercentToBPEveryTwoDecimalValue accepts every value a form with two
// decimals can produce, parsed the way the database hands it over.
func TestPercentToBPEveryTwoDecimalValue(t *testing.T) {
	for bp := int64(0); bp <= 10000; bp++ {
		p := float64(bp) / 100
		if got, err := PercentToBP(p); got != bp || err != nil {
			t.Fatalf("PercentToBP(%v) = %d, %v; want %d", p, got, err, bp)
		}
	}
}

func TestFormatBP(t *testing.T) {
	tests := []struct {
		name   string
		bp     int64
		locale string
		want   string
	}{
		{"whole", 2200, "en", "22%"},
		{"one decimal English", 450, "en", "4.5%"},
		{"one decimal Italian", 450, "it", "4,5%"},
		{"two decimals", 2025, "en", "20.25%"},
		{"trailing zero of a whole ten kept", 1000, "en", "10%"},
		{"zero", 0, "it", "0%"},
		{"hundred", 10000, "it", "100%"},
		{"one basis point", 1, "en", "0.01%"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FormatBP(tt.bp, tt.locale); got != tt.want {
				t.Errorf("FormatBP(%d, %q) = %q, want %q", tt.bp, tt.locale, got, tt.want)
			}
		})
	}
}
