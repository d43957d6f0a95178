package payments

import (
	"cmp"
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"tutorbase/internal/app/credits"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"
	"tutorbase/internal/notify"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Payment statuses.
const (
	PaymentPending           = "pending"
	PaymentPaid              = "paid"
	PaymentRefunded          = "refunded"
	PaymentPartiallyRefunded = "partially_refunded"
	PaymentFailed            = "failed"
)

// Manual payment methods an admin records.
var manualMethods = []string{"cash", "transfer", "other"}

type checkoutBody struct {
	Package string `json:"package"`
	Booking string `json:"booking"`
	Student string `json:"student"`
	Code    string `json:"code"` // a promotion code, optional
	// Family: a guardian buys the package for the family (its credits
	// serve any of their students).
	Family bool `json:"family"`
}

// Checkout starts a payment: for a package ({package}: a pending
// purchase with the package's terms frozen) or for the caller's unpaid
// pay-per-lesson booking ({booking}). In Stripe mode it answers a Checkout
// URL, in manual mode the school's payment instructions.
func (s *Service) Checkout(e *core.RequestEvent) error {
	var in checkoutBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError(`The body must be JSON: {"package": "..."} or {"booking": "..."}.`, nil)
	}
	target, err := checkoutTarget(e, in)
	if err != nil {
		return err
	}
	var pay, redemption *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		if target.IsNew() {
			if err := tx.Save(target); err != nil {
				return err
			}
		}
		if pay, err = PendingPayment(tx, target); err != nil {
			return err
		}
		if err := setPayer(tx, pay, target, payerOf(e, target)); err != nil || strings.TrimSpace(in.Code) == "" {
			return err
		}
		redemption, err = s.applyCoupon(tx, in.Code, pay, target)
		return err
	})
	if err != nil {
		return err
	}
	url, err := s.startCheckout(e.Request.Context(), e.App, pay, target)
	if err != nil {
		e.App.Logger().Error("checkout failed", "provider", s.provider.Name(), "payment", pay.Id, "error", err)
		return apis.NewApiError(http.StatusBadGateway, "The payment provider is not answering; please try again in a minute.", nil)
	}
	return checkoutAnswer(e, url, pay, target, redemption)
}

// checkoutTarget is what a checkout pays for: a new pending purchase of
// the package (for the caller, or the student staff buy for), or the
// caller's unpaid lesson.
func checkoutTarget(e *core.RequestEvent, in checkoutBody) (*core.Record, error) {
	if (in.Package == "") == (in.Booking == "") {
		return nil, platform.RuleError(http.StatusBadRequest, "package", "validation_required", "Choose a package, or the lesson to pay for.")
	}
	if err := platform.RequireVerifiedEmail(e, map[bool]string{true: "package", false: "booking"}[in.Package != ""]); err != nil {
		return nil, err
	}
	if in.Booking != "" {
		return payableBooking(e, in.Booking)
	}
	if in.Family && e.Auth.GetString("role") == platform.RoleGuardian {
		return newPurchase(e.App, in.Package, e.Auth.Id) // the family's: the guardian holds its credits
	}
	student, err := platform.StudentFor(e, in.Student)
	if err != nil {
		return nil, err
	}
	return newPurchase(e.App, in.Package, student)
}

// checkoutAnswer is the payment (and purchase), with where to pay: the
// provider's page, or the school's instructions; and the discount of a
// promotion code used.
func checkoutAnswer(e *core.RequestEvent, url string, pay, target, redemption *core.Record) error {
	out := map[string]any{}
	if redemption != nil {
		out["discount"] = map[string]any{"code": redemption.GetString("code"), "amount": redemption.GetInt("amount")}
	}
	if url != "" {
		out["url"] = url
	} else {
		school, err := platform.LoadSchool(e.App)
		if err != nil {
			return err
		}
		out["instructions"] = school.PaymentInstructions
		if target.Collection().Name == "bookings" {
			out["instructions"] = school.LessonInstructions // a lesson is paid quoting its date, not a package
		}
	}
	if err := apis.EnrichRecord(e, pay); err != nil {
		return err
	}
	out["payment"] = pay
	if target.Collection().Name == "purchases" {
		if err := apis.EnrichRecord(e, target); err != nil {
			return err
		}
		out["purchase"] = target
	}
	return e.JSON(http.StatusOK, out)
}

