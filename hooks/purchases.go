package hooks

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"tutorbase/internal/notify"

	validation "github.com/go-ozzo/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Manual payment methods an admin records.
var manualMethods = []string{"cash", "transfer", "other"}

func registerPurchases(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		auth := apis.RequireAuth("users", core.CollectionNameSuperusers)
		se.Router.POST("/api/purchases/checkout", checkoutRoute).Bind(auth)
		se.Router.POST("/api/purchases/{id}/mark-paid", markPurchasePaid).Bind(auth)
		se.Router.POST("/api/purchases/{id}/cancel", cancelPurchase).Bind(auth)
		return se.Next()
	})
}

type checkoutBody struct {
	Package string `json:"package"`
	Booking string `json:"booking"`
	Student string `json:"student"`
}

// checkoutRoute starts buying a package: a pending purchase with the
// package's terms frozen, and how to pay (the school's instructions in
// manual mode).
func checkoutRoute(e *core.RequestEvent) error {
	var in checkoutBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("The body must be JSON: {\"package\": \"...\"}.", nil)
	}
	if in.Package == "" {
		return ruleError(http.StatusBadRequest, "package", "validation_required", "Choose a package.")
	}
	student, err := seriesStudent(e, in.Student) // the caller, or whom staff buy for
	if err != nil {
		return err
	}
	p, err := newPurchase(e.App, in.Package, student)
	if err != nil {
		return err
	}
	if err := e.App.Save(p); err != nil {
		return err
	}
	school, err := LoadSchool(e.App)
	if err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, p); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"purchase": p, "instructions": school.PaymentInstructions})
}

// newPurchase is a pending purchase of a published package of a bookable
// tutor, with the package's terms copied onto it.
func newPurchase(app core.App, packageId, student string) (*core.Record, error) {
	pkg, err := app.FindRecordById("packages", packageId)
	if err != nil || pkg.GetString("status") != "published" {
		return nil, ruleError(http.StatusBadRequest, "package", "unavailable", "This package is not on sale.")
	}
	t, err := loadTutor(app, pkg.GetString("tutor"))
	if err != nil || !t.bookable() {
		return nil, ruleError(http.StatusBadRequest, "package", "unavailable", "This tutor is not taking students.")
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

type markPaidBody struct {
	Method    string `json:"method"`
	Reference string `json:"reference"`
}

// markPurchasePaid records a payment taken outside Tutorbase (cash, bank
// transfer): staff only.
func markPurchasePaid(e *core.RequestEvent) error {
	if !isStaff(e) {
		return e.ForbiddenError("Only school staff record payments.", nil)
	}
	var in markPaidBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError("The body must be JSON: {\"method\": \"cash\", \"reference\": \"...\"}.", nil)
	}
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
	p, err := e.App.FindRecordById("purchases", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("purchases", p.Id) // read under the write lock
		if err != nil {
			return err
		}
		if fresh.GetString("status") != "pending" {
			return ruleError(http.StatusBadRequest, "status", "bad_state", "Only a pending purchase can be marked paid.")
		}
		p = fresh
		return FulfilPurchase(tx, p, "manual", strings.TrimSpace(in.Method+" "+in.Reference), time.Now())
	})
	if err != nil {
		return err
	}
	Audit(e, "purchase.mark_paid", "purchases", p.Id, map[string]any{"method": in.Method})
	Notify(e.App, []string{p.GetString("student")}, notify.Event{
		Kind: notify.KindPaymentReceived, Amount: int64(p.GetInt("amount")), Currency: p.GetString("currency"),
		Credits: p.GetInt("credits_total"), ExpiresAt: p.GetDateTime("expires_at").Time(),
		Link: e.App.Settings().Meta.AppURL + "/credits",
	}, map[string]any{"purchase": p.Id})
	if err := apis.EnrichRecord(e, p); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, p)
}

// cancelPurchase drops a purchase that was never paid: the student's own or
// any, for staff.
func cancelPurchase(e *core.RequestEvent) error {
	p, err := e.App.FindRecordById("purchases", e.Request.PathValue("id"))
	if err != nil || (!isStaff(e) && p.GetString("student") != e.Auth.Id) {
		return e.NotFoundError("", nil)
	}
	if p.GetString("status") != "pending" {
		return ruleError(http.StatusBadRequest, "status", "bad_state", "Only a pending purchase can be cancelled.")
	}
	p.Set("status", "cancelled")
	if err := e.App.Save(p); err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, p); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, p)
}
