package platform

import (
	"slices"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// FieldGuard names the fields of a collection that a client may not
// freely set through the records API (REST or batch). Superusers (the
// dashboard) may set anything the model hooks accept.
type FieldGuard struct {
	Server    []string // filled by the server only
	Staff     []string // set by admins only
	Immutable []string // set on create, never changed afterwards
	Only      []string // when set, the only fields a client may change
}

// Guard refuses, with a 400 field error, what g forbids a client to set on
// the records of collection; each capability declares its own.
func Guard(app core.App, collection string, g FieldGuard) {
	app.OnRecordCreateRequest(collection).BindFunc(func(e *core.RecordRequestEvent) error {
		if errs := g.checkCreate(e); len(errs) > 0 {
			return apis.NewBadRequestError("Failed to create record.", errs)
		}
		return e.Next()
	})
	app.OnRecordUpdateRequest(collection).BindFunc(func(e *core.RecordRequestEvent) error {
		if errs := g.checkUpdate(e); len(errs) > 0 {
			return apis.NewBadRequestError("Failed to update record.", errs)
		}
		return e.Next()
	})
}

func (g FieldGuard) checkCreate(e *core.RecordRequestEvent) validation.Errors {
	if e.HasSuperuserAuth() {
		return nil
	}
	info, err := e.RequestInfo()
	if err != nil {
		return nil
	}
	errs := validation.Errors{}
	for _, f := range g.Server {
		if _, ok := info.Body[f]; ok {
			errs[f] = ServerOwned()
		}
	}
	if !IsStaff(e.RequestEvent) {
		for _, f := range g.Staff {
			if _, ok := info.Body[f]; ok {
				errs[f] = StaffOnly()
			}
		}
	}
	return errs
}

// checkUpdate compares the loaded record with its stored original, so a
// field sent with its current value is harmless.
func (g FieldGuard) checkUpdate(e *core.RecordRequestEvent) validation.Errors {
	if e.HasSuperuserAuth() {
		return nil
	}
	errs := validation.Errors{}
	changed := func(f string) bool {
		return e.Record.GetString(f) != e.Record.Original().GetString(f)
	}
	for _, f := range g.Server {
		if changed(f) {
			errs[f] = ServerOwned()
		}
	}
	for _, f := range g.Immutable {
		if changed(f) {
			errs[f] = validation.NewError("immutable", "This field cannot be changed once set.")
		}
	}
	if len(g.Only) > 0 {
		for _, f := range e.Collection.Fields.FieldNames() {
			if !slices.Contains(g.Only, f) && f != "updated" && changed(f) {
				errs[f] = ServerOwned()
			}
		}
	}
	if !IsStaff(e.RequestEvent) {
		for _, f := range g.Staff {
			if changed(f) {
				errs[f] = StaffOnly()
			}
		}
	}
	return errs
}
