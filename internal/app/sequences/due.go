package sequences

import (
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// trigger is who a sequence is for (a condition on users u, over the
// bounds of bounds) and the web app's page its message links to.
type trigger struct {
	who  string
	link string
}

var triggers = map[string]trigger{
	Welcome: {`u.role = 'student' AND u.created > {:window} AND u.created <= {:now}`, "/find"},
	FirstLesson: {`u.role = 'student' AND u.created <= {:first} AND u.created > {:first_window}
		AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.student = u.id AND b.status != 'cancelled')`, "/find"},
	WinBack: {`u.role = 'student' AND (SELECT MAX(b.start) FROM bookings b WHERE b.student = u.id AND b.status != 'cancelled')
		BETWEEN {:win_back_window} AND {:win_back}`, "/"},
	PackageLow: {`u.role = 'student' AND EXISTS (SELECT 1 FROM purchases p WHERE p.student = u.id AND p.status = 'paid'
		AND p.credits_total > p.credits_used AND (p.expires_at = '' OR p.expires_at > {:now})
		AND ((p.credits_used > 0 AND p.credits_total - p.credits_used = 1) OR (p.expires_at != '' AND p.expires_at <= {:expiring})))`, "/credits"},
	ReviewRequest: {`u.role = 'student' AND (SELECT COUNT(*) FROM bookings b WHERE b.student = u.id AND b.status = 'completed') >= 3
		AND (SELECT MAX(b."end") FROM bookings b WHERE b.student = u.id AND b.status = 'completed') BETWEEN {:review} AND {:now}
		AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.student = u.id)`, "/lessons"},
	ReportNudge: {`u.role = 'tutor' AND EXISTS (SELECT 1 FROM bookings b WHERE b.tutor_user = u.id AND b.status = 'completed'
		AND b."end" <= {:report} AND b."end" > {:review} AND NOT EXISTS (SELECT 1 FROM lesson_reports r WHERE r.booking = b.id))`, "/lessons"},
}

// dueBatch bounds the people a run sends one sequence to; the rest wait
// for the next run.
const dueBatch = 500

// due lists the people sequence seq (of trigger) is due for at now: who
// the trigger names, less suspended (and erased) accounts, those it was
// sent to and those who unsubscribed from it or from every sequence.
func due(app core.App, seq, trig string, now time.Time) ([]string, error) {
	t := triggers[trig] // the field's choices are the triggers' names
	at := func(d time.Duration) string { return platform.DBTime(now.Add(d)) }
	var ids []string
	err := app.DB().NewQuery(`SELECT u.id FROM users u WHERE ` + t.who + ` AND u.suspended = FALSE
		AND NOT EXISTS (SELECT 1 FROM sequence_sends s WHERE s.sequence = {:seq} AND s.person = u.id)
		AND NOT EXISTS (SELECT 1 FROM sequence_optouts o WHERE o.person = u.id AND (o.sequence = {:seq} OR o.all_sequences = TRUE))
		ORDER BY u.created, u.id LIMIT {:batch}`).
		Bind(dbx.Params{"seq": seq, "batch": dueBatch, "now": at(0), "window": at(-Window),
			"first": at(-FirstLessonAfter), "first_window": at(-FirstLessonAfter - Window),
			"win_back": at(-WinBackAfter), "win_back_window": at(-2 * WinBackAfter),
			"expiring": at(ExpiringWithin), "review": at(-ReviewWithin), "report": at(-ReportAfter)}).
		Column(&ids)
	return ids, err
}
