package billing

import "testing"

func TestPayout(t *testing.T) {
	tests := []struct {
		name         string
		lines        []PayoutLine
		commissionBP int64
		want         PayoutTotals
	}{
		{"no lessons", nil, 2000, PayoutTotals{}},
		{
			"two lessons at 20%",
			[]PayoutLine{{"b1", 2500}, {"b2", 1875}},
			2000, PayoutTotals{Lessons: 2, Gross: 4375, Commission: 875, Net: 3500},
		},
		{
			"reversal of a refunded lesson",
			[]PayoutLine{{"b1", 5000}, {"b2", 3000}, {"b0", -2000}},
			2000, PayoutTotals{Lessons: 2, Gross: 6000, Commission: 1200, Net: 4800},
		},
		{
			"reversals outweigh lessons",
			[]PayoutLine{{"b1", 1000}, {"b0", -2500}},
			2000, PayoutTotals{Lessons: 1, Gross: -1500, Commission: -300, Net: -1200},
		},
		{
			"commission rounded once on the gross",
			[]PayoutLine{{"b1", 1}, {"b2", 1}, {"b3", 1}},
			2500, PayoutTotals{Lessons: 3, Gross: 3, Commission: 1, Net: 2},
		},
		{
			"zero-amount line is not a lesson",
			[]PayoutLine{{"b1", 0}, {"b2", 1000}},
			0, PayoutTotals{Lessons: 1, Gross: 1000, Commission: 0, Net: 1000},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Payout(tt.lines, tt.commissionBP); got != tt.want {
				t.Errorf("Payout(%+v, %d) = %+v, want %+v", tt.lines, tt.commissionBP, got, tt.want)
			}
		})
	}
}

func TestCommission(t *testing.T) {
	tests := []struct {
		name                    string
		gross, bp               int64
		wantCommission, wantNet int64
	}{
		{"20% exact", 1250, 2000, 250, 1000},
		{"249.8 rounds up", 1249, 2000, 250, 999},
		{"249.4 rounds down", 1247, 2000, 249, 998},
		{"half a cent rounds up", 1, 5000, 1, 0},
		{"negative half a cent rounds away from zero", -1, 5000, -1, 0},
		{"negative gross mirrors positive", -1000, 2000, -200, -800},
		{"4.5%", 10000, 450, 450, 9550},
		{"no commission", 1000, 0, 0, 1000},
		{"above 100% clamps", 1000, 20000, 1000, 0},
		{"negative rate clamps", 1000, -100, 0, 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, n := Commission(tt.gross, tt.bp)
			if c != tt.wantCommission || n != tt.wantNet {
				t.Errorf("Commission(%d, %d) = %d, %d; want %d, %d", tt.gross, tt.bp, c, n, tt.wantCommission, tt.wantNet)
			}
		})
	}
}
