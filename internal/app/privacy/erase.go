package privacy

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"tutorbase/internal/app/platform"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/security"
)

// DeletedName is the name an erased person is left with.
const DeletedName = "Deleted user"

// ErasedDomain is the non-routable domain (RFC 2606) of erased accounts'
// placeholder emails.
const ErasedDomain = "erased.invalid"

// EraseNow is POST /api/users/{id}/erase (staff): the person is erased at
// once, without the grace period. Answers {"cancelled": [booking ids]}.
func (s *Service) EraseNow(e *core.RequestEvent) error {
	u, err := e.App.FindRecordById("users", e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("", nil)
	}
	if platform.IsStaffRecord(u) && u.Id == e.Auth.Id {
		return platform.RuleError(http.StatusBadRequest, "id", "bad_state", "Staff cannot erase their own account; ask another admin.")
	}
	cancelled, err := s.Erase(e.App, e, u.Id)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"cancelled": cancelled})
}

// eraseOnDelete: deleting through the records API a person the school
// holds history about (lessons, purchases, payments) erases them instead,
// keeping the history; anyone else is deleted as asked.
func (s *Service) eraseOnDelete(e *core.RecordRequestEvent) error {
	history, err := hasHistory(e.App, e.Record.Id)
	if err != nil {
		return err
	}
	if !history {
		return e.Next()
	}
	if _, err := s.Erase(e.App, e.RequestEvent, e.Record.Id); err != nil {
		return err
	}
	return e.NoContent(http.StatusNoContent)
}

func hasHistory(app core.App, user string) (bool, error) {
	var n int
	err := app.DB().NewQuery(`SELECT
		(SELECT count(*) FROM bookings WHERE student = {:u} OR tutor_user = {:u}) +
		(SELECT count(*) FROM purchases WHERE student = {:u}) +
		(SELECT count(*) FROM payments WHERE user = {:u}) +
		(SELECT count(*) FROM invoices WHERE user = {:u})`).Bind(dbx.Params{"u": user}).Row(&n)
	return n > 0, err
}

// EraseDue erases the people whose grace period ended by now (the daily
// job tutorbase_erasures).
func (s *Service) EraseDue(app core.App, now time.Time) error {
	var due []*core.Record
	err := app.RecordQuery("users").AndWhere(dbx.NewExp("erase_after != '' AND erase_after <= {:now}",
		dbx.Params{"now": platform.DBTime(now)})).Limit(200).All(&due)
	if err != nil {
		return err
	}
	for _, u := range due {
		if _, err := s.erase(app, nil, u.Id, now); err != nil {
			return fmt.Errorf("failed to erase %s: %w", u.Id, err)
		}
	}
	return nil
}

// Erase is the one path of an erasure, whoever asks (the person after the
// grace period, staff at once, a superuser's delete): the person's future
// lessons are cancelled as a tutor cancels, then in one transaction their
// personal data is removed or replaced everywhere but in what the law
// keeps (invoices with their billing data, payments, refunds, the credit
// ledger), and the erasure is audited by id only. e is the request of
// staff erasing, nil for the job. Erasing an erased person does nothing.
func (s *Service) Erase(app core.App, e *core.RequestEvent, user string) ([]string, error) {
	return s.erase(app, e, user, time.Time{})
}

// stillDue reports whether u is to be erased: always when dueBy is zero
// (staff), else while its requested erasure is due by then (the job: the
// person may have signed in meanwhile, which cancels it).
func stillDue(u *core.Record, dueBy time.Time) bool {
	if erased(u) {
		return false
	}
	asked := u.GetDateTime("erase_after")
	return dueBy.IsZero() || (!asked.IsZero() && !asked.Time().After(dueBy))
}

func (s *Service) erase(app core.App, e *core.RequestEvent, user string, dueBy time.Time) ([]string, error) {
	u, err := app.FindRecordById("users", user)
	if err != nil {
		return nil, err
	}
	if !stillDue(u, dueBy) {
		return []string{}, nil
	}
	var by *core.Record
	if e != nil {
		by = e.Auth
	}
	cancelled, err := s.booking.CancelLessonsOf(app, user, by)
	if err != nil {
		return nil, err
	}
	var who []needle
	err = app.RunInTransaction(func(tx core.App) error {
		u, err := tx.FindRecordById("users", user) // under the write lock: one erasure
		if err != nil || !stillDue(u, dueBy) {
			return err
		}
		who = identifiers(tx, u)
		if err := anonymise(tx, u); err != nil {
			return err
		}
		counts, err := eraseData(tx, u, who)
		if err != nil {
			return err
		}
		if err := scrub(tx, who); err != nil {
			return err
		}
		counts["cancelled"] = len(cancelled)
		platform.AuditIn(tx, e, "privacy.erased", "users", user, map[string]any{"counts": counts})
		return nil
	})
	if err != nil {
		return nil, err
	}
	// the erasure is committed: a failure here is not the person's to see,
	// and the logs it leaves go with the retention schedule's days
	if err := scrubLogs(app, who); err != nil {
		app.Logger().Error("Erased, but the server logs that mention the person could not be deleted", "user", user, "error", err)
	}
	return cancelled, nil
}

func erased(u *core.Record) bool { return strings.HasSuffix(u.Email(), "@"+ErasedDomain) }

// anonymise replaces the account's personal fields and its ways to sign in.
func anonymise(tx core.App, u *core.Record) error {
	u.Set("name", DeletedName)
	u.SetEmail("deleted-" + u.Id + "@" + ErasedDomain)
	u.SetEmailVisibility(false)
	u.SetVerified(false)
	u.SetRandomPassword()
	u.RefreshTokenKey()
	for _, f := range []string{"phone", "telegram_chat_id", "quiet_start", "quiet_end", "totp_secret", "totp_pending", "erase_after", "avatar"} {
		u.Set(f, "")
	}
	for _, f := range []string{"notify", "recovery_codes", "mfa_devices"} {
		u.Set(f, nil)
	}
	u.Set("phone_verified", false)
	u.Set("totp_enabled", false)
	u.Set("suspended", true)
	u.Set("calendar_token", security.RandomString(32)) // old feed addresses stop working
	if err := tx.SaveNoValidate(u); err != nil {
		return fmt.Errorf("failed to anonymise the account: %w", err)
	}
	for _, del := range []func(*core.Record) error{tx.DeleteAllAuthOriginsByRecord, tx.DeleteAllMFAsByRecord, tx.DeleteAllOTPsByRecord} {
		if err := del(u); err != nil {
			return err
		}
	}
	links, err := tx.FindAllExternalAuthsByRecord(u)
	if err != nil {
		return err
	}
	for _, l := range links { // OAuth links (Google)
		if err := tx.Delete(l); err != nil {
			return err
		}
	}
	return nil
}
