package payouts

import (
	"context"
	"errors"
	"net/http"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/billing"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// payoutAccountTutor is the tutor whose payout account a request is about:
// the caller's own, or for staff the one named by ?tutor=.
func payoutAccountTutor(e *core.RequestEvent) (*core.Record, error) {
	if platform.IsStaff(e) {
		id := e.Request.URL.Query().Get("tutor")
		if id == "" {
			return nil, platform.RuleError(http.StatusBadRequest, "tutor", "validation_required", "Name the tutor.")
		}
		t, err := e.App.FindRecordById("tutors", id)
		if err != nil {
			return nil, e.NotFoundError("", nil)
		}
		return t, nil
	}
	t, err := e.App.FindFirstRecordByData("tutors", "user", e.Auth.Id)
	if err != nil {
		return nil, e.NotFoundError("", nil)
	}
	return t, nil
}

// PayoutAccount answers the status of a tutor's payout account, read from
// the provider now (and kept on the tutor): {by_hand} when the school pays
// tutors itself, else {connected, status}, status being details_needed,
// pending or enabled.
func (s *Service) PayoutAccount(e *core.RequestEvent) error {
	t, err := payoutAccountTutor(e)
	if err != nil {
		return err
	}
	account := t.GetString("stripe_account")
	if account == "" {
		_, err := s.provider.PayoutAccount(e.Request.Context(), "")
		return e.JSON(http.StatusOK, map[string]any{"by_hand": errors.Is(err, billing.ErrByHand), "connected": false, "status": ""})
	}
	st, err := s.provider.PayoutAccount(e.Request.Context(), account)
	if errors.Is(err, billing.ErrByHand) { // an account staff typed while the school pays by hand
		return e.JSON(http.StatusOK, map[string]any{"by_hand": true, "connected": true, "status": t.GetString("payout_status")})
	}
	if err != nil {
		e.App.Logger().Error("payout account not read", "tutor", t.Id, "error", err)
		return apis.NewApiError(http.StatusBadGateway, "The payment provider is not answering; please try again in a minute.", nil)
	}
	if err := s.keepStatus(e.App, t.Id, account, st.Status()); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"by_hand": false, "connected": true, "status": st.Status()})
}

// keepStatus stores what the provider said of account on the tutor, if
// the tutor still has that account (re-read under the write lock).
func (s *Service) keepStatus(app core.App, tutor, account, status string) error {
	_, err := s.setAccount(app, tutor, account, account, status)
	return err
}

// setAccount sets, in one transaction, the tutor's account to account and
// its status, if its account is still was; it reports whether it did.
func (s *Service) setAccount(app core.App, tutor, was, account, status string) (bool, error) {
	done := false
	err := app.RunInTransaction(func(tx core.App) error {
		fresh, err := tx.FindRecordById("tutors", tutor)
		if err != nil || fresh.GetString("stripe_account") != was {
			return err
		}
		fresh.Set("stripe_account", account)
		fresh.Set("payout_status", status)
		fresh.Set("payout_checked_at", s.env.Now())
		done = true
		return tx.Save(fresh)
	})
	return done, err
}

// PayoutAccountLink answers {url}: the provider's page where the tutor
// sets up (or finishes, or updates) their payout account. The first call
// creates the account and keeps its id on the tutor by compare-and-set, so
// concurrent calls keep one account.
func (s *Service) PayoutAccountLink(e *core.RequestEvent) error {
	t, err := payoutAccountTutor(e)
	if err != nil {
		return err
	}
	email := ""
	if u, err := e.App.FindRecordById("users", t.GetString("user")); err == nil {
		email = u.Email()
	}
	o, err := s.onboard(e.Request.Context(), e.App, t, email)
	if errors.Is(err, billing.ErrByHand) {
		return platform.RuleError(http.StatusBadRequest, "tutor", "by_hand", "The school pays tutors itself; there is no account to connect.")
	}
	if err != nil {
		e.App.Logger().Error("payout onboarding failed", "tutor", t.Id, "error", err)
		return apis.NewApiError(http.StatusBadGateway, "The payment provider is not answering; please try again in a minute.", nil)
	}
	platform.Audit(e, "payout.onboarding", "tutors", t.Id, nil)
	return e.JSON(http.StatusOK, map[string]any{"url": o.URL})
}

// onboard opens t's account with the provider and keeps a new account's id
// on t unless another request kept one first; the link is then for the
// account kept.
func (s *Service) onboard(ctx context.Context, app core.App, t *core.Record, email string) (billing.Onboarding, error) {
	back := s.env.Config.AppURL + "/tutor/earnings"
	req := billing.OnboardRequest{Account: t.GetString("stripe_account"), Tutor: t.Id, Email: email,
		RefreshURL: back + "?onboarding=again", ReturnURL: back + "?onboarding=done"}
	o, err := s.provider.Onboard(ctx, req)
	if err != nil || req.Account != "" {
		return o, err
	}
	kept, err := s.setAccount(app, t.Id, "", o.Account, billing.PayoutDetailsNeeded)
	if err != nil || kept {
		return o, err
	}
	fresh, err := app.FindRecordById("tutors", t.Id) // another request kept its account first: link that one
	if err != nil {
		return o, err
	}
	req.Account = fresh.GetString("stripe_account")
	return s.provider.Onboard(ctx, req)
}