// newPurchase is a pending purchase of a published package of a bookable
// tutor, with the package's terms copied onto it.
func newPurchase(app core.App, packageId, student string) (*core.Record, error) {
	pkg, err := app.FindRecordById("packages", packageId)
	if err != nil || pkg.GetString("status") != "published" {
		return nil, platform.RuleError(http.StatusBadRequest, "package", "unavailable", "This package is not on sale.")
	}
	t, err := platform.LoadTutor(app, pkg.GetString("tutor"))
	if err != nil || !t.Bookable() {
		return nil, platform.RuleError(http.StatusBadRequest, "package", "unavailable", "This tutor is not taking students.")
	}
	col, err := app.FindCachedCollectionByNameOrId("purchases")
	if err != nil {
		return nil, err
	}
	p := core.NewRecord(col)
	p.Load(map[string]any{
		"student": student, "package": pkg.Id, "tutor": t.Id,
		"lessons": pkg.GetInt("lessons"), "minutes": pkg.GetInt("minutes"),
		"list_price": pkg.GetInt("price"), "discount_percent": pkg.GetInt("discount_percent"),
		"amount": pkg.GetInt("effective_price"), "currency": pkg.GetString("currency"),
		"status": "pending", "provider": "manual", "credits_total": 0, "credits_used": 0,
	})
	return p, nil
}

// payableBooking is the caller's (or, for staff, anyone's) unpaid
// pay-per-lesson booking that is still on.
func payableBooking(e *core.RequestEvent, id string) (*core.Record, error) {
	b, err := e.App.FindRecordById("bookings", id)
	if err == nil && e.Auth.GetString("role") == platform.RoleGuardian {
		if ok, gerr := platform.IsGuardianOf(e.App, e.Auth.Id, b.GetString("student")); gerr == nil && ok {
			return b, nil
		}
	}
	if err != nil || (!platform.IsStaff(e) && b.GetString("student") != e.Auth.Id) {
		return nil, platform.RuleError(http.StatusBadRequest, "booking", "validation_missing_rel_records", "Unknown lesson.")
	}
	if b.GetString("payment_status") != "unpaid" || b.GetString("status") == platform.StatusCancelled {
		return nil, platform.RuleError(http.StatusBadRequest, "booking", "not_payable", "This lesson has nothing to pay.")
	}
	return b, nil
}

// PendingPayment returns target's pending payment, creating it if needed.
func PendingPayment(tx core.App, target *core.Record) (*core.Record, error) {
	field, kind := "purchase", "purchase"
	amount, currency, user := target.GetInt("amount"), target.GetString("currency"), target.GetString("student")
	description := "Package"
	if target.Collection().Name == "bookings" {
		field, kind = "booking", "lesson"
		amount = target.GetInt("price")
		description = lessonLine(tx, target)
	} else if pkg, err := tx.FindRecordById("packages", target.GetString("package")); err == nil {
		description = pkg.GetString("title")
	}
	existing, err := tx.FindFirstRecordByFilter("payments", field+" = {:id} && status = 'pending'", map[string]any{"id": target.Id})
	if err == nil {
		return existing, nil
	}
	col, err := tx.FindCachedCollectionByNameOrId("payments")
	if err != nil {
		return nil, err
	}
	p := core.NewRecord(col)
	p.Load(map[string]any{
		"user": user, "payer": user, "student": target.GetString("student"), field: target.Id, "kind": kind, "amount": amount, "currency": currency,
		"status": PaymentPending, "provider": "manual", "description": description,
	})
	return p, tx.Save(p)
}

