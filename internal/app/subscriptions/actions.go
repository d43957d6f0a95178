package subscriptions

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"tutorbase/internal/app/payments"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// errProvider answers a provider that does not answer.
func errProvider(e *core.RequestEvent, what string, err error) error {
	e.App.Logger().Error("subscription provider call failed", "call", what, "error", err)
	return apis.NewApiError(http.StatusBadGateway, "The payment provider is not answering; please try again in a minute.", nil)
}

// livePlan is an active plan, or a clear 400 on field.
func livePlan(app core.App, id, field string) (*core.Record, error) {
	plan, err := app.FindRecordById("plans", id)
	if err != nil || !plan.GetBool("active") {
		return nil, platform.RuleError(http.StatusBadRequest, field, "unavailable", "This plan is not on sale.")
	}
	return plan, nil
}

// Subscribe starts the caller's subscription to a plan (a guardian's for
// one of their students, staff's for anyone): a new incomplete
// subscription, or the caller's incomplete one to that plan again, so a
// repeated click opens the same checkout. In Stripe mode it answers the
// Checkout URL; in manual mode the school's instructions (staff then renew
// the first period by hand).
func (s *Service) Subscribe(e *core.RequestEvent) error {
	var in struct{ Plan, Student string }
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError(`The body must be JSON: {"plan": "..."}.`, nil)
	}
	if err := platform.RequireVerifiedEmail(e, "plan"); err != nil {
		return err
	}
	plan, err := livePlan(e.App, in.Plan, "plan")
	if err != nil {
		return err
	}
	student, err := platform.StudentFor(e, in.Student)
	if err != nil {
		return err
	}
	payer := e.Auth.Id
	if platform.IsStaff(e) {
		payer = student
	}
	var sub *core.Record
	err = e.App.RunInTransaction(func(tx core.App) error {
		sub, err = openSubscription(tx, payer, student, plan, s.provider.Name())
		return err
	})
	if err != nil {
		return err
	}
	out := map[string]any{}
	if url := sub.GetString("checkout_url"); url != "" {
		out["url"] = url
	} else if url, err := s.startCheckout(e, sub, plan, payer); err != nil {
		return errProvider(e, "subscribe", err)
	} else if url != "" {
		out["url"] = url
	} else {
		school, err := platform.LoadSchool(e.App)
		if err != nil {
			return err
		}
		out["instructions"] = school.PaymentInstructions
	}
	if err := apis.EnrichRecord(e, sub); err != nil {
		return err
	}
	out["subscription"] = sub
	return e.JSON(http.StatusOK, out)
}

// openSubscription is payer's incomplete subscription to plan, created
// when they have none; any other live subscription is a 400.
func openSubscription(tx core.App, payer, student string, plan *core.Record, provider string) (*core.Record, error) {
	live, err := tx.FindFirstRecordByFilter("subscriptions", "user = {:u} && status != 'cancelled'", map[string]any{"u": payer})
	if err == nil {
		if live.GetString("status") == StatusIncomplete && live.GetString("plan") == plan.Id && live.GetString("student") == student {
			return live, nil
		}
		return nil, platform.RuleError(http.StatusBadRequest, "plan", "already_subscribed", "You already have a subscription: change its plan instead.")
	}
	col, err := tx.FindCachedCollectionByNameOrId("subscriptions")
	if err != nil {
		return nil, err
	}
	sub := core.NewRecord(col)
	sub.Load(map[string]any{"user": payer, "student": student, "plan": plan.Id, "status": StatusIncomplete, "provider": provider})
	return sub, tx.Save(sub)
}

// startCheckout opens the provider's checkout of sub ("" in manual mode)
// and keeps its URL on the subscription.
func (s *Service) startCheckout(e *core.RequestEvent, sub, plan *core.Record, payer string) (string, error) {
	email := ""
	if u, err := e.App.FindRecordById("users", payer); err == nil {
		email = u.Email()
	}
	appURL := s.env.Config.AppURL
	sess, err := s.provider.Subscribe(e.Request.Context(), billing.SubscribeRequest{
		Subscription: sub.Id, Description: plan.GetString("title"), Amount: int64(plan.GetInt("price")),
		Currency: plan.GetString("currency"), Interval: plan.GetString("interval"), Email: email,
		SuccessURL: appURL + "/subscription?checkout=done", CancelURL: appURL + "/plans",
	})
	if errors.Is(err, billing.ErrByHand) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	_, err = e.App.DB().NewQuery("UPDATE subscriptions SET checkout_url = {:u} WHERE id = {:id}").
		Bind(map[string]any{"u": sess.URL, "id": sub.Id}).Execute()
	sub.Set("checkout_url", sess.URL)
	return sess.URL, err
}

