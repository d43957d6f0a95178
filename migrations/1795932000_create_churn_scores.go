package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// churn_scores holds each active student's churn risk (docs/insight.md,
// Churn risk): the score of 0–100, its reasons (code, points and the
// numbers behind them) and when it was computed, one row per student,
// rewritten by the daily job; coupon is the coupon staff offered from the
// at-risk page, once per row. Staff read it; the server writes it.
func init() {
	m.Register(func(app core.App) error {
		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		coupons, err := app.FindCollectionByNameOrId("coupons")
		if err != nil {
			return err
		}
		c := core.NewBaseCollection("churn_scores")
		c.Fields.Add(
			relation("student", users.Id, true, true),
			integer("score", 0, 100, false),
			&core.JSONField{Name: "reasons", MaxSize: 8 << 10},
			&core.DateField{Name: "computed", Required: true},
			relation("coupon", coupons.Id, false, false),
		)
		c.Fields.Add(timestamps()...)
		c.AddIndex("idx_churn_scores_student", true, "student", "")
		c.AddIndex("idx_churn_scores_score", false, "score", "")
		rules(c, rule(RuleChurnScoresView), rule(RuleChurnScoresView), nil, nil, nil)
		return app.Save(c)
	}, func(app core.App) error {
		return dropCollections(app, "churn_scores")
	})
}
