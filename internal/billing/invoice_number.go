package billing

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ErrInvoiceNumber reports a string that is not an invoice number of the
// expected form.
var ErrInvoiceNumber = errors.New("billing: malformed invoice number")

// InvoiceNumber formats the number of the seq-th invoice of year as
// "{prefix}{YYYY}-{NNNNNN}", e.g. InvoiceNumber("INV-", 2027, 42) is
// "INV-2027-000042". seq is zero-padded to six digits and simply grows
// wider past 999999. Sequences start at 1 each year (see [InvoiceYear]);
// allocating them gapless is the caller's job, inside the payment's
// transaction.
func InvoiceNumber(prefix string, year int, seq int64) string {
	return fmt.Sprintf("%s%04d-%06d", prefix, year, seq)
}

// ParseInvoiceNumber is the inverse of [InvoiceNumber]: it accepts exactly
// the strings InvoiceNumber produces for prefix, a year 0..9999 and a seq
// of at least 1, and returns an error wrapping [ErrInvoiceNumber] for
// anything else (another prefix, missing padding, extra leading zeros).
func ParseInvoiceNumber(prefix, number string) (year int, seq int64, err error) {
	rest, ok := strings.CutPrefix(number, prefix)
	if !ok {
		return 0, 0, fmt.Errorf("%w: %q does not start with %q", ErrInvoiceNumber, number, prefix)
	}
	y, s, ok := strings.Cut(rest, "-")
	if !ok || len(y) != 4 || !allDigits(y) || len(s) < 6 || !allDigits(s) {
		return 0, 0, fmt.Errorf("%w: %q is not %sYYYY-NNNNNN", ErrInvoiceNumber, number, prefix)
	}
	year, _ = strconv.Atoi(y)
	seq, err = strconv.ParseInt(s, 10, 64)
	if err != nil || seq < 1 || InvoiceNumber(prefix, year, seq) != number {
		return 0, 0, fmt.Errorf("%w: %q has a bad sequence", ErrInvoiceNumber, number)
	}
	return year, seq, nil
}

// InvoiceYear returns the year an invoice issued at issuedAt belongs to:
// the calendar year in the school's zone loc (UTC when loc is nil), so an
// invoice issued at 23:30 UTC on 31 December in Rome counts for the next
// year.
func InvoiceYear(issuedAt time.Time, loc *time.Location) int {
	if loc == nil {
		loc = time.UTC
	}
	return issuedAt.In(loc).Year()
}

// allDigits reports whether s is non-empty and only ASCII digits.
func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
