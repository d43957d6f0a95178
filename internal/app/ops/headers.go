package ops

import (
	"strings"

	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Content-Security-Policy of the web app (pb_public: our own scripts and
// styles only, no inline code) and of PocketBase's dashboard, whose bundle
// needs inline scripts and styles.
const (
	AppCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https:; " +
		"font-src 'self'; connect-src 'self'; media-src 'self' blob:; object-src 'none'; base-uri 'self'; " +
		"form-action 'self'; frame-ancestors 'none'"
	DashboardCSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
		"img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; object-src 'none'; " +
		"base-uri 'self'; frame-ancestors 'self'"
)

// PickerCSP is AppCSP with what Google Picker loads (its script from
// apis.google.com, its window from docs.google.com), used only when the
// school configured the Picker (docs/calendars.md).
var PickerCSP = strings.NewReplacer("script-src 'self';", "script-src 'self' https://apis.google.com;",
	"connect-src 'self';", "connect-src 'self' https://*.googleapis.com; frame-src https://docs.google.com https://drive.google.com;").Replace(AppCSP)

// SecurityHeaders sets the security headers of every answer (it replaces
// PocketBase's own middleware of the same id).
func SecurityHeaders() *hook.Handler[*core.RequestEvent] { return SecurityHeadersWith(AppCSP) }

// SecurityHeadersWith is SecurityHeaders with the web app's policy appCSP.
func SecurityHeadersWith(appCSP string) *hook.Handler[*core.RequestEvent] {
	return &hook.Handler[*core.RequestEvent]{
		Id:       apis.DefaultSecurityHeadersMiddlewareId,
		Priority: apis.DefaultSecurityHeadersMiddlewarePriority,
		Func:     func(e *core.RequestEvent) error { return securityHeaders(e, appCSP) },
	}
}

func securityHeaders(e *core.RequestEvent, appCSP string) error {
	h := e.Response.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin-allow-popups") // OAuth2 popups report back
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if strings.HasPrefix(e.Request.URL.Path, "/_/") {
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Content-Security-Policy", DashboardCSP)
	} else {
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", appCSP)
	}
	behindTLSProxy := len(e.App.Settings().TrustedProxy.Headers) > 0 && e.Request.Header.Get("X-Forwarded-Proto") == "https"
	if e.Request.TLS != nil || behindTLSProxy {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	return e.Next()
}
