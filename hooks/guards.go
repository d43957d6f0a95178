package hooks

import (
	"slices"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// fieldGuard names the fields of a collection that a client may not freely
// set through the records API (REST or batch). Superusers (the dashboard)
// may set anything the model hooks accept.
type fieldGuard struct {
	server    []string // filled by the server only
	staff     []string // set by admins only
	immutable []string // set on create, never changed afterwards
	only      []string // when set, the only fields a client may change
}

var fieldGuards = map[string]fieldGuard{
	"users":        {server: []string{"calendar_token", "phone_verified", "telegram_chat_id"}},
	"tutors":       {server: []string{"name", "timezone", "rating_avg", "rating_count"}, staff: []string{"verified", "status", "stripe_account"}, immutable: []string{"user"}},
	"students":     {immutable: []string{"user"}},
	"availability": {server: []string{"tutor_user"}, immutable: []string{"tutor"}},
	"time_off":     {server: []string{"tutor_user"}, immutable: []string{"tutor"}},
	"packages":     {server: []string{"tutor_user", "effective_price"}, immutable: []string{"tutor"}},
	"reviews":      {server: []string{"student", "tutor", "student_name"}, staff: []string{"hidden"}, immutable: []string{"booking"}},
	"materials":    {server: []string{"version", "previous"}, immutable: []string{"owner"}},
	// what is rendered and sent is the server's; a person marks it read
	"notifications": {only: []string{"read_at"}},
}

func registerGuards(app core.App) {
	for name, g := range fieldGuards {
		g := g
		app.OnRecordCreateRequest(name).BindFunc(func(e *core.RecordRequestEvent) error {
			if errs := g.checkCreate(e); len(errs) > 0 {
				return apis.NewBadRequestError("Failed to create record.", errs)
			}
			return e.Next()
		})
		app.OnRecordUpdateRequest(name).BindFunc(func(e *core.RecordRequestEvent) error {
			if errs := g.checkUpdate(e); len(errs) > 0 {
				return apis.NewBadRequestError("Failed to update record.", errs)
			}
			return e.Next()
		})
	}
}

func (g fieldGuard) checkCreate(e *core.RecordRequestEvent) validation.Errors {
	if e.HasSuperuserAuth() {
		return nil
	}
	info, err := e.RequestInfo()
	if err != nil {
		return nil
	}
	errs := validation.Errors{}
	for _, f := range g.server {
		if _, ok := info.Body[f]; ok {
			errs[f] = serverOwned()
		}
	}
	if !isStaff(e.RequestEvent) {
		for _, f := range g.staff {
			if _, ok := info.Body[f]; ok {
				errs[f] = staffOnly()
			}
		}
	}
	return errs
}

// checkUpdate compares the loaded record with its stored original, so a
// field sent with its current value is harmless.
func (g fieldGuard) checkUpdate(e *core.RecordRequestEvent) validation.Errors {
	if e.HasSuperuserAuth() {
		return nil
	}
	errs := validation.Errors{}
	changed := func(f string) bool {
		return e.Record.GetString(f) != e.Record.Original().GetString(f)
	}
	for _, f := range g.server {
		if changed(f) {
			errs[f] = serverOwned()
		}
	}
	for _, f := range g.immutable {
		if changed(f) {
			errs[f] = validation.NewError("immutable", "This field cannot be changed once set.")
		}
	}
	if len(g.only) > 0 {
		for _, f := range e.Collection.Fields.FieldNames() {
			if !slices.Contains(g.only, f) && f != "updated" && changed(f) {
				errs[f] = serverOwned()
			}
		}
	}
	if !isStaff(e.RequestEvent) {
		for _, f := range g.staff {
			if changed(f) {
				errs[f] = staffOnly()
			}
		}
	}
	return errs
}

func serverOwned() validation.Error {
	return validation.NewError("server_owned", "This field is set by the server.")
}

func staffOnly() validation.Error {
	return validation.NewError("staff_only", "Only school staff can change this field.")
}
