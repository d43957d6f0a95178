package accounts

import (
	"database/sql"
	"errors"
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/password"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"golang.org/x/crypto/bcrypt"
)

// dummyHash is compared against when there is no account or the identity is
// locked, so a sign-in costs one bcrypt comparison whatever the case and its
// timing does not tell whether the email exists.
var dummyHash = func() []byte {
	h, _ := bcrypt.GenerateFromPassword([]byte("tutorbase-timing-equaliser"), bcrypt.DefaultCost)
	return h
}()

// registerLockout binds the account lockout: after 10 consecutive failed
// password sign-ins an identity (lower-cased email, known or not) is locked
// for 15 minutes, doubling on repeat, whatever the IP. A locked identity is
// answered exactly like a wrong password. OTP sign-in and password reset do
// not pass through here, so they keep working during a lock; any successful
// sign-in or password reset clears the count.
//
// Each attempt is counted as a failure before its password is checked, in
// one transaction with the check of the lock (reserveAttempt), and a
// success takes the count back: parallel guesses cannot all read "no
// failures yet" while bcrypt runs, so the attempt after the tenth is
// refused however the first ten arrived.
func (s *Service) registerLockout(app core.App) {
	policy := password.DefaultLockout()

	app.OnRecordAuthWithPasswordRequest().BindFunc(func(e *core.RecordAuthWithPasswordRequestEvent) error {
		identity := lockoutIdentity(e.Collection.Name, e.Identity)
		now := s.env.Now()
		e.Password = password.Prehash(e.Password)
		until, started, err := reserveAttempt(e.App, policy, identity, now)
		if err != nil {
			return err
		}
		if !until.IsZero() {
			_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(e.Password))
			platform.AuditAuth(e.App, e.RequestEvent, "auth.locked", e.Record, e.Identity, map[string]any{"locked_until": until})
			return s.failedAuth(e.RequestEvent)
		}
		if e.Record == nil {
			_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(e.Password))
		}

		err = e.Next()
		if err == nil || errors.Is(err, apis.ErrMFA) {
			return errors.Join(err, clearLockState(e.App, identity))
		}
		var apiErr *router.ApiError
		if errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest {
			platform.AuditAuth(e.App, e.RequestEvent, "auth.failed", e.Record, e.Identity, map[string]any{"method": "password"})
			if started {
				platform.AuditAuth(e.App, e.RequestEvent, "auth.lockout", e.Record, e.Identity, nil)
			}
		}
		return err
	})

	// Any other successful sign-in (OTP, OAuth2, the second MFA step) and a
	// confirmed password reset prove the owner is back: clear the count.
	app.OnRecordAuthRequest().BindFunc(func(e *core.RecordAuthRequestEvent) error {
		err := e.Next()
		if err == nil && e.AuthMethod != "" && e.AuthMethod != core.MFAMethodPassword {
			if cerr := clearLockState(e.App, lockoutIdentity(e.Collection.Name, e.Record.Email())); cerr != nil {
				e.App.Logger().Error("failed to clear a lockout", "error", cerr)
			}
		}
		return err
	})
	// A new password (reset by email, changed by the owner, set by staff or
	// by `tutorbase superuser upsert`) ends a lock too.
	app.OnRecordUpdate().BindFunc(func(e *core.RecordEvent) error {
		changing := e.Record.Collection().IsAuth() && e.Record.GetString("password") != "" // the plain value is set only while changing
		if err := e.Next(); err != nil || !changing {
			return err
		}
		return clearLockState(e.App, lockoutIdentity(e.Record.Collection().Name, e.Record.Email()))
	})
}

// failedAuth is PocketBase's own answer to a wrong password, to the byte.
func (s *Service) failedAuth(e *core.RequestEvent) error {
	return e.BadRequestError("Failed to authenticate.", errors.New("invalid login credentials"))
}

func lockoutIdentity(collection, identity string) string {
	id := strings.ToLower(strings.TrimSpace(identity))
	if collection != "users" {
		id = collection + ":" + id
	}
	return id
}

// reserveAttempt counts one sign-in attempt of identity as a failure, in
// advance, unless the identity is locked: then it changes nothing and
// returns when the lock ends. The lock is read and the count written in one
// write transaction, so concurrent attempts are counted one after another.
// started reports that this attempt starts a lock (it is the tenth: its
// password is still checked, and a success clears the lock).
func reserveAttempt(app core.App, policy password.Lockout, identity string, now time.Time) (lockedUntil time.Time, started bool, err error) {
	err = app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindFirstRecordByData("login_attempts", "identity", identity)
		if errors.Is(err, sql.ErrNoRows) {
			c, cerr := tx.FindCachedCollectionByNameOrId("login_attempts")
			if cerr != nil {
				return cerr
			}
			r = core.NewRecord(c)
			r.Set("identity", identity)
		} else if err != nil {
			return err
		}
		state := password.State{Failures: r.GetInt("failures"), Level: r.GetInt("level"), LockedUntil: r.GetDateTime("locked_until").Time()}
		if policy.Locked(state, now) {
			lockedUntil = state.LockedUntil
			return nil
		}
		state, started = policy.Fail(state, now)
		r.Set("failures", state.Failures)
		r.Set("level", state.Level)
		r.Set("locked_until", state.LockedUntil)
		r.Set("last_failure", now)
		return tx.Save(r)
	})
	return lockedUntil, started, err
}

func clearLockState(app core.App, identity string) error {
	_, err := app.DB().Delete("login_attempts", dbx.HashExp{"identity": identity}).Execute()
	return err
}
