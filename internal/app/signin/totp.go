package signin

import (
	"cmp"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/mfa"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// RememberFor is how long a device remembered after a second factor may
// sign in with the password alone.
const RememberFor = 30 * 24 * time.Hour

// HeaderDevice carries a remembered device's secret on a sign-in.
const HeaderDevice = "X-Device-Token"

// codeError is the 400 for a code that is not right (or not any more).
func codeError() error {
	return apis.NewBadRequestError("That code is not right.", validation.Errors{
		"code": validation.NewError("invalid_code", "That code is not right, or was used already. Try the next one.")})
}

func readCode(e *core.RequestEvent) (string, error) {
	var body struct {
		Code string `json:"code"`
	}
	if err := e.BindBody(&body); err != nil || strings.TrimSpace(body.Code) == "" {
		return "", apis.NewBadRequestError("Type the code.", validation.Errors{
			"code": validation.NewError("validation_required", "Type the code from your authenticator app.")})
	}
	return body.Code, nil
}

// mustKeepApp reports whether u may not turn the authenticator app off:
// staff, and tutors when the school requires a second factor of them.
func mustKeepApp(app core.App, u *core.Record) bool {
	switch u.GetString("role") {
	case platform.RoleAdmin:
		return true
	case platform.RoleTutor:
		s, err := platform.LoadSchool(app)
		return err != nil || s.TutorsNeedMFA
	}
	return false
}

// SetupTOTP answers POST /api/me/totp/setup: a new secret to enrol in an
// authenticator app, as a QR code and as text. It takes effect only once
// a code from the app confirms it (EnableTOTP), so setting up again (a
// new phone) leaves the current app working until then.
func (s *Service) SetupTOTP(e *core.RequestEvent) error {
	issuer := "Tutorbase"
	if school, err := platform.LoadSchool(e.App); err == nil && school.Name != "" {
		issuer = school.Name
	}
	secret, url, err := mfa.NewKey(issuer, e.Auth.Email())
	if err != nil {
		return err
	}
	png, err := mfa.QRCode(url, 240)
	if err != nil {
		return err
	}
	u, err := e.App.FindRecordById("users", e.Auth.Id)
	if err != nil {
		return err
	}
	u.Set("totp_pending", secret)
	if err := e.App.Save(u); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{
		"secret": secret, "url": url, "qr": "data:image/png;base64," + base64.StdEncoding.EncodeToString(png),
	})
}

// EnableTOTP answers POST /api/me/totp/enable {code}: the code from the
// app proves it holds the secret being set up; the app becomes the
// person's second factor and they get ten recovery codes, shown once.
func (s *Service) EnableTOTP(e *core.RequestEvent) error {
	code, err := readCode(e)
	if err != nil {
		return err
	}
	var codes []string
	err = e.App.RunInTransaction(func(tx core.App) error {
		u, err := tx.FindRecordById("users", e.Auth.Id)
		if err != nil {
			return err
		}
		pending := u.GetString("totp_pending")
		if pending == "" {
			return platform.RuleError(http.StatusBadRequest, "code", platform.CodeBadState, "Set up the app first: scan the QR code, then type its code.")
		}
		step, ok := mfa.Verify(pending, code, s.env.Now(), 0)
		if !ok {
			return codeError()
		}
		var hashes []string
		if codes, hashes, err = mfa.NewRecoveryCodes(mfa.RecoveryCodes); err != nil {
			return err
		}
		u.Set("totp_secret", pending)
		u.Set("totp_pending", "")
		u.Set("totp_enabled", true)
		u.Set("totp_last_step", step)
		u.Set("recovery_codes", hashes)
		return tx.Save(u)
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "mfa.totp_enabled", "users", e.Auth.Id, nil)
	return e.JSON(http.StatusOK, map[string]any{"recovery_codes": codes})
}

// DisableTOTP answers POST /api/me/totp/disable {code}: with a code from
// the app (or a recovery code) the app stops being asked for; its
// remembered devices are forgotten. Staff, and tutors where the school
// requires it, keep it (they may set up a new phone instead).
func (s *Service) DisableTOTP(e *core.RequestEvent) error {
	code, err := readCode(e)
	if err != nil {
		return err
	}
	if mustKeepApp(e.App, e.Auth) {
		return platform.RuleError(http.StatusBadRequest, "code", "mfa_required", "Your school requires a second factor for your account: set up a new phone instead of turning it off.")
	}
	err = e.App.RunInTransaction(func(tx core.App) error {
		u, ok, err := s.useCode(tx, e.Auth.Id, code)
		if err != nil || !ok {
			return cmp.Or(err, codeError())
		}
		for _, f := range []string{"totp_secret", "totp_pending", "recovery_codes", fieldTrusted} {
			u.Set(f, nil)
		}
		u.Set("totp_enabled", false)
		u.Set("totp_last_step", 0)
		return tx.Save(u)
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "mfa.totp_disabled", "users", e.Auth.Id, nil)
	return e.NoContent(http.StatusNoContent)
}

// NewRecoveryCodes answers POST /api/me/totp/recovery-codes {code}: ten
// new recovery codes replace the old ones.
func (s *Service) NewRecoveryCodes(e *core.RequestEvent) error {
	code, err := readCode(e)
	if err != nil {
		return err
	}
	var codes []string
	err = e.App.RunInTransaction(func(tx core.App) error {
		u, ok, err := s.useCode(tx, e.Auth.Id, code)
		if err != nil || !ok {
			return cmp.Or(err, codeError())
		}
		var hashes []string
		if codes, hashes, err = mfa.NewRecoveryCodes(mfa.RecoveryCodes); err != nil {
			return err
		}
		u.Set("recovery_codes", hashes)
		return tx.Save(u)
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "mfa.recovery_codes", "users", e.Auth.Id, nil)
	return e.JSON(http.StatusOK, map[string]any{"recovery_codes": codes})
}

// useCode spends a code of the user's app (each step once) or one of
// their recovery codes, re-reading them under the transaction's write
// lock, so a code works once however many requests carry it. It returns
// the user with the change made but not saved.
func (s *Service) useCode(tx core.App, userID, code string) (*core.Record, bool, error) {
	u, err := tx.FindRecordById("users", userID)
	if err != nil {
		return nil, false, err
	}
	if !u.GetBool("totp_enabled") {
		return u, false, nil
	}
	if step, ok := mfa.Verify(u.GetString("totp_secret"), code, s.env.Now(), int64(u.GetInt("totp_last_step"))); ok {
		u.Set("totp_last_step", step)
		return u, true, tx.Save(u)
	}
	var hashes []string
	if err := platform.DecodeJSON(u.Get("recovery_codes"), &hashes); err != nil {
		return nil, false, err
	}
	if i := mfa.MatchRecovery(hashes, code); i >= 0 {
		hashes = append(hashes[:i:i], hashes[i+1:]...)
		u.Set("recovery_codes", hashes)
		return u, true, tx.Save(u)
	}
	return u, false, nil
}
