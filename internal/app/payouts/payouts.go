package payouts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
)

// Payout statuses.
const (
	PayoutPending = "pending"
	PayoutPaid    = "paid"
	PayoutFailed  = "failed"
)

// Kinds of payout lines, as written in a payout's items.
const (
	PayoutLineLesson   = "lesson"
	PayoutLineReversal = "reversal"
)

// MaxPayoutDays is the longest period one payout run covers.
const MaxPayoutDays = 62

// transferRetryWindow is how long after a payout is made its Stripe
// transfer is retried automatically. Stripe keeps an idempotency key for
// at least 24 hours, so every retry inside the window reuses the first
// attempt's outcome and a tutor is never paid twice; later, staff settle
// it by hand (docs/payouts.md).
const transferRetryWindow = 23 * time.Hour

// PayoutItem is one line of a payout's statement (the payout's items).
type PayoutItem struct {
	Kind     string `json:"kind"` // lesson or reversal
	Booking  string `json:"booking"`
	Refund   string `json:"refund,omitempty"` // reversal: the refund reversed
	Start    string `json:"start"`            // the lesson's start, RFC 3339 UTC
	Student  string `json:"student"`
	Price    int64  `json:"price,omitempty"`    // lesson: its price
	Refunded int64  `json:"refunded,omitempty"` // lesson: refunded before the payout
	Amount   int64  `json:"amount"`             // what the line adds to the gross
}

// payableLessonsWhere selects, for a period [{:from}, {:to}), the lessons
// to pay out: completed lessons and student no-shows that were paid (card,
// cash, credit, partly refunded) and are not paid out yet, ending in the
// period, or ending earlier in a period that already has payouts (they
// became payable after that period was paid out). A lesson of a period
// never run is left for that period.
const payableLessonsWhere = `b.status IN ('completed', 'no_show') AND b.payout = ''
	AND b.payment_status IN ('paid', 'credit', 'partially_refunded') AND b."end" < {:to}
	AND (b."end" >= {:from} OR EXISTS (SELECT 1 FROM payouts p WHERE p.period_start <= b."end" AND p.period_end > b."end"))`

// openReversalsFrom selects succeeded refunds of lessons paid out in an
// earlier period and not reversed yet.
const openReversalsFrom = `refunds r JOIN bookings b ON b.id = r.booking JOIN payouts paid ON paid.id = b.payout
	WHERE r.status = 'succeeded' AND r.reversed_in = '' AND paid.period_end <= {:from}`

var errPayoutNotPending = errors.New("payout is not pending")

// Register binds the payouts' hooks and routes.
func (s *Service) Register(app core.App) {
	platform.Guard(app, "tutors", platform.FieldGuard{Server: []string{"payout_status", "payout_checked_at"}})
	app.OnRecordDelete("payouts").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("status") == PayoutPaid {
			return validation.Errors{"status": validation.NewError(platform.CodeBadState, "A paid payout is history and cannot be deleted.")}
		}
		return e.Next() // its lessons and reversals are released for the next run
	})
}

