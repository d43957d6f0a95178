package billing

import "testing"

func TestComputeTax(t *testing.T) {
	tests := []struct {
		name      string
		amount    int64
		rateBP    int64
		inclusive bool
		want      Totals
	}{
		{"inclusive 22% round", 12200, 2200, true, Totals{10000, 2200, 12200}},
		{"inclusive 22% of one euro, 81.97 up", 100, 2200, true, Totals{82, 18, 100}},
		{"inclusive 22% of one cent, 0.82 up", 1, 2200, true, Totals{1, 0, 1}},
		{"inclusive 22% of 3 cents, 2.459 down", 3, 2200, true, Totals{2, 1, 3}},
		{"inclusive 4.5%", 1045, 450, true, Totals{1000, 45, 1045}},
		{"inclusive negative is symmetric", -100, 2200, true, Totals{-82, -18, -100}},
		{"exclusive 22%", 10000, 2200, false, Totals{10000, 2200, 12200}},
		{"exclusive 10% of 5 cents, 0.5 up", 5, 1000, false, Totals{5, 1, 6}},
		{"exclusive 10% of 4 cents, 0.4 down", 4, 1000, false, Totals{4, 0, 4}},
		{"exclusive 20.25%", 10000, 2025, false, Totals{10000, 2025, 12025}},
		{"exclusive negative, -0.5 away from zero", -5, 1000, false, Totals{-5, -1, -6}},
		{"zero rate inclusive", 12345, 0, true, Totals{12345, 0, 12345}},
		{"zero rate exclusive", 12345, 0, false, Totals{12345, 0, 12345}},
		{"negative rate means no tax", 12345, -100, false, Totals{12345, 0, 12345}},
		{"zero amount", 0, 2200, true, Totals{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ComputeTax(tt.amount, tt.rateBP, tt.inclusive); got != tt.want {
				t.Errorf("ComputeTax(%d, %d, %v) = %+v, want %+v", tt.amount, tt.rateBP, tt.inclusive, got, tt.want)
			}
		})
	}
}

// TestComputeTaxInvariants checks, over many amounts and rates, that the
// parts always add up and that a credit note mirrors its invoice exactly.
func TestComputeTaxInvariants(t *testing.T) {
	for _, rate := range []int64{0, 1, 400, 450, 1000, 2025, 2200, 10000} {
		for amount := int64(0); amount <= 5000; amount += 7 {
			for _, inclusive := range []bool{true, false} {
				got := ComputeTax(amount, rate, inclusive)
				if got.Subtotal+got.Tax != got.Total {
					t.Fatalf("ComputeTax(%d, %d, %v) = %+v: parts do not add up", amount, rate, inclusive, got)
				}
				neg := ComputeTax(-amount, rate, inclusive)
				if want := (Totals{-got.Subtotal, -got.Tax, -got.Total}); neg != want {
					t.Fatalf("ComputeTax(%d, %d, %v) = %+v, want mirror %+v", -amount, rate, inclusive, neg, want)
				}
			}
		}
	}
}

func TestNewLine(t *testing.T) {
	tests := []struct {
		name      string
		qty, unit int64
		want      int64
	}{
		{"one", 1, 2500, 2500},
		{"several", 4, 1875, 7500},
		{"negative unit for a credit", 2, -1000, -2000},
		{"zero quantity", 0, 1000, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NewLine("Lesson", tt.qty, tt.unit)
			want := Line{Description: "Lesson", Quantity: tt.qty, UnitAmount: tt.unit, Amount: tt.want}
			if got != want {
				t.Errorf("NewLine(%q, %d, %d) = %+v, want %+v", "Lesson", tt.qty, tt.unit, got, want)
			}
		})
	}
}

func TestInvoiceTotals(t *testing.T) {
	tests := []struct {
		name      string
		lines     []Line
		rateBP    int64
		inclusive bool
		want      Totals
	}{
		{"no lines", nil, 2200, true, Totals{}},
		{"one line inclusive", []Line{NewLine("Package", 1, 12200)}, 2200, true, Totals{10000, 2200, 12200}},
		{
			"several lines exclusive",
			[]Line{NewLine("Lesson", 2, 2500), NewLine("Material", 1, 1000)},
			2200, false, Totals{6000, 1320, 7320},
		},
		{
			// Per line each cent would be 1 + 0 tax; on the sum, 3 cents are 2 + 1.
			"tax on the sum, not per line",
			[]Line{NewLine("a", 1, 1), NewLine("b", 1, 1), NewLine("c", 1, 1)},
			2200, true, Totals{2, 1, 3},
		},
		{
			"amount counts, not quantity times unit",
			[]Line{{Description: "Adjusted", Quantity: 3, UnitAmount: 1000, Amount: 2500}},
			0, true, Totals{2500, 0, 2500},
		},
		{
			"credit note lines",
			[]Line{NewLine("Refund", 1, -12200)},
			2200, true, Totals{-10000, -2200, -12200},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InvoiceTotals(tt.lines, tt.rateBP, tt.inclusive); got != tt.want {
				t.Errorf("InvoiceTotals(%+v, %d, %v) = %+v, want %+v", tt.lines, tt.rateBP, tt.inclusive, got, tt.want)
			}
		})
	}
}
