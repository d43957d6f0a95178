package billing

import (
	"errors"
	"math"
	"testing"
)

func TestMulDivRound(t *testing.T) {
	tests := []struct {
		name                   string
		amount, num, den, want int64
	}{
		{"exact", 1000, 85, 100, 850},
		{"half rounds up", 5, 1, 10, 1},
		{"below half rounds down", 49, 1, 100, 0},
		{"just above half rounds up", 51, 1, 100, 1},
		{"1.5 rounds to 2", 15, 1, 10, 2},
		{"2.5 rounds to 3, not to even", 25, 1, 10, 3},
		{"negative half rounds away from zero", -5, 1, 10, -1},
		{"negative 0.49 rounds to zero", -49, 1, 100, 0},
		{"negative 2.5 rounds to -3", -25, 1, 10, -3},
		{"negative numerator", 25, -1, 10, -3},
		{"negative denominator", 25, 1, -10, -3},
		{"three negatives give a negative", -25, -1, -10, -3},
		{"two negatives give a positive", -25, -1, 10, 3},
		{"one third", 1, 1, 3, 0},
		{"two thirds", 2, 1, 3, 1},
		{"zero amount", 0, 7, 3, 0},
		{"largest documented inputs", 1_000_000_000_000, 1_000_000, 1, 1_000_000_000_000_000_000},
		{"product beyond int64 still exact", math.MaxInt64, math.MaxInt64, math.MaxInt64, math.MaxInt64},
		{"half of MaxInt64", math.MaxInt64, 1, 2, 1 << 62},
		{"MinInt64 passes through", math.MinInt64, 1, 1, math.MinInt64},
		{"MinInt64 halved", math.MinInt64, 1, 2, math.MinInt64 / 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := MulDivRound(tt.amount, tt.num, tt.den); got != tt.want {
				t.Errorf("MulDivRound(%d, %d, %d) = %d, want %d", tt.amount, tt.num, tt.den, got, tt.want)
			}
		})
	}
}

func TestMulDivRoundChecked(t *testing.T) {
	tests := []struct {
		name             string
		amount, num, den int64
		want             int64
		wantErr          error
	}{
		{"ok", 3333, 45, 60, 2500, nil},
		{"zero denominator", 1, 1, 0, 0, ErrDivideByZero},
		{"result above MaxInt64", math.MaxInt64, 2, 1, 0, ErrOverflow},
		{"negated MinInt64", math.MinInt64, -1, 1, 0, ErrOverflow},
		{"result below MinInt64", math.MinInt64, 2, 1, 0, ErrOverflow},
		{"rounding up past MaxInt64", math.MaxInt64, 2*3 + 1, 2 * 3, 0, ErrOverflow},
		{"quotient wider than 64 bits", math.MaxInt64, math.MaxInt64, 1, 0, ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MulDivRoundChecked(tt.amount, tt.num, tt.den)
			if got != tt.want || !errors.Is(err, tt.wantErr) {
				t.Errorf("MulDivRoundChecked(%d, %d, %d) = %d, %v; want %d, %v",
					tt.amount, tt.num, tt.den, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

func TestMulDivRoundPanicsOnOverflow(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("MulDivRound(MaxInt64, 2, 1) did not panic")
		}
	}()
	MulDivRound(math.MaxInt64, 2, 1)
}

// TestMulDivRoundMatchesDefinition checks the integer implementation
// against the rule written out in fractions, over a grid of small values.
func TestMulDivRoundMatchesDefinition(t *testing.T) {
	for amount := int64(-300); amount <= 300; amount++ {
		for _, num := range []int64{-7, -1, 1, 3, 85, 100} {
			for _, den := range []int64{-6, 1, 2, 3, 7, 60, 100, 12200} {
				// round half away from zero of p/q: floor((2|p|+|q|) / (2|q|)) with the sign of p/q.
				p, q := amount*num, den
				sign := int64(1)
				if (p < 0) != (q < 0) {
					sign = -1
				}
				ap, aq := abs64(p), abs64(q)
				want := sign * ((2*ap + aq) / (2 * aq))
				if got := MulDivRound(amount, num, den); got != want {
					t.Fatalf("MulDivRound(%d, %d, %d) = %d, want %d", amount, num, den, got, want)
				}
			}
		}
	}
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
