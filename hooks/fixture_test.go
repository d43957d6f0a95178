package hooks_test

import (
	"context"

	"fmt"
	"time"
	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
)

// buildFixture adds one record of every collection to the cast, owned by
// the student and the first tutor, so the access tables have something to
// see or not see.
func buildFixture(app core.App, c *hookstest.Cast) error {
	save := func(name, collection string, data map[string]any) error {
		col, err := app.FindCachedCollectionByNameOrId(collection)
		if err != nil {
			return err
		}
		r := core.NewRecord(col)
		r.Load(data)
		// fixtures are trusted: past lessons and any time are fine
		if err := app.SaveWithContext(platform.Imported(context.Background()), r); err != nil {
			return err
		}
		c.IDs[name] = r.Id
		return nil
	}
	day := c.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 10)
	past := c.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -3)
	tutor, student := c.Tutors[hookstest.Tutor], c.Users[hookstest.Student]

	steps := []struct {
		name, collection string
		data             func() map[string]any
	}{
		{"subject", "subjects", func() map[string]any { return map[string]any{"name": "Mathematics", "slug": "mathematics"} }},
		{"availability", "availability", func() map[string]any {
			return map[string]any{"tutor": tutor, "weekday": 1, "start": "09:00", "end": "17:00", "timezone": "Europe/Rome"}
		}},
		{"time_off", "time_off", func() map[string]any {
			return map[string]any{"tutor": tutor, "start": day.AddDate(0, 1, 0), "end": day.AddDate(0, 1, 2), "reason": "Holiday"}
		}},
		{"package", "packages", func() map[string]any {
			return map[string]any{"tutor": tutor, "subject": c.IDs["subject"], "title": "Ten lessons", "lessons": 10, "minutes": 60,
				"price": 30000, "currency": "EUR", "status": "published", "valid_days": 90}
		}},
		{"draft_package", "packages", func() map[string]any {
			return map[string]any{"tutor": tutor, "title": "Draft", "lessons": 5, "minutes": 60, "price": 15000, "status": "draft", "valid_days": 90}
		}},
		{"purchase", "purchases", func() map[string]any {
			return map[string]any{"student": student, "package": c.IDs["package"], "tutor": tutor, "lessons": 10, "minutes": 60,
				"list_price": 30000, "amount": 30000, "currency": "EUR", "status": "pending", "provider": "manual"}
		}},
		{"series", "series", func() map[string]any {
			return map[string]any{"tutor": tutor, "student": student, "weekday": 1, "start_time": "10:00", "minutes": 60,
				"timezone": "Europe/Rome", "count": 4, "status": "active"}
		}},
		{"booking", "bookings", func() map[string]any {
			return map[string]any{"tutor": tutor, "student": student, "start": day.Add(9 * time.Hour), "end": day.Add(10 * time.Hour),
				"status": "confirmed", "price": 4000, "currency": "EUR"}
		}},
		{"completed_booking", "bookings", func() map[string]any {
			return map[string]any{"tutor": tutor, "student": student, "start": past.Add(9 * time.Hour), "end": past.Add(10 * time.Hour),
				"status": "completed", "price": 4000, "currency": "EUR"}
		}},
		{"unreviewed_booking", "bookings", func() map[string]any {
			return map[string]any{"tutor": tutor, "student": student, "start": past.Add(11 * time.Hour), "end": past.Add(12 * time.Hour),
				"status": "completed", "price": 4000, "currency": "EUR"}
		}},
		{"payment", "payments", func() map[string]any {
			return map[string]any{"user": student, "purchase": c.IDs["purchase"], "amount": 30000, "currency": "EUR", "status": "pending", "provider": "manual"}
		}},
		{"payout", "payouts", func() map[string]any {
			return map[string]any{"tutor": tutor, "period_start": past.AddDate(0, 0, -7), "period_end": past, "lessons": 1,
				"gross": 4000, "commission": 800, "net": 3200, "currency": "EUR", "status": "pending"}
		}},
		{"review", "reviews", func() map[string]any {
			return map[string]any{"booking": c.IDs["completed_booking"], "student": student, "tutor": tutor, "rating": 5, "comment": "Great"}
		}},
		{"material", "materials", func() map[string]any {
			f, _ := filesystem.NewFileFromBytes([]byte("x^2 + y^2"), "notes.txt")
			return map[string]any{"owner": c.Users[hookstest.Tutor], "title": "Notes", "file": f, "version": 1, "shared_with": []string{student}}
		}},
		{"lesson_material", "materials", func() map[string]any {
			return map[string]any{"owner": c.Users[hookstest.Tutor], "title": "Lesson link", "url": "https://example.com/video", "booking": c.IDs["booking"]}
		}},
		{"material_download", "material_downloads", func() map[string]any {
			return map[string]any{"material": c.IDs["material"], "owner": c.Users[hookstest.Tutor], "user": student, "user_name": "Stella Student"}
		}},
		{"lesson_report", "lesson_reports", func() map[string]any {
			return map[string]any{"booking": c.IDs["completed_booking"], "topics": "Fractions", "homework": "Exercises 1-5",
				"due": past.AddDate(0, 0, 7), "ratings": map[string]any{c.IDs["subject"]: 3}, "comment": "Good work"}
		}},
		{"tutor_note", "tutor_notes", func() map[string]any {
			return map[string]any{"student": student, "author": c.Users[hookstest.Tutor], "body": "Private: anxious before tests"}
		}},
		{"notification", "notifications", func() map[string]any {
			return map[string]any{"user": student, "kind": "payment_received", "title": "Payment received"}
		}},
		{"delivery", "deliveries", func() map[string]any {
			return map[string]any{"notification": c.IDs["notification"], "user": student, "channel": "email", "status": "queued"}
		}},
		{"push_subscription", "push_subscriptions", func() map[string]any {
			return map[string]any{"user": student, "endpoint": "https://push.example.net/send/fixture",
				"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}
		}},
		{"audit", "audit_log", func() map[string]any {
			return map[string]any{"actor": student, "action": "auth.signin", "ip": "127.0.0.1"}
		}},
		{"session", "sessions", func() map[string]any {
			return map[string]any{"user": student, "method": "password", "device": "Mac", "browser": "Safari", "network": "127.0.0.0/24",
				"first_seen": past, "last_seen": past}
		}},
		{"flag", "flags", func() map[string]any {
			return map[string]any{"rule": "large_refund", "user": student, "subject": "fixture-refund", "status": "dismissed",
				"evidence": map[string]any{"count": 1}}
		}},
		{"stripe_event", "stripe_events", func() map[string]any {
			return map[string]any{"event_id": "evt_fixture", "type": "checkout.session.completed"}
		}},
		{"coupon", "coupons", func() map[string]any {
			return map[string]any{"code": "WELCOME10", "percent": 10, "active": true}
		}},
		{"calendar_feed", "calendar_feeds", func() map[string]any {
			return map[string]any{"tutor": tutor, "name": "Personal", "url": "https://calendar.example.org/tina/private-0a1b2c3d/basic.ics"}
		}},
		{"busy_time", "busy_times", func() map[string]any { // at night, two months ahead: it blocks no test's lesson
			return map[string]any{"feed": c.IDs["calendar_feed"], "tutor": tutor, "tutor_user": c.Users[hookstest.Tutor],
				"start": day.AddDate(0, 2, 0).Add(2 * time.Hour), "end": day.AddDate(0, 2, 0).Add(3 * time.Hour)}
		}},
		{"faq", "faq", func() map[string]any {
			return map[string]any{"question": "How do I cancel a lesson?", "answer": "Open the lesson and press Cancel.", "language": "en"}
		}},
		{"assistant_question", "assistant_questions", func() map[string]any {
			return map[string]any{"question": "Is there parking?", "key": "parking", "language": "en", "asked": 1, "status": "open"}
		}},
		{"plan", "plans", func() map[string]any {
			return map[string]any{"title": "Four a month", "credits": 4, "minutes": 60, "price": 14000, "currency": "EUR",
				"interval": "month", "rollover_max": 2, "grace_days": 3, "active": true}
		}},
		{"hidden_plan", "plans", func() map[string]any {
			return map[string]any{"title": "Old plan", "credits": 2, "price": 8000, "currency": "EUR", "interval": "week"}
		}},
		{"subscription", "subscriptions", func() map[string]any { // ended: the student may subscribe again
			return map[string]any{"user": student, "student": student, "plan": c.IDs["plan"], "status": "cancelled", "provider": "manual"}
		}},
		{"guardian_invite", "guardians", func() map[string]any { // open: no guardian yet
			return map[string]any{"student": student, "email": "future-guardian@test.localhost", "status": "invited",
				"token_hash": "fixture-invite-hash", "invited_by": student}
		}},
		{"thread", "threads", func() map[string]any { // the tutor and the student write to each other
			return map[string]any{"kind": "direct", "participants": []string{c.Users[hookstest.Tutor], student}, "student": student,
				"status": "open", "pair_key": "fixture-pair"}
		}},
		{"message", "messages", func() map[string]any {
			return map[string]any{"thread": c.IDs["thread"], "author": c.Users[hookstest.Tutor], "body": "Welcome! Bring your workbook."}
		}},
		{"thread_read", "thread_reads", func() map[string]any {
			return map[string]any{"thread": c.IDs["thread"], "user": student, "last_read": past}
		}},
		{"churn_score", "churn_scores", func() map[string]any {
			return map[string]any{"student": student, "score": 72, "reasons": []any{}, "computed": past}
		}},
	}
	for _, s := range steps {
		if err := save(s.name, s.collection, s.data()); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	// the payment is settled as staff would: the purchase paid with its
	// credits (a ledger line) and its invoice, so the money and credit
	// invariants hold from the start
	if err := app.RunInTransaction(func(tx core.App) error {
		pay, err := tx.FindRecordById("payments", c.IDs["payment"])
		if err != nil {
			return err
		}
		if err := hookstest.ServicesOf(tx).Payments.RecordPayment(tx, pay, payments.Paid{Provider: "manual", Method: "cash", At: c.Now()}); err != nil {
			return err
		}
		c.IDs["invoice"] = pay.GetString("invoice")
		line, err := tx.FindFirstRecordByData("credit_ledger", "purchase", c.IDs["purchase"])
		if err != nil {
			return err
		}
		c.IDs["ledger"] = line.Id
		return nil
	}); err != nil {
		return fmt.Errorf("payment: %w", err)
	}
	// a code the fixture's payment tried and gave back (released: the
	// payment and its invoice are at full price)
	if err := save("coupon_redemption", "coupon_redemptions", map[string]any{"coupon": c.IDs["coupon"], "user": student,
		"payment": c.IDs["payment"], "purchase": c.IDs["purchase"], "code": "WELCOME10", "amount": 100, "currency": "EUR", "status": "released"}); err != nil {
		return err
	}
	// a payer's invoice details (the access table's; nobody in it pays by them)
	if err := save("billing_details", "billing_details", map[string]any{"user": c.Users[hookstest.Tutor2], "billing_city": "Torino"}); err != nil {
		return err
	}
	// the second tutor teaches every day 08:00-20:00 in Rome: the booking
	// tests book with them
	for d := 1; d <= 7; d++ {
		if err := save(fmt.Sprintf("tutor2_window_%d", d), "availability", map[string]any{
			"tutor": c.Tutors[hookstest.Tutor2], "weekday": d, "start": "08:00", "end": "20:00", "timezone": "Europe/Rome",
		}); err != nil {
			return err
		}
	}
	if err := save("past_confirmed", "bookings", map[string]any{
		"tutor": c.Tutors[hookstest.Tutor2], "student": student, "start": past.Add(14 * time.Hour), "end": past.Add(15 * time.Hour),
		"status": "confirmed",
	}); err != nil {
		return err
	}
	profile, err := app.FindFirstRecordByData("students", "user", student)
	if err != nil {
		return err
	}
	c.IDs["student_profile"] = profile.Id
	// follow-up sequences (seeded by their migration): the welcome was sent
	// to the student, the second student stopped the win-back
	c.IDs["sequence"] = "seqwelcome00000"
	if err := save("sequence_send", "sequence_sends", map[string]any{"sequence": "seqwelcome00000", "person": student}); err != nil {
		return err
	}
	return save("sequence_optout", "sequence_optouts", map[string]any{"sequence": "seqwinback00000", "person": c.Users[hookstest.Student2]})
}
