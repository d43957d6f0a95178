package accounts

import (
	"net/http"
	"strings"

	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/core"
)

// registerEmailChange stops request-email-change telling who has an
// account: PocketBase answers an address another account uses with
// validation_invalid_new_email and a free one with 204. A request for a
// taken address now gets the same 204 and sends nothing; it could never be
// confirmed anyway (PocketBase's confirm step refuses an address taken by
// then, too). Sign-up still says an address is taken: see
// docs/security.md.
func (s *Service) registerEmailChange(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.BindFunc(hideTakenEmails) // after the auth token is loaded
		return se.Next()
	})
}

func hideTakenEmails(e *core.RequestEvent) error {
	if e.Request.Method != http.MethodPost || e.Auth == nil || e.Auth.Collection().Name != "users" {
		return e.Next()
	}
	p := e.Request.URL.Path
	if p != "/api/collections/users/request-email-change" && p != "/api/collections/"+e.Auth.Collection().Id+"/request-email-change" {
		return e.Next()
	}
	var in struct {
		NewEmail string `json:"newEmail" form:"newEmail"`
	}
	if err := e.BindBody(&in); err != nil || in.NewEmail == "" || is.EmailFormat.Validate(in.NewEmail) != nil ||
		strings.EqualFold(in.NewEmail, e.Auth.Email()) {
		return e.Next() // PocketBase answers bad input itself
	}
	other, err := e.App.FindAuthRecordByEmail(e.Auth.Collection(), in.NewEmail)
	if err != nil || other.Id == e.Auth.Id {
		return e.Next()
	}
	return e.NoContent(http.StatusNoContent)
}
