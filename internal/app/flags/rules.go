package flags

import (
	"tutorbase/internal/app/platform"
	"tutorbase/internal/suspicion"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// ids lists the ids a query of one column returns.
func ids(q *dbx.SelectQuery) ([]string, error) {
	var out []string
	return out, q.Column(&out)
}

// fire raises rule about user when the events found reach its threshold.
func (s *Service) fire(app core.App, rule, user, subject string, found []string, extra map[string]any) error {
	th, err := thresholds(app)
	if err != nil {
		return err
	}
	if !th.Fires(rule, int64(len(found))) {
		return nil
	}
	evidence := map[string]any{"count": len(found), "records": found}
	if w := suspicion.Rules[rule].Window; w > 0 {
		evidence["window"] = w.String()
	}
	for k, v := range extra {
		evidence[k] = v
	}
	s.raise(app, rule, user, subject, evidence)
	return nil
}

// onPayment: card testing, many failed payments from one person in an
// hour.
func (s *Service) onPayment(e *core.RecordEvent) error {
	if e.Record.GetString("status") == "failed" && e.Record.Original().GetString("status") != "failed" {
		user := e.Record.GetString("user")
		found, err := ids(e.App.DB().Select("id").From("payments").
			Where(dbx.HashExp{"user": user, "status": "failed"}).
			AndWhere(dbx.NewExp("updated >= {:since}", dbx.Params{"since": s.since(suspicion.CardTesting)})).OrderBy("updated DESC").Limit(100))
		if err == nil {
			err = s.fire(e.App, suspicion.CardTesting, user, user, found, map[string]any{"collection": "payments"})
		}
		logRule(e.App, suspicion.CardTesting, err)
	}
	return e.Next()
}

// onBookingCancelled: booking churn, a student cancelling many lessons in
// a day.
func (s *Service) onBookingCancelled(e *core.RecordEvent) error {
	r := e.Record
	student := r.GetString("student")
	if r.GetString("status") == "cancelled" && r.Original().GetString("status") != "cancelled" && r.GetString("cancelled_by") == student {
		found, err := ids(e.App.DB().Select("id").From("bookings").
			Where(dbx.HashExp{"student": student, "cancelled_by": student, "status": "cancelled"}).
			AndWhere(dbx.NewExp("cancelled_at >= {:since}", dbx.Params{"since": s.since(suspicion.BookingChurn)})).OrderBy("cancelled_at DESC").Limit(100))
		if err == nil {
			err = s.fire(e.App, suspicion.BookingChurn, student, student, found, map[string]any{"collection": "bookings"})
		}
		logRule(e.App, suspicion.BookingChurn, err)
	}
	return e.Next()
}

// onBookingCreated: one student holding many upcoming unpaid lessons.
func (s *Service) onBookingCreated(e *core.RecordEvent) error {
	if e.Record.GetString("payment_status") == "unpaid" {
		student := e.Record.GetString("student")
		now := platform.DBTime(s.env.Now())
		found, err := ids(e.App.DB().Select("id").From("bookings").
			Where(dbx.HashExp{"student": student, "payment_status": "unpaid", "status": []any{"pending", "confirmed"}}).
			AndWhere(dbx.NewExp("start > {:now}", dbx.Params{"now": now})).OrderBy("start").Limit(100))
		if err == nil {
			err = s.fire(e.App, suspicion.UnpaidHoard, student, student, found, map[string]any{"collection": "bookings"})
		}
		logRule(e.App, suspicion.UnpaidHoard, err)
	}
	return e.Next()
}

// onRefund: a refund of at least the threshold.
func (s *Service) onRefund(e *core.RecordEvent) error {
	th, err := thresholds(e.App)
	if err == nil && th.Fires(suspicion.LargeRefund, int64(e.Record.GetInt("amount"))) {
		user := e.Record.GetString("user")
		s.raise(e.App, suspicion.LargeRefund, user, e.Record.Id, map[string]any{
			"collection": "refunds", "records": []string{e.Record.Id}, "amount": e.Record.GetInt("amount"),
			"currency": e.Record.GetString("currency"), "payment": e.Record.GetString("payment"),
		})
	}
	logRule(e.App, suspicion.LargeRefund, err)
	return e.Next()
}

// onSignUp records the address an account is made from (an audit entry)
// and watches for many accounts from one address in an hour.
func (s *Service) onSignUp(e *core.RecordRequestEvent) error {
	if err := e.Next(); err != nil || platform.IsStaff(e.RequestEvent) {
		return err
	}
	ip := e.RealIP()
	platform.AuditAuth(e.App, e.RequestEvent, "account.create", e.Record, e.Record.Email(), nil)
	found, err := ids(e.App.DB().Select("record").From("audit_log").
		Where(dbx.HashExp{"action": "account.create", "ip": ip}).
		AndWhere(dbx.NewExp("created >= {:since}", dbx.Params{"since": s.since(suspicion.SignupBurst)})).OrderBy("created DESC").Limit(200))
	if err == nil {
		err = s.fire(e.App, suspicion.SignupBurst, "", ip, found, map[string]any{"collection": "users", "ip": ip})
	}
	logRule(e.App, suspicion.SignupBurst, err)
	return nil
}

// onMessage: message fanout, one person writing to many threads (people)
// in ten minutes, as spam or a scam does. Staff write to many on purpose.
func (s *Service) onMessage(e *core.RecordEvent) error {
	author := e.Record.GetString("author")
	if p, err := platform.LoadPerson(e.App, author); err != nil || p.Role == platform.RoleAdmin {
		return e.Next()
	}
	found, err := ids(e.App.DB().Select("thread").Distinct(true).From("messages").
		Where(dbx.HashExp{"author": author}).
		AndWhere(dbx.NewExp("created >= {:since}", dbx.Params{"since": s.since(suspicion.MessageFanout)})).Limit(200))
	if err == nil {
		err = s.fire(e.App, suspicion.MessageFanout, author, author, found, map[string]any{"collection": "threads"})
	}
	logRule(e.App, suspicion.MessageFanout, err)
	return e.Next()
}
