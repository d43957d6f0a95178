package billing

import (
	"errors"
	"math"
	"math/bits"
)

// ErrOverflow reports that an exact result does not fit in an int64.
var ErrOverflow = errors.New("billing: amount overflows int64")

// ErrDivideByZero reports a zero denominator.
var ErrDivideByZero = errors.New("billing: division by zero")

// MulDivRound returns amount*num/den rounded to the nearest integer, an
// exact half rounding away from zero (the package's one rounding rule).
//
// The product is formed in 128 bits, so it cannot overflow for any int64
// inputs and the result is exact wherever it fits in an int64 (an amount
// of 1e12 times a ratio of 1e6 is 1e18, below the limit of about 9.2e18).
// Only a result beyond int64 or a zero den make it panic, because a
// silently wrong amount of money is worse than a crash. Use
// [MulDivRoundChecked] where the inputs come unvalidated from outside.
func MulDivRound(amount, num, den int64) int64 {
	r, err := MulDivRoundChecked(amount, num, den)
	if err != nil {
		panic(err)
	}
	return r
}

// MulDivRoundChecked is [MulDivRound] returning [ErrDivideByZero] or
// [ErrOverflow] instead of panicking.
func MulDivRoundChecked(amount, num, den int64) (int64, error) {
	if den == 0 {
		return 0, ErrDivideByZero
	}
	neg := (amount < 0) != (num < 0) != (den < 0)
	a, n, d := absU(amount), absU(num), absU(den)

	hi, lo := bits.Mul64(a, n)
	if hi >= d {
		// The quotient needs more than 64 bits.
		return 0, ErrOverflow
	}
	q, rem := bits.Div64(hi, lo, d)
	// rem < d <= 2^63, so 2*rem cannot wrap; rem >= d-rem is 2*rem >= d
	// written without the doubling.
	if rem >= d-rem {
		q++
		if q == 0 {
			return 0, ErrOverflow
		}
	}
	if neg {
		if q > 1<<63 {
			return 0, ErrOverflow
		}
		return int64(-q), nil
	}
	if q > math.MaxInt64 {
		return 0, ErrOverflow
	}
	return int64(q), nil
}

// absU returns |x| as a uint64; it is exact for math.MinInt64 too.
func absU(x int64) uint64 {
	u := uint64(x)
	if x < 0 {
		u = -u
	}
	return u
}

// clamp limits v to [lo, hi].
func clamp(v, lo, hi int64) int64 {
	return min(max(v, lo), hi)
}
