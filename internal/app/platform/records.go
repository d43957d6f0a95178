package platform

import (
	"context"

	"github.com/pocketbase/pocketbase/core"
)

// Booking statuses.
const (
	StatusPending   = "pending"
	StatusConfirmed = "confirmed"
	StatusCancelled = "cancelled"
	StatusCompleted = "completed"
	StatusNoShow    = "no_show"
)

// ActiveStatusesSQL lists, for SQL, the statuses that hold a tutor's and a student's time.
const ActiveStatusesSQL = "('pending', 'confirmed')"

// importKey marks a context whose booking writes come from trusted code.
type importKey struct{}

// Imported marks ctx so that bookings saved with it (app.SaveWithContext)
// skip the booking policy (availability, notice, alignment, lengths): for
// seeds and imports of existing lessons, past ones included. Overlaps are
// still refused, by the hooks and by the database triggers.
func Imported(ctx context.Context) context.Context { return context.WithValue(ctx, importKey{}, true) }

// IsImported reports whether ctx was marked by Imported.
func IsImported(ctx context.Context) bool {
	v, _ := ctx.Value(importKey{}).(bool)
	return v
}

// InTx runs the rest of a model event's chain (validation and the write)
// and then extra in one transaction, reusing the caller's transaction when
// there is one (batch requests, migrations). The extra writes go through
// e.App, which is the transaction while it runs.
func InTx(e *core.RecordEvent, extra func() error) error {
	original := e.App
	defer func() { e.App = original }()
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		return extra()
	})
}