// ownSubscription is the subscription of the path that the caller pays
// for (any, for staff).
func ownSubscription(e *core.RequestEvent) (*core.Record, error) {
	sub, err := e.App.FindRecordById("subscriptions", e.Request.PathValue("id"))
	if err != nil || (!platform.IsStaff(e) && sub.GetString("user") != e.Auth.Id) {
		return nil, e.NotFoundError("", nil)
	}
	return sub, nil
}

// change runs fn on the subscription read again under the write lock, then
// answers it.
func change(e *core.RequestEvent, id string, fn func(tx core.App, sub *core.Record) error) error {
	var sub *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("subscriptions", id)
		if err != nil {
			return err
		}
		sub = fresh
		if err := fn(tx, sub); err != nil {
			return err
		}
		return tx.Save(sub)
	})
	if err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, sub); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, sub)
}

func badState(msg string) error {
	return platform.RuleError(http.StatusBadRequest, "status", platform.CodeBadState, msg)
}

// Cancel ends the subscription at the end of the period paid (an
// incomplete one, with nothing paid, at once). The provider is told first,
// with an idempotency key of the subscription's version (identical requests
// share it; a later cancel, after a resume in the provider's portal, has
// its own); the change is a compare-and-set, so of identical
// requests one changes it and the others are refused.
func (s *Service) Cancel(e *core.RequestEvent) error {
	sub, err := ownSubscription(e)
	if err != nil {
		return err
	}
	if sub.GetString("provider_ref") != "" && sub.GetString("status") != StatusCancelled && !sub.GetBool("cancel_at_period_end") {
		yes := true
		err := s.provider.ChangeSubscription(e.Request.Context(), billing.SubscriptionChange{ID: sub.GetString("provider_ref"), Key: "cancel-" + sub.Id + "-" + sub.GetString("updated"), CancelAtPeriodEnd: &yes})
		if err != nil && !errors.Is(err, billing.ErrByHand) {
			return errProvider(e, "cancel", err)
		}
	}
	err = change(e, sub.Id, func(tx core.App, sub *core.Record) error {
		switch {
		case sub.GetString("status") == StatusCancelled || sub.GetBool("cancel_at_period_end"):
			return badState("This subscription is already ending.")
		case sub.GetString("status") == StatusIncomplete:
			sub.Set("status", StatusCancelled)
		default:
			sub.Set("cancel_at_period_end", true)
		}
		return nil
	})
	if err == nil {
		platform.Audit(e, "subscriptions.cancel", "subscriptions", sub.Id, nil)
	}
	return err
}

// ChangePlan chooses the plan of the next periods (the period paid keeps
// its credits and price). Choosing the current plan again undoes a change.
func (s *Service) ChangePlan(e *core.RequestEvent) error {
	var in struct{ Plan string }
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError(`The body must be JSON: {"plan": "..."}.`, nil)
	}
	sub, err := ownSubscription(e)
	if err != nil {
		return err
	}
	plan, err := livePlan(e.App, in.Plan, "plan")
	if err != nil {
		return err
	}
	current, err := e.App.FindRecordById("plans", sub.GetString("plan"))
	if err != nil {
		return err
	}
	if plan.GetString("currency") != current.GetString("currency") {
		return platform.RuleError(http.StatusBadRequest, "plan", "other_currency", "That plan is in another currency.")
	}
	if plan.GetString("interval") != current.GetString("interval") { // Stripe would start a new period at once
		return platform.RuleError(http.StatusBadRequest, "plan", "other_interval", "That plan renews at another interval: cancel this subscription and subscribe to it.")
	}
	if err := checkChange(sub, plan.Id); err != nil {
		return err
	}
	if ref := sub.GetString("provider_ref"); ref != "" {
		err := s.provider.ChangeSubscription(e.Request.Context(), billing.SubscriptionChange{ID: ref, Key: "plan-" + sub.Id + "-" + plan.Id + "-" + sub.GetString("updated"),
			Amount: int64(plan.GetInt("price")), Currency: plan.GetString("currency"), Interval: plan.GetString("interval"), Description: plan.GetString("title")})
		if err != nil && !errors.Is(err, billing.ErrByHand) {
			return errProvider(e, "change plan", err)
		}
	}
	err = change(e, sub.Id, func(tx core.App, sub *core.Record) error {
		if err := checkChange(sub, plan.Id); err != nil {
			return err
		}
		sub.Set("next_plan", map[bool]string{true: "", false: plan.Id}[plan.Id == sub.GetString("plan")])
		return nil
	})
	if err == nil {
		platform.Audit(e, "subscriptions.change_plan", "subscriptions", sub.Id, map[string]any{"plan": plan.Id})
	}
	return err
}

