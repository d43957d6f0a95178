package privacy

import (
	"net/http"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/app/signin"
	"tutorbase/internal/password"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// EndErasureRequested is why a deletion request ended a person's sessions.
const EndErasureRequested = "erasure_requested"

type deleteBody struct {
	Password string `json:"password"`
	OTPID    string `json:"otpId"`
	Code     string `json:"code"`
}

// RequestDeletion is POST /api/me/delete: with the caller's password, or
// a one-time code the school emailed them ({"otpId", "code"}, for
// accounts without a password), their account is erased after Grace.
// Every session ends now; signing in again before then cancels it.
// Answers {"erase_after": date}.
func (s *Service) RequestDeletion(e *core.RequestEvent) error {
	var in deleteBody
	if err := e.BindBody(&in); err != nil {
		return e.BadRequestError(`The body must be JSON: {"password": "..."}.`, nil)
	}
	if !proven(e.App, e.Auth, in) {
		return platform.RuleError(http.StatusBadRequest, "password", "invalid_password", "The password or code is not right.")
	}
	after := s.env.Now().UTC().Add(Grace)
	err := e.App.RunInTransaction(func(tx core.App) error {
		u, err := tx.FindRecordById("users", e.Auth.Id)
		if err != nil {
			return err
		}
		if asked := u.GetDateTime("erase_after"); !asked.IsZero() {
			after = asked.Time() // asked already (at once from another tab): one request
			return nil
		}
		u.Set("erase_after", after)
		if err := tx.SaveNoValidate(u); err != nil {
			return err
		}
		// signed out everywhere (the sessions list says why): signing in is what cancels
		if err := signin.SignOutEverywhere(tx, u.Id, EndErasureRequested, s.env.Now()); err != nil {
			return err
		}
		platform.AuditIn(tx, e, "privacy.erasure_requested", "users", u.Id, map[string]any{"erase_after": after})
		return nil
	})
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"erase_after": after.Format(time.RFC3339)})
}

// proven reports whether in proves that u is asking: their password, or
// an unexpired one-time code sent to them (used up by the check).
func proven(app core.App, u *core.Record, in deleteBody) bool {
	if in.Password != "" {
		return u.ValidatePassword(password.Prehash(in.Password))
	}
	if in.OTPID == "" || in.Code == "" {
		return false
	}
	otp, err := app.FindOTPById(in.OTPID)
	if err != nil || otp.RecordRef() != u.Id || otp.CollectionRef() != u.Collection().Id {
		return false
	}
	if otp.HasExpired(u.Collection().OTP.DurationTime()) || !otp.ValidatePassword(in.Code) {
		return false
	}
	return app.Delete(otp) == nil
}

// cancelOnSignIn clears a requested erasure when its person signs in
// (any method), telling the web app in the answer's meta.
func (s *Service) cancelOnSignIn(e *core.RecordAuthRequestEvent) error {
	if e.Record.GetString("erase_after") == "" {
		return e.Next()
	}
	res, err := e.App.DB().Update("users", dbx.Params{"erase_after": ""},
		dbx.NewExp("id = {:id} AND erase_after != ''", dbx.Params{"id": e.Record.Id})).Execute()
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		e.Record.Set("erase_after", "")
		platform.AuditIn(e.App, e.RequestEvent, "privacy.erasure_cancelled", "users", e.Record.Id, nil)
		meta, _ := e.Meta.(map[string]any)
		if meta == nil && e.Meta == nil {
			meta = map[string]any{}
		}
		if meta != nil {
			meta["erasureCancelled"] = true
			e.Meta = meta
		}
	}
	return e.Next()
}