// RunPayouts makes the payouts of the period [from, to): one per tutor with
// payable lessons or refunds to reverse, each written in its own
// transaction with its lessons and reversals, then paid through Stripe
// Connect where the tutor has a connected account. It is idempotent: a
// tutor's payout of the period, once made, is returned unchanged. It
// returns the period's payouts; a failed transfer leaves its payout
// pending (logged, retried by RetryPayoutTransfers) and is not an error.
func (s *Service) RunPayouts(app core.App, from, to, now time.Time) ([]*core.Record, error) {
	if !from.Before(to) {
		return nil, errors.New("payout period: the start must be before the end")
	}
	if to.After(now) {
		return nil, fmt.Errorf("payout period: it ends %s, which has not come yet", to.UTC().Format(time.RFC3339))
	}
	school, err := platform.LoadSchool(app)
	if err != nil {
		return nil, err
	}
	params := dbx.Params{"from": platform.DBTime(from), "to": platform.DBTime(to)}
	var tutors []string
	err = app.DB().NewQuery(`SELECT tutor FROM (
		SELECT b.tutor AS tutor FROM bookings b WHERE ` + payableLessonsWhere + `
		UNION SELECT b.tutor FROM ` + openReversalsFrom + `
		UNION SELECT tutor FROM payouts WHERE period_start = {:from} AND period_end = {:to}
	) ORDER BY tutor`).Bind(params).Column(&tutors)
	if err != nil {
		return nil, fmt.Errorf("failed to find the tutors to pay: %w", err)
	}
	var out []*core.Record
	var errs []error
	for _, tutor := range tutors {
		p, created, err := payTutor(app, tutor, params, school, now)
		if err != nil {
			errs = append(errs, fmt.Errorf("payout of tutor %s: %w", tutor, err))
			continue
		}
		if p == nil {
			continue
		}
		if created {
			if paid, err := s.transferPayout(app, p, now); err != nil {
				app.Logger().Warn("payout transfer failed; it stays pending and is retried", "payout", p.Id, "error", err)
			} else if paid != nil {
				p = paid
			}
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}

// payoutDraft is what one tutor is owed for a period, before it is saved.
type payoutDraft struct {
	items    []PayoutItem
	lines    []billing.PayoutLine
	lessons  []*core.Record // get payout = the new payout
	refunds  []*core.Record // get reversed_in = the new payout
	currency string

	currencies map[string]bool // of the lines so far
}

// payTutor returns the tutor's payout of the period, making it if there
// is none: the payout, its lessons' payout and its refunds' reversed_in in
// one transaction, the lines read inside it so no lesson is paid twice.
func payTutor(app core.App, tutor string, params dbx.Params, school *platform.School, now time.Time) (payout *core.Record, created bool, err error) {
	err = app.RunInTransaction(func(tx core.App) error {
		existing, err := tx.FindAllRecords("payouts", dbx.HashExp{"tutor": tutor, "period_start": params["from"], "period_end": params["to"]})
		if err != nil {
			return err
		}
		if len(existing) > 0 {
			payout = existing[0]
			return nil
		}
		d, err := draftPayout(tx, tutor, params, school.Currency)
		if err != nil || len(d.items) == 0 {
			return err
		}
		col, err := tx.FindCachedCollectionByNameOrId("payouts")
		if err != nil {
			return err
		}
		totals := billing.Payout(d.lines, school.CommissionBP)
		p := core.NewRecord(col)
		p.Load(map[string]any{
			"tutor": tutor, "period_start": params["from"], "period_end": params["to"], "lessons": totals.Lessons,
			"items": d.items, "gross": totals.Gross, "commission": totals.Commission, "net": totals.Net,
			"currency": d.currency, "status": PayoutPending,
		})
		if totals.Net == 0 { // reversals ate the period's lessons: nothing to pay
			p.Set("status", PayoutPaid)
			p.Set("paid_at", now)
		}
		if err := tx.Save(p); err != nil {
			return err
		}
		for _, b := range d.lessons {
			b.Set("payout", p.Id)
			if err := tx.Save(b); err != nil {
				return err
			}
		}
		for _, r := range d.refunds {
			r.Set("reversed_in", p.Id)
			if err := tx.Save(r); err != nil {
				return err
			}
		}
		payout, created = p, true
		return nil
	})
	return payout, created, err
}

// draftPayout reads a tutor's lines: each payable lesson at its price less
// what was refunded on it so far, and each open reversal as a negative
// line. The refunds taken into account either way are marked with the
// payout, so none is counted twice.
func draftPayout(tx core.App, tutor string, params dbx.Params, schoolCurrency string) (*payoutDraft, error) {
	q := dbx.Params{"tutor": tutor}
	for k, v := range params {
		q[k] = v
	}
	var lessonIds, reversalIds []string
	if err := tx.DB().NewQuery("SELECT b.id FROM bookings b WHERE b.tutor = {:tutor} AND " + payableLessonsWhere).Bind(q).Column(&lessonIds); err != nil {
		return nil, fmt.Errorf("failed to read payable lessons: %w", err)
	}
	if err := tx.DB().NewQuery("SELECT r.id FROM " + openReversalsFrom + " AND b.tutor = {:tutor}").Bind(q).Column(&reversalIds); err != nil {
		return nil, fmt.Errorf("failed to read refunds to reverse: %w", err)
	}
	d := &payoutDraft{currencies: map[string]bool{}}
	if len(lessonIds) == 0 && len(reversalIds) == 0 {
		return d, nil
	}
	if err := d.addLessons(tx, lessonIds, schoolCurrency); err != nil {
		return nil, err
	}
	if err := d.addReversals(tx, reversalIds, schoolCurrency); err != nil {
		return nil, err
	}
	if len(d.currencies) > 1 {
		return nil, fmt.Errorf("lines in %d currencies: pay this tutor by hand", len(d.currencies))
	}
	for c := range d.currencies {
		d.currency = c
	}
	return d, nil
}

// addLessons adds the payable lessons, each at its price less what was
// refunded on it since (those refunds are counted here, never reversed).
func (d *payoutDraft) addLessons(tx core.App, lessonIds []string, schoolCurrency string) error {
	lessons, err := tx.FindRecordsByIds("bookings", lessonIds)
	if err != nil {
		return err
	}
	sortByStart(lessons)
	refunded := map[string][]*core.Record{}
	if len(lessonIds) > 0 {
		ids := make([]any, len(lessonIds))
		for i, id := range lessonIds {
			ids[i] = id
		}
		earlier, err := tx.FindAllRecords("refunds", dbx.In("booking", ids...), dbx.HashExp{"status": payments.RefundSucceeded, "reversed_in": ""})
		if err != nil {
			return err
		}
		for _, r := range earlier {
			refunded[r.GetString("booking")] = append(refunded[r.GetString("booking")], r)
		}
	}
	for _, b := range lessons {
		price, minus := int64(b.GetInt("price")), int64(0)
		for _, r := range refunded[b.Id] {
			minus += int64(r.GetInt("amount"))
			d.refunds = append(d.refunds, r)
		}
		d.add(PayoutItem{Kind: PayoutLineLesson, Booking: b.Id, Start: itemTime(b), Student: b.GetString("student_name"),
			Price: price, Refunded: minus, Amount: max(price-minus, 0)})
		d.lessons = append(d.lessons, b)
		d.currencies[cmp.Or(b.GetString("currency"), schoolCurrency)] = true
	}
	return nil
}

// addReversals adds the refunds of lessons paid out in an earlier period,
// each a negative line.
func (d *payoutDraft) addReversals(tx core.App, reversalIds []string, schoolCurrency string) error {
	reversals, err := tx.FindRecordsByIds("refunds", reversalIds)
	if err != nil {
		return err
	}
	for _, r := range reversals {
		b, err := tx.FindRecordById("bookings", r.GetString("booking"))
		if err != nil {
			return err
		}
		d.add(PayoutItem{Kind: PayoutLineReversal, Booking: b.Id, Refund: r.Id, Start: itemTime(b),
			Student: b.GetString("student_name"), Amount: -int64(r.GetInt("amount"))})
		d.refunds = append(d.refunds, r)
		d.currencies[cmp.Or(r.GetString("currency"), schoolCurrency)] = true
	}
	return nil
}

func (d *payoutDraft) add(item PayoutItem) {
	d.items = append(d.items, item)
	d.lines = append(d.lines, billing.PayoutLine{Booking: item.Booking, Amount: item.Amount})
}

func itemTime(b *core.Record) string {
	return b.GetDateTime("start").Time().UTC().Format(time.RFC3339)
}

func sortByStart(list []*core.Record) {
	sort.SliceStable(list, func(i, j int) bool {
		a, b := list[i].GetDateTime("start").Time(), list[j].GetDateTime("start").Time()
		return a.Before(b) || (a.Equal(b) && list[i].Id < list[j].Id)
	})
}

// transferPayout pays a pending payout through the provider (Stripe
// Connect) when the tutor has a connected account and the provider makes
// transfers. The
// idempotency key and transfer group are "payout-<id>", so a retry never
// pays twice. It returns the payout once paid, nil when there was nothing
// to transfer.
func (s *Service) transferPayout(app core.App, p *core.Record, now time.Time) (*core.Record, error) {
	if p.GetString("status") != PayoutPending || p.GetInt("net") <= 0 {
		return nil, nil
	}
	t, err := app.FindRecordById("tutors", p.GetString("tutor"))
	if err != nil {
		return nil, err
	}
	account := t.GetString("stripe_account")
	if account == "" {
		return nil, nil // paid by hand: staff mark it paid
	}
	key := "payout-" + p.Id
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	id, err := s.provider.Transfer(ctx, billing.TransferRequest{Account: account, Amount: int64(p.GetInt("net")),
		Currency: p.GetString("currency"), Group: key, Key: key})
	if errors.Is(err, billing.ErrByHand) {
		return nil, nil // the school pays its tutors itself: staff mark it paid
	}
	if err != nil {
		return nil, err
	}
	paid, err := s.settlePayout(app, p.Id, id, now)
	if errors.Is(err, errPayoutNotPending) {
		app.Logger().Error("a transfer was made for a payout no longer pending: check it", "payout", p.Id, "transfer", id)
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("transfer %s made but not recorded: %w", id, err)
	}
	return paid, nil
}

// RetryPayoutTransfers retries the transfers of pending payouts
// made in the last transferRetryWindow (a job). Older ones wait for staff.
func (s *Service) RetryPayoutTransfers(app core.App, now time.Time) error {
	pending, err := app.FindRecordsByFilter("payouts", "status = 'pending' && net > 0 && created >= {:since}", "created", 100, 0,
		dbx.Params{"since": platform.DBTime(now.Add(-transferRetryWindow))})
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range pending {
		if _, err := s.transferPayout(app, p, now); err != nil {
			errs = append(errs, fmt.Errorf("payout %s: %w", p.Id, err))
		}
	}
	return errors.Join(errs...)
}

// settlePayout marks a pending payout paid with ref (a transfer id or the
// bank reference), reading it fresh under the write lock.
func (s *Service) settlePayout(app core.App, id, ref string, at time.Time) (*core.Record, error) {
	var out *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		p, err := tx.FindRecordById("payouts", id)
		if err != nil {
			return err
		}
		if p.GetString("status") != PayoutPending {
			return errPayoutNotPending
		}
		p.Set("status", PayoutPaid)
		p.Set("provider_ref", ref)
		p.Set("paid_at", at)
		out = p
		if err := tx.Save(p); err != nil {
			return err
		}
		s.payoutSent(tx, p)
		return nil
	})
	return out, err
}

