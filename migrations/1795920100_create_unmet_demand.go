package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// unmet_demand counts, per tutor and school day, the searches for free
// time (a match with a window or preferred times) in which the tutor was a
// candidate but had none: the staff's "tutors with the most unmet demand"
// (docs/insight.md). Nothing about who searched. The server writes it;
// staff read it through GET /api/suggestions.
func init() {
	m.Register(func(app core.App) error {
		tutors, err := app.FindCollectionByNameOrId("tutors")
		if err != nil {
			return err
		}
		c := core.NewBaseCollection("unmet_demand")
		c.Fields.Add(
			relation("tutor", tutors.Id, true, true),
			&core.TextField{Name: "day", Required: true, Pattern: `^\d{4}-\d{2}-\d{2}$`},
			integer("searches", 1, 1e9, true),
		)
		c.Fields.Add(timestamps()...)
		c.AddIndex("idx_unmet_demand_tutor_day", true, "tutor, day", "")
		c.AddIndex("idx_unmet_demand_day", false, "day", "")
		return app.Save(c) // rules nil: superusers only
	}, func(app core.App) error {
		return dropCollections(app, "unmet_demand")
	})
}
