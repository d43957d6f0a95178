package payments

import (
	"slices"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// packageTransitions: draft → published ⇄ archived. A published package
// is never a draft again (it may have been sold).
var packageTransitions = map[string][]string{
	"draft":     {"published"},
	"published": {"archived"},
	"archived":  {"published"},
}

func (s *Service) registerPackages(app core.App) {
	app.OnRecordValidate("packages").BindFunc(func(e *core.RecordEvent) error {
		p := e.Record
		errs := validation.Errors{}
		p.Set("effective_price", billing.PackagePrice(int64(p.GetInt("price")), int64(p.GetInt("discount_percent"))))
		if p.GetString("currency") == "" {
			if c, err := packageCurrency(e.App, p.GetString("tutor")); err == nil {
				p.Set("currency", c)
			}
		}
		if c := p.GetString("currency"); c != "" && !billing.ValidCurrency(c) {
			errs["currency"] = validation.NewError("invalid_currency", "Unknown currency; use an ISO 4217 code such as EUR.")
		}
		if t, err := e.App.FindRecordById("tutors", p.GetString("tutor")); err == nil {
			if m := p.GetInt("minutes"); m > 0 && !slices.Contains(platform.LessonMinutes(t), m) {
				errs["minutes"] = validation.NewError("bad_length", "Lessons of a package last one of the tutor's lesson lengths.")
			}
		}
		if !p.IsNew() {
			from, to := platform.StoredOriginal(e.App, p).GetString("status"), p.GetString("status")
			if from != to && !slices.Contains(packageTransitions[from], to) {
				errs["status"] = validation.NewError(platform.CodeBadState, "A "+from+" package cannot become "+to+".")
			}
		}
		return platform.MergeErrors(e.Next(), errs)
	})
}

func packageCurrency(app core.App, tutorId string) (string, error) {
	t, err := app.FindRecordById("tutors", tutorId)
	if err != nil {
		return "", err
	}
	if c := t.GetString("currency"); c != "" {
		return c, nil
	}
	s, err := platform.LoadSchool(app)
	if err != nil {
		return "", err
	}
	return s.Currency, nil
}