// payoutSent tells the tutor their money is on its way (in the payout's
// transaction).
func (s *Service) payoutSent(app core.App, p *core.Record) {
	if p.GetInt("net") <= 0 {
		return
	}
	s.notes.Notify(app, []string{p.GetString("tutor_user")}, notify.Event{Kind: notify.KindPayout, Amount: int64(p.GetInt("net")),
		Currency: p.GetString("currency"), Link: app.Settings().Meta.AppURL + "/payouts"}, map[string]any{"payout": p.Id})
}

// DecimalAmount writes an amount in minor units as a plain decimal in its
// currency's units, with a dot and no grouping: 12345 EUR is "123.45",
// -5 EUR "-0.05", 500 JPY "500".
func DecimalAmount(amount int64, currency string) string {
	exp := billing.CurrencyExponent(currency)
	sign, u := "", uint64(amount)
	if amount < 0 {
		sign, u = "-", -u
	}
	digits := strconv.FormatUint(u, 10)
	if exp == 0 {
		return sign + digits
	}
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	return sign + digits[:len(digits)-exp] + "." + digits[len(digits)-exp:]
}

// PayoutPeriod turns two dates written YYYY-MM-DD into the instants of the
// period from the first one's midnight to the second one's (exclusive) in
// loc, at most MaxPayoutDays days long.
func PayoutPeriod(fromDate, toDate string, loc *time.Location) (from, to time.Time, err error) {
	first, err := time.Parse(time.DateOnly, fromDate)
	if err != nil {
		return from, to, fmt.Errorf("--from %q: write the date as YYYY-MM-DD", fromDate)
	}
	end, err := time.Parse(time.DateOnly, toDate)
	if err != nil {
		return from, to, fmt.Errorf("--to %q: write the date as YYYY-MM-DD", toDate)
	}
	switch days := end.Sub(first) / (24 * time.Hour); {
	case days <= 0:
		return from, to, fmt.Errorf("the period must end after it starts (--to is exclusive: --from %s --to %s is empty)", fromDate, toDate)
	case days > MaxPayoutDays:
		return from, to, fmt.Errorf("a payout period is at most %d days, not %d", MaxPayoutDays, days)
	}
	from, _ = parseLocalDate(fromDate, loc)
	to, _ = parseLocalDate(toDate, loc)
	return from.UTC(), to.UTC(), nil
}

// LastPayoutWeek is the last complete week before now in loc: from
// Monday 00:00 to the next Monday 00:00, local time.
func LastPayoutWeek(now time.Time, loc *time.Location) (from, to time.Time) {
	local := now.In(loc)
	sinceMonday := (int(local.Weekday()) + 6) % 7
	to = time.Date(local.Year(), local.Month(), local.Day()-sinceMonday, 0, 0, 0, 0, loc)
	from = time.Date(local.Year(), local.Month(), local.Day()-sinceMonday-7, 0, 0, 0, 0, loc)
	return from.UTC(), to.UTC()
}

func parseLocalDate(s string, loc *time.Location) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc), nil
}
