// Package billing is Tutorbase's money arithmetic: package and lesson
// prices, refunds, tax rules and tax per rule, invoice totals and numbers,
// tutor payouts, and printable documents: [Document] (a title, two
// blocks, a table, summary rows; any script) and the invoice PDF built on
// it ([RenderPDF]).
//
// Money is always an int64 amount of minor units (cents for EUR, yen for
// JPY) next to an ISO 4217 currency code; this package never computes with
// floating point. Percentages stored by the database as float64 enter once,
// through [PercentToBP], and are carried as integer basis points from then
// on.
//
// Rounding: every division rounds to the nearest minor unit and an exact
// half rounds away from zero (0.5 cent becomes 1 cent, 0.49 cent becomes 0,
// and -0.5 cent becomes -1), computed with integer arithmetic only. The one
// implementation is [MulDivRound]; every other function in the package goes
// through it, so a refund or a credit note is the exact mirror of the
// charge it reverses.
//
// The package is pure: it imports nothing from PocketBase, reads no clock
// and no environment, and keeps no state. Hooks and jobs read records, call
// these functions and write the results back.
package billing
