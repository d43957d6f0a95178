package churn

import (
	"fmt"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/churn"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// LookBack is how far back lessons are read: the score reads the last
// lesson, the rhythm of the last ten, the cancellations of 90 days.
const LookBack = 400 * 24 * time.Hour

// Histories reads every student's history at now, by users id: their
// lessons, what they bought and have left, the reviews they wrote and the
// messages to them they have not read. Students with nothing are there too
// (churn.Active tells them apart).
func Histories(app core.App, now time.Time) (map[string]*churn.History, error) {
	var ids []string
	if err := app.DB().Select("id").From("users").Where(dbx.HashExp{"role": platform.RoleStudent}).Column(&ids); err != nil {
		return nil, fmt.Errorf("failed to list students: %w", err)
	}
	hs := make(map[string]*churn.History, len(ids))
	for _, id := range ids {
		hs[id] = &churn.History{Now: now}
	}
	for _, read := range []func(core.App, time.Time, map[string]*churn.History) error{readLessons, readCredits, readReviews, readUnread} {
		if err := read(app, now, hs); err != nil {
			return nil, err
		}
	}
	return hs, nil
}

func readLessons(app core.App, now time.Time, hs map[string]*churn.History) error {
	var rows []struct {
		Student     string         `db:"student"`
		Start       types.DateTime `db:"start"`
		End         types.DateTime `db:"end"`
		Status      string         `db:"status"`
		CancelledBy string         `db:"cancelled_by"`
	}
	err := app.DB().NewQuery(`SELECT student, start, "end", status, cancelled_by FROM bookings WHERE start >= {:from}`).
		Bind(dbx.Params{"from": platform.DBTime(now.Add(-LookBack))}).All(&rows)
	if err != nil {
		return fmt.Errorf("failed to read the lessons: %w", err)
	}
	for _, r := range rows {
		h := hs[r.Student]
		if h == nil {
			continue
		}
		start, end := r.Start.Time(), r.End.Time()
		active := r.Status == platform.StatusPending || r.Status == platform.StatusConfirmed
		if active && start.After(now) {
			h.BookedAhead = true
			continue
		}
		held := r.Status == platform.StatusCompleted || r.Status == platform.StatusConfirmed && !end.After(now)
		dropped := r.Status == platform.StatusNoShow || r.Status == platform.StatusCancelled && r.CancelledBy == r.Student
		if held || dropped {
			h.Lessons = append(h.Lessons, churn.Lesson{Start: start, Held: held, Dropped: dropped})
		}
	}
	return nil
}

func readCredits(app core.App, now time.Time, hs map[string]*churn.History) error {
	var rows []struct {
		Student string `db:"student"`
		Bought  int    `db:"bought"`
		Left    int    `db:"left"`
	}
	err := app.DB().NewQuery(`SELECT student, CAST(SUM(credits_total) AS INTEGER) AS bought,
		CAST(COALESCE(SUM(CASE WHEN expires_at = '' OR expires_at > {:now} THEN credits_total - credits_used END), 0) AS INTEGER) AS left
		FROM purchases WHERE status = 'paid' GROUP BY student`).Bind(dbx.Params{"now": platform.DBTime(now)}).All(&rows)
	if err != nil {
		return fmt.Errorf("failed to read the credits: %w", err)
	}
	for _, r := range rows {
		if h := hs[r.Student]; h != nil {
			h.Bought, h.CreditsLeft = r.Bought, max(r.Left, 0)
		}
	}
	return nil
}

func readReviews(app core.App, now time.Time, hs map[string]*churn.History) error {
	var rows []struct {
		Student string         `db:"student"`
		Created types.DateTime `db:"created"`
		Rating  float64        `db:"rating"`
	}
	err := app.DB().NewQuery(`SELECT student, created, rating FROM reviews WHERE student != '' AND created >= {:from} AND created <= {:now}`).
		Bind(dbx.Params{"from": platform.DBTime(now.Add(-LookBack)), "now": platform.DBTime(now)}).All(&rows)
	if err != nil {
		return fmt.Errorf("failed to read the reviews: %w", err)
	}
	for _, r := range rows {
		if h := hs[r.Student]; h != nil {
			h.Reviews = append(h.Reviews, churn.Review{At: r.Created.Time(), Rating: r.Rating})
		}
	}
	return nil
}

// readUnread counts, per person, the messages of others in the threads they
// take part in that came after their read state (as GET
// /api/threads/unread), and the oldest one's time.
func readUnread(app core.App, now time.Time, hs map[string]*churn.History) error {
	var rows []struct {
		User   string         `db:"user"`
		N      int            `db:"n"`
		Oldest types.DateTime `db:"oldest"`
	}
	err := app.DB().NewQuery(`SELECT p.value AS user, COUNT(m.id) AS n, MIN(m.created) AS oldest
		FROM threads t JOIN json_each(t.participants) p
		JOIN messages m ON m.thread = t.id AND m.author != p.value AND m.deleted = 0 AND m.created <= {:now}
		LEFT JOIN thread_reads r ON r.thread = t.id AND r.user = p.value
		WHERE m.created > COALESCE(r.last_read, '')
		GROUP BY p.value`).Bind(dbx.Params{"now": platform.DBTime(now)}).All(&rows)
	if err != nil {
		return fmt.Errorf("failed to count unread messages: %w", err)
	}
	for _, r := range rows {
		if h := hs[r.User]; h != nil {
			h.Unread, h.OldestAt = r.N, r.Oldest.Time()
		}
	}
	return nil
}
