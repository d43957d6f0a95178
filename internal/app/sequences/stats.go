package sequences

import (
	"net/http"
	"strconv"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Row is one sequence as staff see it: its words and whether it is on,
// and its counts. Sent: people it went to; opened: those who opened its
// email (the pixel) or read it in the app; booked: those who booked a
// lesson within BookedWithin after it; unsubscribed: those who followed
// its link to stop it (all: every sequence).
type Row struct {
	ID           string        `db:"id" json:"id"`
	Trigger      string        `db:"trigger" json:"trigger"`
	Active       bool          `db:"active" json:"active"`
	Texts        types.JSONRaw `db:"texts" json:"texts"`
	Sent         int           `db:"sent" json:"sent"`
	Opened       int           `db:"opened" json:"opened"`
	Booked       int           `db:"booked" json:"booked_after"`
	Unsubscribed int           `db:"unsubscribed" json:"unsubscribed"`
	All          int           `db:"all_sequences" json:"unsubscribed_all"`
}

// Rows reads every sequence with its counts, in the triggers' order.
func Rows(app core.App) ([]Row, error) {
	var rows []Row
	err := app.DB().NewQuery(`SELECT q.id, q.trigger, q.active, q.texts,
		(SELECT COUNT(*) FROM sequence_sends s WHERE s.sequence = q.id) AS sent,
		(SELECT COUNT(*) FROM sequence_sends s LEFT JOIN notifications n ON n.id = s.notification
			WHERE s.sequence = q.id AND (s.opened_at != '' OR COALESCE(n.read_at, '') != '')) AS opened,
		(SELECT COUNT(*) FROM sequence_sends s WHERE s.sequence = q.id AND EXISTS (SELECT 1 FROM bookings b
			WHERE b.student = s.person AND b.created >= s.created
			AND b.created <= strftime('%Y-%m-%d %H:%M:%fZ', s.created, {:within}))) AS booked,
		(SELECT COUNT(*) FROM sequence_optouts o WHERE o.sequence = q.id) AS unsubscribed,
		(SELECT COUNT(*) FROM sequence_optouts o WHERE o.sequence = q.id AND o.all_sequences = TRUE) AS all_sequences
		FROM sequences q ORDER BY CASE q.trigger WHEN 'welcome' THEN 1 WHEN 'first_lesson' THEN 2 WHEN 'win_back' THEN 3
			WHEN 'package_low' THEN 4 WHEN 'review_request' THEN 5 ELSE 6 END`).
		Bind(dbx.Params{"within": "+" + itoa(int(BookedWithin/day)) + " days"}).All(&rows)
	return rows, err
}

func itoa(n int) string { return strconv.Itoa(n) }

// List answers GET /api/sequences (staff): every sequence with its counts.
func (s *Service) List(e *core.RequestEvent) error {
	rows, err := Rows(e.App)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"sequences": rows, "booked_within_days": int(BookedWithin / day)})
}
