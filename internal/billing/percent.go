package billing

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"tutorbase/internal/lang"
)

// ErrInvalidPercent reports a percentage outside 0..100 or with more than
// two decimals.
var ErrInvalidPercent = errors.New("billing: invalid percent")

// bpTolerance is how far p*100 may sit from a whole number of basis points
// and still count as that number: float64 cannot hold 0.29 exactly, so
// 0.29*100 is 28.999999999999996, which must read as 29 bp.
const bpTolerance = 1e-9

// PercentToBP converts a percentage that arrived as float64 (a school's
// tax_rate_percent or commission_percent) into integer basis points, 1% =
// 100 bp: 22 -> 2200, 4.5 -> 450, 20.25 -> 2025.
//
// It is the single place where a float enters the money code, and it is
// strict rather than rounding silently: NaN, infinities, values below 0 or
// above 100, and values with more than two decimals (4.125) return an error
// wrapping [ErrInvalidPercent].
func PercentToBP(p float64) (int64, error) {
	if math.IsNaN(p) || math.IsInf(p, 0) || p < 0 || p > 100 {
		return 0, fmt.Errorf("%w: %v is not between 0 and 100", ErrInvalidPercent, p)
	}
	scaled := p * 100
	bp := math.Round(scaled)
	if math.Abs(scaled-bp) > bpTolerance {
		return 0, fmt.Errorf("%w: %v has more than two decimals", ErrInvalidPercent, p)
	}
	return int64(bp), nil
}

// FormatBP renders basis points as a percentage for people, without
// trailing zeros: 2200 -> "22%", 450 -> "4.5%" ("4,5%" in Italian), 2025 ->
// "20.25%". locale is read as in [Format].
func FormatBP(bp int64, locale string) string {
	s := formatAmount(bp, 2, "", lang.Of(locale) == lang.Italian)
	if strings.ContainsAny(s, ".,") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimRight(s, ".,")
	}
	return s + "%"
}
