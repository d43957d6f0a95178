package platform

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Location loads an IANA time zone, cached in the app store (LoadLocation
// reads and parses a file on every call). "Local" and "" are refused: a
// school or user zone must be explicit.
func Location(app core.App, name string) (*time.Location, error) {
	if name == "" || strings.EqualFold(name, "local") {
		return nil, errors.New("time zone missing")
	}
	key := "tutorbase.tz." + name
	if loc, ok := app.Store().Get(key).(*time.Location); ok {
		return loc, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	app.Store().Set(key, loc)
	return loc, nil
}

// DecodeJSON decodes a JSON field's raw value (types.JSONRaw,
// []byte, string or an already decoded value) into dst.
func DecodeJSON(raw any, dst any) error {
	var data []byte
	switch v := raw.(type) {
	case nil:
		return nil
	case types.JSONRaw:
		data = v
	case []byte:
		data = v
	case string:
		data = []byte(v)
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		data = b
	}
	if len(data) == 0 || string(data) == "null" {
		return nil
	}
	return json.Unmarshal(data, dst)
}

// StoredOriginal is the stored state of a record being updated. A record
// created in this process keeps an empty Original() after its insert, so
// it is read back from the database (in the event's transaction).
func StoredOriginal(app core.App, r *core.Record) *core.Record {
	orig := r.Original()
	if orig.IsNew() && !r.IsNew() {
		if fresh, err := app.FindRecordById(r.Collection(), r.Id); err == nil {
			return fresh
		}
	}
	return orig
}

// IsStaff reports whether a request comes from a superuser or an admin user.
func IsStaff(e *core.RequestEvent) bool {
	return IsStaffRecord(e.Auth)
}

// IsStaffRecord reports whether auth is a superuser or an admin.
func IsStaffRecord(auth *core.Record) bool {
	if auth == nil {
		return false
	}
	return auth.IsSuperuser() || (auth.Collection().Name == "users" && auth.GetString("role") == RoleAdmin)
}

// ParseInstant reads an RFC 3339 instant (any offset) or PocketBase's
// "2006-01-02 15:04:05.000Z" form.
func ParseInstant(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, validation.NewError("validation_required", "Give an RFC 3339 instant, e.g. 2027-03-29T07:00:00Z.")
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	// an unescaped "+02:00" offset arrives as " 02:00" in a query string
	if t, err := time.Parse(time.RFC3339Nano, strings.Replace(s, " ", "+", 1)); err == nil && strings.Contains(s, "T") {
		return t.UTC(), nil
	}
	if t, err := types.ParseDateTime(s); err == nil && !t.IsZero() {
		return t.Time().UTC(), nil
	}
	return time.Time{}, validation.NewError("validation_invalid_date", "Give an RFC 3339 instant, e.g. 2027-03-29T07:00:00Z.")
}