// startCheckout starts paying a pending payment with the provider (reusing
// the session it has) and records the session on the payment. It returns
// where to send the payer: "" when they follow the school's instructions.
func (s *Service) startCheckout(ctx context.Context, app core.App, pay, target *core.Record) (string, error) {
	if url := pay.GetString("checkout_url"); url != "" && pay.GetString("provider") == s.provider.Name() {
		return url, nil
	}
	u, _ := app.FindRecordById("users", pay.GetString("user"))
	email := ""
	if u != nil {
		email = u.Email()
	}
	kind := "purchase"
	if target.Collection().Name == "bookings" {
		kind = "booking"
	}
	appURL := s.env.Config.AppURL
	sess, err := s.provider.Checkout(ctx, billing.CheckoutRequest{
		Reference: target.Id, Kind: kind, Payment: pay.Id, Description: pay.GetString("description"),
		Amount: int64(pay.GetInt("amount")), Currency: pay.GetString("currency"), Email: email,
		SuccessURL: appURL + "/checkout/success?session_id={CHECKOUT_SESSION_ID}",
		CancelURL:  appURL + "/checkout/cancel?payment=" + pay.Id,
	})
	if err != nil || sess.URL == "" {
		return "", err
	}
	pay.Set("provider", s.provider.Name())
	pay.Set("checkout_session", sess.ID) // provider_id becomes the provider's payment id once paid
	pay.Set("checkout_url", sess.URL)
	if target.Collection().Name == "purchases" {
		target.Set("provider", s.provider.Name())
		target.Set("provider_ref", sess.ID)
		if err := app.Save(target); err != nil {
			return "", err
		}
	}
	return sess.URL, app.Save(pay)
}

type markPaidBody struct {
	Method    string `json:"method"`
	Reference string `json:"reference"`
}

func (in markPaidBody) validate() error {
	errs := validation.Errors{}
	if !slices.Contains(manualMethods, in.Method) {
		errs["method"] = validation.NewError("validation_invalid_value", "The method is cash, transfer or other.")
	}
	if len([]rune(in.Reference)) > 200 {
		errs["reference"] = validation.NewError("validation_max_text_constraint", "Keep the reference under 200 characters.")
	}
	if len(errs) > 0 {
		return apis.NewBadRequestError("Invalid payment.", errs)
	}
	return nil
}

// MarkPurchasePaid and MarkBookingPaid record a payment taken outside
// Tutorbase (cash, bank transfer): staff only.
func (s *Service) MarkPurchasePaid(e *core.RequestEvent) error { return s.markPaid(e, "purchases") }
func (s *Service) MarkBookingPaid(e *core.RequestEvent) error  { return s.markPaid(e, "bookings") }

func (s *Service) markPaid(e *core.RequestEvent, collection string) error {
	var in markPaidBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError(`The body must be JSON: {"method": "cash", "reference": "..."}.`, nil)
	}
	if err := in.validate(); err != nil {
		return err
	}
	target, err := e.App.FindRecordById(collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	var pay *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById(collection, target.Id) // read under the write lock
		if err != nil {
			return err
		}
		if !awaitingPayment(fresh) {
			return platform.RuleError(http.StatusBadRequest, "status", platform.CodeBadState, "There is nothing to pay here.")
		}
		target = fresh
		if pay, err = PendingPayment(tx, target); err != nil {
			return err
		}
		if err := s.RecordPayment(tx, pay, Paid{Provider: "manual", Method: in.Method, Reference: strings.TrimSpace(in.Reference), At: s.env.Now()}); err != nil {
			return err
		}
		s.paymentReceived(tx, pay)
		return nil
	})
	if err != nil {
		return err
	}
	platform.Audit(e, collection+".mark_paid", collection, target.Id, map[string]any{"method": in.Method, "payment": pay.Id})
	if fresh, err := e.App.FindRecordById(collection, target.Id); err == nil {
		target = fresh
	}
	if err := apis.EnrichRecord(e, target); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, target)
}

func awaitingPayment(r *core.Record) bool {
	if r.Collection().Name == "purchases" {
		return r.GetString("status") == "pending"
	}
	return r.GetString("payment_status") == "unpaid" && r.GetString("status") != platform.StatusCancelled
}

// Paid is how a payment was settled.
type Paid struct {
	Provider, Method, Reference string
	ProviderID                  string // Stripe PaymentIntent (else the session)
	Amount                      int64  // 0: the payment's own amount
	At                          time.Time
}

