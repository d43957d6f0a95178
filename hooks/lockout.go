package hooks

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/password"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
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
func registerLockout(app core.App) {
	policy := password.DefaultLockout()

	app.OnRecordAuthWithPasswordRequest().BindFunc(func(e *core.RecordAuthWithPasswordRequestEvent) error {
		identity := lockoutIdentity(e.Collection.Name, e.Identity)
		now := time.Now()
		e.Password = password.Prehash(e.Password)
		state, err := loadLockState(e.App, identity)
		if err != nil {
			return err
		}

		if policy.Locked(state, now) {
			_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(e.Password))
			auditAuth(e.App, e.RequestEvent, "auth.locked", e.Record, e.Identity, map[string]any{"locked_until": state.LockedUntil})
			return failedAuth(e.RequestEvent)
		}
		if e.Record == nil {
			_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(e.Password))
		}

		err = e.Next()
		if err == nil || errors.Is(err, apis.ErrMFA) {
			if state != (password.State{}) {
				return errors.Join(err, clearLockState(e.App, identity))
			}
			return err
		}
		var apiErr *router.ApiError
		if errors.As(err, &apiErr) && apiErr.Status == http.StatusBadRequest {
			locked, ferr := recordFailure(e.App, policy, identity, now)
			if ferr != nil {
				e.App.Logger().Error("failed to record a failed sign-in", "error", ferr)
			}
			auditAuth(e.App, e.RequestEvent, "auth.failed", e.Record, e.Identity, map[string]any{"method": "password"})
			if locked {
				auditAuth(e.App, e.RequestEvent, "auth.lockout", e.Record, e.Identity, nil)
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
func failedAuth(e *core.RequestEvent) error {
	return e.BadRequestError("Failed to authenticate.", errors.New("invalid login credentials"))
}

func lockoutIdentity(collection, identity string) string {
	id := strings.ToLower(strings.TrimSpace(identity))
	if collection != "users" {
		id = collection + ":" + id
	}
	return id
}

func loadLockState(app core.App, identity string) (password.State, error) {
	var row struct {
		Failures    int            `db:"failures"`
		Level       int            `db:"level"`
		LockedUntil types.DateTime `db:"locked_until"`
	}
	err := app.DB().Select("failures", "level", "locked_until").From("login_attempts").
		Where(dbx.HashExp{"identity": identity}).Limit(1).One(&row)
	if err != nil {
		return password.State{}, nil // no row: no failures so far
	}
	return password.State{Failures: row.Failures, Level: row.Level, LockedUntil: row.LockedUntil.Time()}, nil
}

// recordFailure counts one failed sign-in atomically and reports whether it
// started a lock.
func recordFailure(app core.App, policy password.Lockout, identity string, now time.Time) (bool, error) {
	var locked bool
	err := app.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindFirstRecordByData("login_attempts", "identity", identity)
		if err != nil {
			c, cerr := tx.FindCachedCollectionByNameOrId("login_attempts")
			if cerr != nil {
				return cerr
			}
			r = core.NewRecord(c)
			r.Set("identity", identity)
		}
		state := password.State{Failures: r.GetInt("failures"), Level: r.GetInt("level"), LockedUntil: r.GetDateTime("locked_until").Time()}
		state, locked = policy.Fail(state, now)
		r.Set("failures", state.Failures)
		r.Set("level", state.Level)
		r.Set("locked_until", state.LockedUntil)
		r.Set("last_failure", now)
		return tx.Save(r)
	})
	return locked, err
}

func clearLockState(app core.App, identity string) error {
	_, err := app.DB().Delete("login_attempts", dbx.HashExp{"identity": identity}).Execute()
	return err
}
