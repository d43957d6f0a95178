package billing

import "time"

// Statement is one month's account of a tutor (lessons, commission,
// payouts) or of a payer (payments, refunds, credits), ready to print: the
// caller fills the rows with text in the reader's language, and
// [RenderStatementPDF] lays them out. Amounts are minor units of Currency.
type Statement struct {
	Title    string // "Statement for March 2027"
	School   string
	For      string // the tutor or payer, as printed
	Sections []StatementSection
	Totals   []StatementTotal
	Currency string
	Locale   string    // "it" prints amounts the Italian way
	Created  time.Time // the PDF's creation date
}

// StatementSection is one list of a statement; Empty is printed when it
// has no rows.
type StatementSection struct {
	Heading string
	Rows    []StatementRow
	Empty   string
}

// StatementRow is one line: a date, what happened, and its amount when it
// has one (credits have none).
type StatementRow struct {
	Date, Text string
	Amount     int64
	HasAmount  bool
}

// StatementTotal is one sum printed under the sections.
type StatementTotal struct {
	Label  string
	Amount int64
}

// MonthRange is the month of year in loc as the instants [start, end).
func MonthRange(year int, month time.Month, loc *time.Location) (time.Time, time.Time) {
	start := time.Date(year, month, 1, 0, 0, 0, 0, loc)
	return start, start.AddDate(0, 1, 0)
}
