package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// DefaultLessonPaymentInstructions is what a student paying for one lesson
// by hand reads until the school writes its own; payment_instructions is
// the text for packages.
const DefaultLessonPaymentInstructions = "Pay by bank transfer or in cash at the front desk, quoting your name and the lesson's date and time."

// The school's manual-payment instructions for a single lesson, beside
// those for packages (a lesson is paid quoting its date, not a package).
func init() {
	m.Register(func(app core.App) error {
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.Add(text("lesson_payment_instructions", 2000, false))
		if err := app.Save(school); err != nil {
			return err
		}
		r, err := app.FindRecordById("school", SchoolId)
		if err != nil {
			return err
		}
		r.Set("lesson_payment_instructions", DefaultLessonPaymentInstructions)
		return app.SaveNoValidate(r)
	}, func(app core.App) error {
		school, err := app.FindCollectionByNameOrId("school")
		if err != nil {
			return err
		}
		school.Fields.RemoveByName("lesson_payment_instructions")
		return app.Save(school)
	})
}
