package reviews

import (
	"net/http"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// ReviewEditWindow is how long a student may change their review.
const ReviewEditWindow = 14 * 24 * time.Hour

func (s *Service) registerReviews(app core.App) {
	// the student of a completed lesson reviews it once; the server fills
	// who and about whom from the booking
	app.OnRecordCreate("reviews").BindFunc(func(e *core.RecordEvent) error {
		b, err := e.App.FindRecordById("bookings", e.Record.GetString("booking"))
		if err != nil {
			return validation.Errors{"booking": validation.NewError("validation_missing_rel_records", "Unknown lesson.")}
		}
		if b.GetString("status") != platform.StatusCompleted {
			return apis.NewBadRequestError("Failed to create record.", validation.Errors{
				"booking": validation.NewError("not_completed", "Only a completed lesson can be reviewed."),
			})
		}
		e.Record.Set("student", b.GetString("student"))
		e.Record.Set("tutor", b.GetString("tutor"))
		e.Record.Set("student_name", b.GetString("student_name"))
		return platform.InTx(e, func() error {
			if err := refreshRating(e.App, e.Record.GetString("tutor")); err != nil {
				return err
			}
			if platform.IsImported(e.Context) {
				return nil // loaded data (seed, import): nobody to tell
			}
			// the tutor is told in the same transaction
			s.notes.Notify(e.App, []string{b.GetString("tutor_user")}, notify.Event{
				Kind: notify.KindReviewReceived, Rating: e.Record.GetInt("rating"), StudentName: e.Record.GetString("student_name"),
				Link: e.App.Settings().Meta.AppURL + "/tutor/reviews",
			}, map[string]any{"review": e.Record.Id})
			return nil
		})
	})
	app.OnRecordUpdate("reviews").BindFunc(func(e *core.RecordEvent) error {
		orig := e.Record.Original()
		if e.Record.GetInt("rating") == orig.GetInt("rating") && e.Record.GetBool("hidden") == orig.GetBool("hidden") {
			return e.Next()
		}
		return platform.InTx(e, func() error { return refreshRating(e.App, e.Record.GetString("tutor")) })
	})
	app.OnRecordDelete("reviews").BindFunc(func(e *core.RecordEvent) error {
		return platform.InTx(e, func() error { return refreshRating(e.App, e.Record.GetString("tutor")) })
	})

	// a student edits their own review for 14 days; staff hide it any time
	app.OnRecordUpdateRequest("reviews").BindFunc(func(e *core.RecordRequestEvent) error {
		if !platform.IsStaff(e.RequestEvent) && time.Since(e.Record.GetDateTime("created").Time()) > ReviewEditWindow {
			return platform.RuleError(http.StatusBadRequest, "rating", "edit_window_closed", "Reviews can be changed for 14 days.")
		}
		return e.Next()
	})

}

// refreshRating recomputes a tutor's rating_avg and rating_count from the
// visible reviews, inside the transaction that changed a review: writers
// are serialised, so the figures stay exact under concurrent reviews and
// hides.
func refreshRating(tx core.App, tutorId string) error {
	var agg struct {
		Avg   float64 `db:"avg"`
		Count int     `db:"count"`
	}
	err := tx.DB().NewQuery("SELECT COALESCE(AVG(rating), 0) AS avg, COUNT(*) AS count FROM reviews WHERE tutor = {:tutor} AND hidden = FALSE").
		Bind(map[string]any{"tutor": tutorId}).One(&agg)
	if err != nil {
		return err
	}
	t, err := tx.FindRecordById("tutors", tutorId)
	if err != nil {
		return err
	}
	t.Set("rating_avg", agg.Avg)
	t.Set("rating_count", agg.Count)
	return tx.Save(t)
}
