package statements

import (
	"fmt"

	"tutorbase/internal/billing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// tutorStatement is a tutor's month: the lessons taught (completed or a
// no-show) at their price, and the payouts of periods starting in the
// month with the school's commission; in the school's currency.
func (s *Service) tutorStatement(app core.App, p period, tutor *core.Record) (billing.Statement, error) {
	st := p.statement(tutor.GetString("name"))
	cur := p.school.Currency
	lessons, err := in(app, p, "bookings", "start", dbx.And(
		dbx.HashExp{"tutor": tutor.Id, "status": []any{"completed", "no_show"}},
		dbx.Or(dbx.HashExp{"currency": cur}, dbx.HashExp{"currency": ""})))
	if err != nil {
		return st, err
	}
	sec := billing.StatementSection{Heading: p.words("Lessons taught", "Lezioni svolte"), Empty: p.words("No lessons.", "Nessuna lezione.")}
	var worth int64
	for _, b := range lessons {
		text := p.words("Lesson with ", "Lezione con ") + b.GetString("student_name")
		if b.GetString("status") == "no_show" {
			text += p.words(" (no-show)", " (assenza)")
		}
		sec.Rows = append(sec.Rows, billing.StatementRow{Date: p.date(b.GetDateTime("start").Time()), Text: text, Amount: int64(b.GetInt("price")), HasAmount: true})
		worth += int64(b.GetInt("price"))
	}
	st.Sections = append(st.Sections, sec)

	payouts, err := in(app, p, "payouts", "period_start", dbx.HashExp{"tutor": tutor.Id, "currency": cur})
	if err != nil {
		return st, err
	}
	sec = billing.StatementSection{Heading: p.words("Payouts", "Compensi"), Empty: p.words("No payouts.", "Nessun compenso.")}
	var commission, paid int64
	for _, po := range payouts {
		text := fmt.Sprintf(p.words("%d lessons, gross %s, commission %s (%s)", "%d lezioni, lordo %s, commissione %s (%s)"),
			po.GetInt("lessons"), billing.Format(int64(po.GetInt("gross")), cur, st.Locale), billing.Format(int64(po.GetInt("commission")), cur, st.Locale),
			p.status(po.GetString("status")))
		sec.Rows = append(sec.Rows, billing.StatementRow{Date: p.date(po.GetDateTime("period_start").Time()), Text: text, Amount: int64(po.GetInt("net")), HasAmount: true})
		commission += int64(po.GetInt("commission"))
		if po.GetString("status") == "paid" {
			paid += int64(po.GetInt("net"))
		}
	}
	st.Sections = append(st.Sections, sec)
	st.Totals = []billing.StatementTotal{
		{Label: p.words("Lessons taught", "Lezioni svolte"), Amount: worth},
		{Label: p.words("School commission", "Commissione della scuola"), Amount: commission},
		{Label: p.words("Paid out", "Pagato"), Amount: paid},
	}
	return st, nil
}

// payerStatement is a payer's month: payments made, refunds received
// (each in the month it succeeded) and the credits bought, used and
// returned.
func (s *Service) payerStatement(app core.App, p period, user string) (billing.Statement, error) {
	who := ""
	if u, err := app.FindRecordById("users", user); err == nil {
		who = u.GetString("name")
	}
	st := p.statement(who)
	cur := p.school.Currency
	pays, err := in(app, p, "payments", "paid_at", dbx.HashExp{"user": user, "currency": cur, "status": []any{"paid", "refunded", "partially_refunded"}})
	if err != nil {
		return st, err
	}
	sec := billing.StatementSection{Heading: p.words("Payments", "Pagamenti"), Empty: p.words("No payments.", "Nessun pagamento.")}
	var paid, refunded int64
	for _, pay := range pays {
		sec.Rows = append(sec.Rows, billing.StatementRow{Date: p.date(pay.GetDateTime("paid_at").Time()), Text: pay.GetString("description"), Amount: int64(pay.GetInt("amount")), HasAmount: true})
		paid += int64(pay.GetInt("amount"))
	}
	st.Sections = append(st.Sections, sec)

	refunds, err := in(app, p, "refunds", "updated", dbx.HashExp{"user": user, "currency": cur, "status": "succeeded"})
	if err != nil {
		return st, err
	}
	sec = billing.StatementSection{Heading: p.words("Refunds", "Rimborsi"), Empty: p.words("No refunds.", "Nessun rimborso.")}
	for _, r := range refunds {
		sec.Rows = append(sec.Rows, billing.StatementRow{Date: p.date(r.GetDateTime("updated").Time()), Text: r.GetString("reason"), Amount: -int64(r.GetInt("amount")), HasAmount: true})
		refunded += int64(r.GetInt("amount"))
	}
	st.Sections = append(st.Sections, sec)

	lines, err := in(app, p, "credit_ledger", "created", dbx.HashExp{"student": user})
	if err != nil {
		return st, err
	}
	sec = billing.StatementSection{Heading: p.words("Lesson credits", "Crediti di lezione"), Empty: p.words("No credits moved.", "Nessun movimento di crediti.")}
	for _, l := range lines {
		text := fmt.Sprintf("%s: %+d, %s %d", p.ledgerKind(l.GetString("kind")), l.GetInt("delta"), p.words("left", "restanti"), l.GetInt("balance_after"))
		sec.Rows = append(sec.Rows, billing.StatementRow{Date: p.date(l.GetDateTime("created").Time()), Text: text})
	}
	st.Sections = append(st.Sections, sec)
	st.Totals = []billing.StatementTotal{
		{Label: p.words("Paid", "Pagato"), Amount: paid},
		{Label: p.words("Refunded", "Rimborsato"), Amount: -refunded},
		{Label: p.words("Net", "Netto"), Amount: paid - refunded},
	}
	return st, nil
}

// ledgerKind names a credit ledger line's kind for the reader.
func (p period) ledgerKind(kind string) string {
	it := map[string]string{"bought": "acquistati", "spent": "usato", "returned": "restituito", "forfeited": "perso",
		"expired": "scaduti", "refunded": "rimborsati", "moved": "spostato"}
	if p.italian && it[kind] != "" {
		return it[kind]
	}
	return kind
}

// status names a payout's status for the reader.
func (p period) status(st string) string {
	it := map[string]string{"pending": "da pagare", "paid": "pagato", "failed": "non riuscito"}
	if p.italian && it[st] != "" {
		return it[st]
	}
	return st
}
