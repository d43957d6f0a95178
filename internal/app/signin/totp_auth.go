package signin

import (
	"net/http"
	"sync"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/mfa"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cast"
)

// MethodTOTP is the auth method of the authenticator app (PocketBase's
// own are password, otp and oauth2).
const MethodTOTP = "totp"

// maxCodeFailures is how many wrong codes one sign-in in progress may
// take before it must start again (with the password, which the lockout
// counts).
const maxCodeFailures = 5

// failureCounts counts the wrong codes per sign-in in progress (mfaId).
type failureCounts struct{ m sync.Map }

func (f *failureCounts) add(id string) int {
	for {
		v, _ := f.m.LoadOrStore(id, 0)
		if f.m.CompareAndSwap(id, v, v.(int)+1) {
			return v.(int) + 1
		}
	}
}

func (s *Service) registerTOTP(app core.App) {
	app.OnRecordAuthRequest("users").BindFunc(s.secondFactorPolicy)
	app.OnRecordAuthRequest("users").BindFunc(s.rememberedDevice)
}

// pendingMFA finds the first step of a sign-in still waiting for its
// second factor, and whose it is.
func pendingMFA(app core.App, mfaID string) (*core.MFA, *core.Record, error) {
	bad := apis.NewBadRequestError("This sign-in has expired; start again.", validation.Errors{
		"mfaId": validation.NewError("invalid_mfa", "This sign-in has expired; start again.")})
	if mfaID == "" {
		return nil, nil, bad
	}
	m, err := app.FindMFAById(mfaID)
	if err != nil {
		return nil, nil, bad
	}
	users, err := app.FindCachedCollectionByNameOrId("users")
	if err != nil {
		return nil, nil, err
	}
	if m.CollectionRef() != users.Id || m.HasExpired(users.MFA.DurationTime()) {
		return nil, nil, bad
	}
	u, err := app.FindRecordById(users, m.RecordRef())
	if err != nil {
		return nil, nil, bad
	}
	return m, u, nil
}

// SecondFactors answers POST /api/auth/second-factors {mfaId}: which
// second factors the sign-in in progress may use: the authenticator app
// (once set up) and emailed codes (staff always; others without an app).
// Only who passed the first factor knows the mfaId.
func (s *Service) SecondFactors(e *core.RequestEvent) error {
	var body struct {
		MFAID string `json:"mfaId"`
	}
	_ = e.BindBody(&body)
	_, u, err := pendingMFA(e.App, body.MFAID)
	if err != nil {
		return err
	}
	app := u.GetBool("totp_enabled")
	return e.JSON(http.StatusOK, map[string]bool{"app": app, "email": !app || u.GetString("role") == platform.RoleAdmin})
}

// AuthWithTOTP answers POST /api/auth/totp {mfaId, code, remember}: the
// second step of a sign-in, with a code of the authenticator app or a
// recovery code. The answer is PocketBase's auth answer; with remember,
// its meta.device is the secret that lets this device skip the second
// factor for 30 days (sent back in the X-Device-Token header).
func (s *Service) AuthWithTOTP(e *core.RequestEvent) error {
	var body struct {
		MFAID    string `json:"mfaId"`
		Code     string `json:"code"`
		Remember bool   `json:"remember"`
	}
	if err := e.BindBody(&body); err != nil {
		return apis.NewBadRequestError("Failed to read the request.", nil)
	}
	m, u, err := pendingMFA(e.App, body.MFAID)
	if err != nil {
		return err
	}
	if !u.GetBool("totp_enabled") {
		return apis.NewBadRequestError("No authenticator app is set up for this account.", validation.Errors{
			"code": validation.NewError("no_app", "No authenticator app is set up for this account: use an emailed code.")})
	}
	ok := false
	err = e.App.RunInTransaction(func(tx core.App) error {
		_, ok, err = s.useCode(tx, u.Id, body.Code)
		return err
	})
	if err != nil {
		return err
	}
	if !ok {
		platform.AuditAuth(e.App, e, "auth.failed", u, u.Email(), map[string]any{"method": MethodTOTP})
		if s.codeFailures.add(m.Id) >= maxCodeFailures {
			s.codeFailures.m.Delete(m.Id)
			if derr := e.App.Delete(m); derr != nil {
				e.App.Logger().Warn("failed to end a sign-in after too many wrong codes", "error", derr)
			}
		}
		return codeError()
	}
	s.codeFailures.m.Delete(m.Id)
	var meta map[string]any
	var device string
	now := s.env.Now()
	if body.Remember {
		if device, err = mfa.NewDeviceSecret(); err != nil {
			return err
		}
		meta = map[string]any{"device": device, "device_until": now.Add(RememberFor).UTC()}
	}
	u, err = e.App.FindRecordById("users", u.Id) // as the code left it
	if err != nil {
		return err
	}
	if err := apis.RecordAuthResponse(e, u, MethodTOTP, meta); err != nil {
		return err
	}
	if device != "" {
		if err := rememberDevice(e.App, u.Id, device, now); err != nil {
			e.App.Logger().Error("failed to remember a device", "error", err)
		}
	}
	return nil
}

func rememberDevice(app core.App, userID, secret string, now time.Time) error {
	return app.RunInTransaction(func(tx core.App) error {
		u, err := tx.FindRecordById("users", userID)
		if err != nil {
			return err
		}
		var devices []mfa.Device
		if err := platform.DecodeJSON(u.Get(fieldTrusted), &devices); err != nil {
			devices = nil
		}
		u.Set(fieldTrusted, mfa.Remember(devices, secret, now.Add(RememberFor), now))
		return tx.Save(u)
	})
}

// requestMFAID is the mfaId a sign-in request carries (its second step).
func requestMFAID(e *core.RequestEvent) string {
	if id := e.Request.URL.Query().Get("mfaId"); id != "" {
		return id
	}
	info, err := e.RequestInfo()
	if err != nil {
		return ""
	}
	return cast.ToString(info.Body["mfaId"])
}

// secondFactorPolicy: whoever set up an authenticator app completes a
// sign-in with it (or a recovery code); only staff may still use an
// emailed code (or another method) as their second factor.
func (s *Service) secondFactorPolicy(e *core.RecordAuthRequestEvent) error {
	if e.AuthMethod == "" || e.AuthMethod == MethodTOTP || !e.Record.GetBool("totp_enabled") ||
		e.Record.GetString("role") == platform.RoleAdmin || requestMFAID(e.RequestEvent) == "" {
		return e.Next()
	}
	return apis.NewBadRequestError("Use the code of your authenticator app, or a recovery code.", validation.Errors{
		"mfaId": validation.NewError("app_required", "Use the code of your authenticator app, or a recovery code.")})
}

// rememberedDevice lets a device remembered after a second factor (its
// secret in the X-Device-Token header) sign in with the first factor
// alone for 30 days: PocketBase skips MFA for an auth without a method,
// which this sign-in is given while the rest of the chain runs.
func (s *Service) rememberedDevice(e *core.RecordAuthRequestEvent) error {
	secret := e.Request.Header.Get(HeaderDevice)
	if e.AuthMethod == "" || secret == "" || requestMFAID(e.RequestEvent) != "" {
		return e.Next()
	}
	var devices []mfa.Device
	if err := platform.DecodeJSON(e.Record.Get(fieldTrusted), &devices); err != nil || !mfa.Remembered(devices, secret, s.env.Now()) {
		return e.Next()
	}
	method := e.AuthMethod
	e.AuthMethod = ""
	defer func() { e.AuthMethod = method }()
	return e.Next()
}
