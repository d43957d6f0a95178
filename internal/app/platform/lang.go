package platform

import (
	"tutorbase/internal/lang"

	"github.com/pocketbase/pocketbase/core"
)

// RequestLang is the language to answer e in: the signed-in user's saved
// locale, else the best of Accept-Language that Tutorbase speaks, else
// the default.
func RequestLang(e *core.RequestEvent) string {
	if e.Auth != nil && e.Auth.Collection().Name == "users" {
		if l, ok := lang.Known(e.Auth.GetString("locale")); ok {
			return l
		}
	}
	if l, ok := lang.FromHeader(e.Request.Header.Get("Accept-Language")); ok {
		return l
	}
	return lang.Supported[0]
}