// checkChange refuses a plan change that changes nothing, or of a
// subscription that is not running.
func checkChange(sub *core.Record, plan string) error {
	switch {
	case !slices.Contains([]string{StatusActive, StatusPastDue}, sub.GetString("status")) || sub.GetBool("cancel_at_period_end"):
		return badState("Only a running subscription can change plan.")
	case plan == sub.GetString("next_plan") || (plan == sub.GetString("plan") && sub.GetString("next_plan") == ""):
		return platform.RuleError(http.StatusBadRequest, "plan", "unchanged", "That plan is already the one for the next period.")
	}
	return nil
}

// Portal answers a page of the provider where the payer manages their
// card (Stripe's customer portal).
func (s *Service) Portal(e *core.RequestEvent) error {
	sub, err := ownSubscription(e)
	if err != nil {
		return err
	}
	if sub.GetString("customer") == "" {
		return platform.RuleError(http.StatusBadRequest, "subscription", "no_card", "There is no card on file for this subscription.")
	}
	url, err := s.provider.BillingPortal(e.Request.Context(), sub.GetString("customer"), s.env.Config.AppURL+"/subscription")
	if errors.Is(err, billing.ErrByHand) {
		return platform.RuleError(http.StatusBadRequest, "subscription", "by_hand", "The school takes payments itself: there is no card to manage.")
	}
	if err != nil {
		return errProvider(e, "portal", err)
	}
	return e.JSON(http.StatusOK, map[string]any{"url": url})
}

type renewBody struct {
	Method    string `json:"method"`
	Reference string `json:"reference"`
	After     string `json:"after"` // the current period's end the staff saw ("" before the first)
}

// Renew records, for staff, the payment of a manual subscription's next
// period (the first one from now, each next one from where the last
// ended), with the same records a provider's renewal makes. The body names
// the period end staff saw: compare-and-set, so a repeated click renews
// once.
func (s *Service) Renew(e *core.RequestEvent) error {
	var in renewBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError(`The body must be JSON: {"method": "cash", "reference": "...", "after": "..."}.`, nil)
	}
	if !slices.Contains([]string{"cash", "transfer", "other"}, in.Method) {
		return apis.NewBadRequestError("Invalid payment.", validation.Errors{"method": validation.NewError("validation_invalid_value", "The method is cash, transfer or other.")})
	}
	sub, err := ownSubscription(e)
	if err != nil {
		return err
	}
	err = change(e, sub.Id, func(tx core.App, sub *core.Record) error {
		switch {
		case sub.GetString("provider") != "manual":
			return badState("The payment provider renews this subscription.")
		case sub.GetString("status") == StatusCancelled || sub.GetBool("cancel_at_period_end"):
			return badState("This subscription is ending: it is not renewed.")
		case strings.TrimSpace(in.After) != currentEnd(sub):
			return platform.RuleError(http.StatusConflict, "after", "stale", "This subscription was renewed meanwhile: reload it.")
		}
		plan, err := tx.FindRecordById("plans", sub.GetString("plan"))
		if err != nil {
			return err
		}
		if next := sub.GetString("next_plan"); next != "" && currentEnd(sub) != "" {
			if plan, err = tx.FindRecordById("plans", next); err != nil {
				return err
			}
		}
		school, err := platform.LoadSchool(tx)
		if err != nil {
			return err
		}
		start := s.env.Now().UTC()
		if end := sub.GetDateTime("current_period_end"); !end.IsZero() {
			start = end.Time()
		}
		_, err = s.addPeriod(tx, sub, period{start: start, end: billing.NextPeriod(start, plan.GetString("interval"), school.Location),
			amount: int64(plan.GetInt("price")), paid: payments.Paid{Provider: "manual", Method: in.Method, Reference: strings.TrimSpace(in.Reference), At: s.env.Now()}})
		return err
	})
	if err == nil {
		platform.Audit(e, "subscriptions.renew", "subscriptions", sub.Id, map[string]any{"method": in.Method})
	}
	return err
}

// currentEnd is the end of the period paid, as the API shows it ("" for
// none).
func currentEnd(sub *core.Record) string {
	if end := sub.GetDateTime("current_period_end"); !end.IsZero() {
		return end.String()
	}
	return ""
}
