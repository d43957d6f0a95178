package platform

import "github.com/pocketbase/pocketbase/core"

// Audit writes one audit_log entry for an action taken through a request.
// It never fails the request: a lost audit write is logged as an error.
func Audit(e *core.RequestEvent, action, collection, record string, details map[string]any) {
	var app core.App
	if e != nil {
		app = e.App
	}
	AuditIn(app, e, action, collection, record, details)
}

// AuditIn is Audit written through app, e.g. the transaction of the
// action it records.
func AuditIn(app core.App, e *core.RequestEvent, action, collection, record string, details map[string]any) {
	entry := auditEntry{action: action, collection: collection, record: record, details: details}
	if e != nil {
		entry.ip = e.RealIP()
		if e.Auth != nil {
			entry.email = e.Auth.Email()
			if !e.Auth.IsSuperuser() {
				entry.actor = e.Auth.Id
			} else {
				entry.email = "superuser:" + e.Auth.Email()
			}
		}
	}
	writeAudit(app, entry)
}

type auditEntry struct {
	actor, email, action, collection, record, ip string
	details                                      map[string]any
}

func writeAudit(app core.App, a auditEntry) {
	c, err := app.FindCachedCollectionByNameOrId("audit_log")
	if err != nil {
		app.Logger().Error("audit log missing", "error", err)
		return
	}
	r := core.NewRecord(c)
	r.Load(map[string]any{
		"actor": a.actor, "actor_email": a.email, "action": a.action,
		"collection": a.collection, "record": a.record, "ip": a.ip, "details": a.details,
	})
	if err := app.Save(r); err != nil {
		app.Logger().Error("failed to write an audit entry", "action", a.action, "error", err)
	}
}

// AuditAuth records a sign-in event about identity; record is the account
// when it exists.
func AuditAuth(app core.App, e *core.RequestEvent, action string, record *core.Record, identity string, details map[string]any) {
	a := auditEntry{action: action, email: identity, ip: e.RealIP(), details: details}
	if record != nil {
		a.collection = record.Collection().Name
		a.record = record.Id
		if !record.IsSuperuser() {
			a.actor = record.Id
		}
	}
	writeAudit(app, a)
}
