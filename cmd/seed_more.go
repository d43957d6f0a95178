package cmd

import (
	"time"

	"tutorbase/hooks"
	"tutorbase/internal/app/payments"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// demoPurchases: which student bought which tutor's first package.
var demoPurchases = []struct{ student, tutor string }{{"luca", "giulia"}, {"hannah", "emily"}}

// seedPurchases records paid packages (cash at the front desk).
func seedPurchases(s *hooks.Services, app core.App, now time.Time) error {
	for _, dp := range demoPurchases {
		student, err := app.FindAuthRecordByEmail("users", dp.student+demoDomain)
		if err != nil {
			return err
		}
		tutorUser, err := app.FindAuthRecordByEmail("users", dp.tutor+demoDomain)
		if err != nil {
			return err
		}
		pkg := &core.Record{}
		col, err := app.FindCachedCollectionByNameOrId("packages")
		if err != nil {
			return err
		}
		if err := app.RecordQuery(col).AndWhere(dbx.HashExp{"tutor_user": tutorUser.Id}).OrderBy("created").Limit(1).One(pkg); err != nil {
			return err
		}
		if n, _ := app.CountRecords("purchases", dbx.HashExp{"student": student.Id, "package": pkg.Id}); n > 0 {
			continue
		}
		purchases, err := app.FindCachedCollectionByNameOrId("purchases")
		if err != nil {
			return err
		}
		p := core.NewRecord(purchases)
		p.Load(map[string]any{
			"student": student.Id, "package": pkg.Id, "tutor": pkg.GetString("tutor"),
			"lessons": pkg.GetInt("lessons"), "minutes": pkg.GetInt("minutes"), "list_price": pkg.GetInt("price"),
			"discount_percent": pkg.GetInt("discount_percent"), "amount": pkg.GetInt("effective_price"),
			"currency": pkg.GetString("currency"), "status": "pending", "provider": "manual",
		})
		if err := app.Save(p); err != nil {
			return err
		}
		// paid at the desk a week ago: the payment, the credits and the invoice
		pay, err := payments.PendingPayment(app, p)
		if err != nil {
			return err
		}
		if err := s.Payments.RecordPayment(app, pay, payments.Paid{Provider: "manual", Method: "cash", Reference: "demo", At: now.Add(-7 * 24 * time.Hour)}); err != nil {
			return err
		}
	}
	return nil
}

var demoComments = []string{
	"Clear explanations and a lot of patience.",
	"Lezione utilissima, finalmente ho capito!",
	"Well prepared, good exercises.",
	"Molto disponibile e puntuale.",
}

// seedReview reviews a completed demo lesson.
func seedReview(app core.App, b *core.Record, i int) error {
	col, err := app.FindCachedCollectionByNameOrId("reviews")
	if err != nil {
		return err
	}
	r := core.NewRecord(col)
	r.Load(map[string]any{"booking": b.Id, "rating": 4 + i%2, "comment": demoComments[i%len(demoComments)]})
	return app.Save(r)
}
