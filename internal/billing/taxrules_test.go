package billing

import (
	"errors"
	"fmt"
	"testing"
)

func TestTaxByRate(t *testing.T) {
	vat22 := &TaxRule{RateBP: 2200}
	vat10 := &TaxRule{RateBP: 1000}
	exempt := &TaxRule{Nature: "N4", Reference: "art. 10 n. 20 DPR 633/72"}
	line := func(amount int64, rule *TaxRule) Line {
		return Line{Description: "x", Quantity: 1, UnitAmount: amount, Amount: amount, Tax: rule}
	}
	tests := []struct {
		name      string
		lines     []Line
		def       TaxRule
		inclusive bool
		want      string // the groups, rate/nature: taxable+tax
		totals    Totals
	}{
		{"one rate, tax included", []Line{line(12200, vat22)}, TaxRule{}, true,
			"[2200/: 10000+2200]", Totals{10000, 2200, 12200}},
		{"one rate, tax added", []Line{line(10000, vat22)}, TaxRule{}, false,
			"[2200/: 10000+2200]", Totals{10000, 2200, 12200}},
		{"tax on the sum of a rate's lines, not per line", []Line{line(3, vat22), line(3, vat22)}, TaxRule{}, false,
			"[2200/: 6+1]", Totals{6, 1, 7}}, // per line it would be 1+1
		{"a taxed and an exempt line", []Line{line(5000, exempt), line(12200, vat22)}, TaxRule{}, true,
			"[2200/: 10000+2200 0/N4: 5000+0]", Totals{15000, 2200, 17200}},
		{"two rates, highest first", []Line{line(10000, vat10), line(10000, vat22)}, TaxRule{}, false,
			"[2200/: 10000+2200 1000/: 10000+1000]", Totals{20000, 3200, 23200}},
		{"lines without a rule take the school's rate", []Line{line(100, nil), line(100, nil), line(5000, exempt)},
			TaxRule{RateBP: 2200}, true, "[2200/: 164+36 0/N4: 5000+0]", Totals{5164, 36, 5200}},
		{"a credit note mirrors its invoice", []Line{line(-5000, exempt), line(-12200, vat22)}, TaxRule{}, true,
			"[2200/: -10000+-2200 0/N4: -5000+0]", Totals{-15000, -2200, -17200}},
		{"no tax at all", []Line{line(4999, nil)}, TaxRule{}, false, "[0/: 4999+0]", Totals{4999, 0, 4999}},
		{"no lines", nil, TaxRule{RateBP: 2200}, true, "[]", Totals{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			groups, totals := TaxByRate(tt.lines, tt.def, tt.inclusive)
			var got []string
			var sum Totals
			for _, g := range groups {
				got = append(got, fmt.Sprintf("%d/%s: %d+%d", g.Rule.RateBP, g.Rule.Nature, g.Taxable, g.Tax))
				sum.Subtotal += g.Taxable
				sum.Tax += g.Tax
			}
			if s := fmt.Sprint(got); s != tt.want && !(s == "[]" && tt.want == "[]") {
				t.Errorf("groups = %s, want %s", s, tt.want)
			}
			if totals != tt.totals {
				t.Errorf("totals = %+v, want %+v", totals, tt.totals)
			}
			var lines int64
			for _, l := range tt.lines {
				lines += l.Amount
			}
			base := totals.Subtotal // the lines are before tax
			if tt.inclusive {
				base = totals.Total
			}
			if totals.Subtotal+totals.Tax != totals.Total || base != lines || sum.Subtotal != totals.Subtotal || sum.Tax != totals.Tax {
				t.Errorf("totals %+v do not add up to the lines (%d) and groups (%+v)", totals, lines, sum)
			}
		})
	}
}

func TestTaxRuleValidate(t *testing.T) {
	tests := []struct {
		name string
		rule TaxRule
		ok   bool
	}{
		{"a rate", TaxRule{RateBP: 2200}, true},
		{"no tax", TaxRule{}, true},
		{"exempt with its reference", TaxRule{Nature: "N4", Reference: "art. 10 n. 20 DPR 633/72"}, true},
		{"excluded", TaxRule{Nature: "N1", Reference: "art. 15 DPR 633/72"}, true},
		{"negative rate", TaxRule{RateBP: -1}, false},
		{"above 100%", TaxRule{RateBP: 10001}, false},
		{"unknown nature", TaxRule{Nature: "N9", Reference: "x"}, false},
		{"nature with a rate", TaxRule{RateBP: 2200, Nature: "N4", Reference: "x"}, false},
		{"exemption without reference", TaxRule{Nature: "N4"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.rule.Validate()
			if (err == nil) != tt.ok || (err != nil && !errors.Is(err, ErrInvalidTaxRule)) {
				t.Errorf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
}
