package accounts

import (
	"errors"
	"slices"
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// auditedFields are the changes that always make their own audit entry,
// whoever makes them.
var auditedFields = map[string][]string{
	"users":  {"role"},
	"tutors": {"verified", "status"},
}

// secretBodyKeys are never copied into audit details.
var secretBodyKeys = []string{"password", "passwordConfirm", "oldPassword", "token", "calendar_token", "stripe_account"}

func (s *Service) registerAudit(app core.App) {
	app.OnRecordAuthRequest().BindFunc(auditSignIn)
	app.OnRecordAuthWithOTPRequest().BindFunc(func(e *core.RecordAuthWithOTPRequestEvent) error {
		err := e.Next()
		if err != nil && !errors.Is(err, apis.ErrMFA) {
			platform.AuditAuth(e.App, e.RequestEvent, "auth.failed", e.Record, "", map[string]any{"method": "otp"})
		}
		return err
	})
	app.OnRecordCreateRequest().BindFunc(func(e *core.RecordRequestEvent) error {
		return auditStaffWrite(e, "record.create", e.Next())
	})
	app.OnRecordUpdateRequest().BindFunc(auditUpdate)
	app.OnRecordDeleteRequest().BindFunc(func(e *core.RecordRequestEvent) error {
		return auditStaffWrite(e, "record.delete", e.Next())
	})
	app.OnSettingsUpdateRequest().BindFunc(func(e *core.SettingsUpdateRequestEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		platform.Audit(e.RequestEvent, "settings.update", "", "", nil)
		return nil
	})
	app.OnCollectionUpdateRequest().BindFunc(func(e *core.CollectionRequestEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		platform.Audit(e.RequestEvent, "collection.update", e.Collection.Name, e.Collection.Id, nil)
		return nil
	})
	// The audit log is append-only through the API, superusers included.
	refuse := func(msg string) func(*core.RecordRequestEvent) error {
		return func(*core.RecordRequestEvent) error { return apis.NewForbiddenError(msg, nil) }
	}
	app.OnRecordUpdateRequest("audit_log").BindFunc(refuse("The audit log cannot be changed."))
	app.OnRecordDeleteRequest("audit_log").BindFunc(refuse("The audit log cannot be changed."))
	app.OnRecordCreateRequest("audit_log").BindFunc(refuse("Audit entries are written by the server only."))
}

// auditSignIn records sign-ins and the first factor of an MFA sign-in
// (token refreshes and impersonations are not sign-ins).
func auditSignIn(e *core.RecordAuthRequestEvent) error {
	err := e.Next()
	if e.AuthMethod == "" {
		return err
	}
	switch {
	case err == nil:
		platform.AuditAuth(e.App, e.RequestEvent, "auth.signin", e.Record, e.Record.Email(), map[string]any{"method": e.AuthMethod})
	case errors.Is(err, apis.ErrMFA):
		platform.AuditAuth(e.App, e.RequestEvent, "auth.mfa_required", e.Record, e.Record.Email(), map[string]any{"method": e.AuthMethod})
	}
	return err
}

// auditStaffWrite records a write staff made through the records API,
// once it succeeded (err is the rest of the chain's outcome).
func auditStaffWrite(e *core.RecordRequestEvent, action string, err error) error {
	if err != nil {
		return err
	}
	if platform.IsStaff(e.RequestEvent) {
		var details map[string]any
		if action != "record.delete" {
			details = bodyKeys(e.RequestEvent)
		}
		platform.Audit(e.RequestEvent, action, e.Collection.Name, e.Record.Id, details)
	}
	return nil
}

// auditUpdate records, whoever makes them, the changes that always make
// their own entry (auditedFields), and staff's updates.
func auditUpdate(e *core.RecordRequestEvent) error {
	before := map[string]any{}
	for _, f := range auditedFields[e.Collection.Name] {
		before[f] = e.Record.Original().Get(f)
	}
	if err := e.Next(); err != nil {
		return err
	}
	for f, old := range before {
		if now := e.Record.Get(f); now != old {
			platform.Audit(e.RequestEvent, e.Collection.Name+"."+f+"_change", e.Collection.Name, e.Record.Id,
				map[string]any{"field": f, "from": old, "to": now})
		}
	}
	return auditStaffWrite(e, "record.update", nil)
}

// bodyKeys lists which fields a request sent (never their values, which may
// hold personal data), for the audit details.
func bodyKeys(e *core.RequestEvent) map[string]any {
	info, err := e.RequestInfo()
	if err != nil {
		return nil
	}
	keys := make([]string, 0, len(info.Body))
	for k := range info.Body {
		if !slices.Contains(secretBodyKeys, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return map[string]any{"fields": keys}
}
