package platform

import (
	"errors"
	"net/http"
	"time"
	"tutorbase/migrations"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
)

// ActorID is the users id of who makes a request ("" for superusers, who
// are the school itself).
func ActorID(e *core.RequestEvent) string {
	if e.Auth == nil || e.Auth.IsSuperuser() {
		return ""
	}
	return e.Auth.Id
}

// MaxLesson bounds a lesson's length before any lookup.
const MaxLesson = migrations.MaxLessonHours * time.Hour

// CodeBadState: the record's state does not allow the action (any more).
const CodeBadState = "bad_state"

// IsStale reports whether err is a compare-and-set that lost: the record
// moved on between the read and the write. Jobs skip such records.
func IsStale(err error) bool {
	var apiErr *router.ApiError
	if !errors.As(err, &apiErr) {
		return false
	}
	errs, ok := apiErr.RawData().(validation.Errors)
	if !ok {
		return false
	}
	var ve validation.Error
	return errors.As(errs["status"], &ve) && ve.Code() == CodeBadState
}

// RuleError is a rule failure in PocketBase's error shape: status, and the
// message again as the error of field (DESIGN.md "Booking rules"), so the
// JS SDK shows it like any validation error.
func RuleError(status int, field, code, message string) *router.ApiError {
	return apis.NewApiError(status, message, validation.Errors{field: validation.NewError(code, message)})
}

// ServerOwned is the field error for a field only the server sets.
func ServerOwned() validation.Error {
	return validation.NewError("server_owned", "This field is set by the server.")
}

// StaffOnly is the field error for a field only school staff may set.
func StaffOnly() validation.Error {
	return validation.NewError("staff_only", "Only school staff can change this field.")
}

// Respond answers 200 with record r as the records API would show it to
// the caller (visibility rules, hidden fields).
func Respond(e *core.RequestEvent, b *core.Record) error {
	if err := apis.EnrichRecord(e, b); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, b)
}

// MergeErrors adds our field errors to those of PocketBase's own validation
// (the rest of the chain), so a client sees every problem at once.
func MergeErrors(err error, ours validation.Errors) error {
	if len(ours) == 0 {
		return err
	}
	var theirs validation.Errors
	if errors.As(err, &theirs) {
		for k, v := range ours {
			theirs[k] = v
		}
		return theirs
	}
	if err != nil {
		return err
	}
	return ours
}

// formFields are the fields of an auth record's form that PocketBase's
// records API checks before the record itself.
var formFields = map[string]bool{"password": true, "passwordConfirm": true, "oldPassword": true, "email": true, "verified": true}

// WithRecordErrors adds r's own field errors to err when err is a refusal
// of the form fields alone (a password confirmation that does not match, a
// wrong old password): PocketBase stops there, before validating the rest
// of the record, so a person would fix one field and then hear of the next.
// r is the record as the request would leave it.
func WithRecordErrors(app core.App, r *core.Record, err error) error {
	var apiErr *router.ApiError
	if !errors.As(err, &apiErr) || apiErr.Status != http.StatusBadRequest || len(apiErr.Data) == 0 {
		return err
	}
	for k := range apiErr.Data {
		if !formFields[k] {
			return err // the record was validated already
		}
	}
	var errs validation.Errors
	if !errors.As(app.Validate(r), &errs) {
		return err
	}
	for k, v := range apis.NewBadRequestError("", errs).Data {
		if _, ok := apiErr.Data[k]; !ok {
			apiErr.Data[k] = v
		}
	}
	return apiErr
}
