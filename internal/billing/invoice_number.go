package billing

import (
	"errors"
	"fmt"
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