// RecordPayment settles a pending payment in tx: the payment becomes paid,
// what it paid for is fulfilled (a purchase's credits, a lesson's
// payment_status) and its invoice is issued, with a gapless number, in the
// same transaction. It is a no-op for a payment already paid.
func (s *Service) RecordPayment(tx core.App, pay *core.Record, how Paid) error {
	if pay.GetString("status") != PaymentPending && pay.GetString("status") != PaymentFailed {
		return nil // forward only
	}
	pay.Set("status", PaymentPaid)
	pay.Set("provider", how.Provider)
	pay.Set("method", how.Method)
	pay.Set("reference", how.Reference)
	pay.Set("paid_at", how.At)
	if how.ProviderID != "" {
		pay.Set("provider_id", how.ProviderID)
	}
	if how.Amount > 0 {
		pay.Set("amount", how.Amount)
	}
	if err := tx.Save(pay); err != nil {
		return err
	}
	if id := pay.GetString("purchase"); id != "" {
		p, err := tx.FindRecordById("purchases", id)
		if err != nil {
			return err
		}
		ref := strings.TrimSpace(how.Method + " " + how.Reference)
		if how.Provider != "manual" { // a provider names the payment itself
			ref = pay.GetString("provider_id")
		}
		if err := credits.Fulfil(tx, p, how.Provider, ref, how.At); err != nil {
			return err
		}
	}
	if id := pay.GetString("booking"); id != "" {
		b, err := tx.FindRecordById("bookings", id)
		if err != nil {
			return err
		}
		b.Set("payment_status", "paid")
		if err := tx.Save(b); err != nil {
			return err
		}
	}
	_, err := s.issueInvoice(tx, pay, nil)
	return err
}

// paymentReceived tells the payer, in tx, the payment's transaction.
func (s *Service) paymentReceived(tx core.App, pay *core.Record) {
	ev := notify.Event{Kind: notify.KindPaymentReceived, Amount: int64(pay.GetInt("amount")), Currency: pay.GetString("currency"),
		Link: tx.Settings().Meta.AppURL + "/payments"}
	if id := pay.GetString("purchase"); id != "" {
		if p, err := tx.FindRecordById("purchases", id); err == nil {
			ev.Credits = p.GetInt("credits_total")
			ev.ExpiresAt = p.GetDateTime("expires_at").Time()
		}
	}
	s.notes.Notify(tx, []string{pay.GetString("user")}, ev, map[string]any{"payment": pay.Id})
}

// CancelPurchase drops a purchase that was never paid: the student's own or
// any, for staff.
func (s *Service) CancelPurchase(e *core.RequestEvent) error {
	p, err := e.App.FindRecordById("purchases", e.Request.PathValue("id"))
	if err != nil || (!platform.IsStaff(e) && p.GetString("student") != e.Auth.Id) {
		return e.NotFoundError("", nil)
	}
	if err := s.CancelUnpaidPurchase(e.App, p); err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, p); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, p)
}

// CancelUnpaidPurchase cancels a pending purchase and its pending payments.
func (s *Service) CancelUnpaidPurchase(app core.App, p *core.Record) error {
	return app.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("purchases", p.Id)
		if err != nil {
			return err
		}
		if fresh.GetString("status") != "pending" {
			return platform.RuleError(http.StatusBadRequest, "status", platform.CodeBadState, "Only a pending purchase can be cancelled.")
		}
		fresh.Set("status", "cancelled")
		if err := tx.Save(fresh); err != nil {
			return err
		}
		*p = *fresh
		return FailPending(tx, "purchase", p.Id)
	})
}

// FailPending marks the pending payments of a purchase or booking failed.
func FailPending(tx core.App, field, id string) error {
	pending, err := tx.FindRecordsByFilter("payments", field+" = {:id} && status = 'pending'", "", 0, 0, map[string]any{"id": id})
	if err != nil {
		return err
	}
	for _, pay := range pending {
		pay.Set("status", PaymentFailed)
		if err := tx.Save(pay); err != nil {
			return err
		}
	}
	return nil
}

// payerOf is who pays at a checkout: the caller, unless staff act for the
// student (then whoever the target already names).
func payerOf(e *core.RequestEvent, target *core.Record) string {
	if platform.IsStaff(e) {
		return cmp.Or(target.GetString("payer"), target.GetString("student"))
	}
	return e.Auth.Id
}

// setPayer records payer on a pending payment (the record becomes theirs:
// its user) and on a purchase without one: the last person to start
// paying is the one who pays. The invoice is made out to them.
func setPayer(tx core.App, pay, target *core.Record, payer string) error {
	if target.Collection().Name == "purchases" && target.GetString("payer") == "" {
		target.Set("payer", payer)
		if err := tx.Save(target); err != nil {
			return err
		}
	}
	if pay.GetString("payer") == payer && pay.GetString("user") == payer {
		return nil
	}
	pay.Set("payer", payer)
	pay.Set("user", payer)
	return tx.Save(pay)
}
