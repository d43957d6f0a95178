package accounts

import (
	"net/http"
	"strings"

	"github.com/pocketbase/ozzo-validation/v4/is"
	"github.com/pocketbase/pocketbase/core"
)

func HideTakenEmails(e *core.RequestEvent) error {
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
