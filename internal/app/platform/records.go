package platform

import "context"

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
