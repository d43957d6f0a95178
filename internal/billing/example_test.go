package billing_test

import (
	"fmt"

	"tutorbase/internal/billing"
)

func ExamplePackagePrice() {
	// A 10-lesson package listed at € 250,00 with a 10% discount.
	charge := billing.PackagePrice(25000, 10)
	fmt.Println(billing.Format(charge, "EUR", "it"))
	// Output: € 225,00
}

func ExamplePercentToBP() {
	// school.tax_rate_percent arrives from the database as a float64.
	rate, err := billing.PercentToBP(22)
	if err != nil {
		fmt.Println(err)
		return
	}
	t := billing.ComputeTax(12200, rate, true)
	fmt.Println(t.Subtotal, t.Tax, t.Total)
	// Output: 10000 2200 12200
}

func ExampleInvoiceTotals() {
	lines := []billing.Line{
		billing.NewLine("Lezione di matematica, 60 min", 2, 3000),
		billing.NewLine("Materiale didattico", 1, 1000),
	}
	t := billing.InvoiceTotals(lines, 2200, true)
	fmt.Println(billing.Format(t.Subtotal, "EUR", "en"), billing.Format(t.Tax, "EUR", "en"), billing.Format(t.Total, "EUR", "en"))
	// Output: €57.38 €12.62 €70.00
}

func ExamplePayout() {
	lines := []billing.PayoutLine{
		{Booking: "b1", Amount: 5000},
		{Booking: "b2", Amount: 3000},
		{Booking: "b0", Amount: -2000}, // refunded after last month's payout
	}
	p := billing.Payout(lines, 2000)
	fmt.Printf("%d lessons, gross %d, commission %d, net %d\n", p.Lessons, p.Gross, p.Commission, p.Net)
	// Output: 2 lessons, gross 6000, commission 1200, net 4800
}

func ExampleInvoiceNumber() {
	fmt.Println(billing.InvoiceNumber("INV-", 2027, 42))
	// Output: INV-2027-000042
}
