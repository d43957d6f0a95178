package flags

import (
	"net/http"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/app/signin"
	"tutorbase/internal/lang"
	"tutorbase/internal/oneline"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Flag statuses: open until staff review it.
const (
	StatusOpen      = "open"
	StatusDismissed = "dismissed"
	StatusWarned    = "warned"
	StatusSuspended = "suspended"
)

// reviews maps a review action to the status it sets.
var reviews = map[string]string{"dismiss": StatusDismissed, "warn": StatusWarned, "suspend": StatusSuspended}

// Review answers POST /api/flags/{id}/review {action, note}: staff close an
// open flag by dismissing it, warning the person (an in-app notice), or
// suspending the account (it cannot sign in; every session ends). The flag
// moves from open by compare-and-set in the transaction of the effect, so
// of concurrent reviews one acts and the others are told it was reviewed.
func (s *Service) Review(e *core.RequestEvent) error {
	var body struct {
		Action string `json:"action"`
		Note   string `json:"note"`
	}
	_ = e.BindBody(&body)
	status, ok := reviews[body.Action]
	if !ok {
		return apis.NewBadRequestError("Choose dismiss, warn or suspend.", validation.Errors{
			"action": validation.NewError("validation_invalid_action", "Choose dismiss, warn or suspend.")})
	}
	note := oneline.Clean(body.Note)
	if len([]rune(note)) > 1000 {
		return apis.NewBadRequestError("The note is too long.", validation.Errors{"note": validation.NewError("validation_length_too_long", "At most 1000 characters.")})
	}
	id := e.Request.PathValue("id")
	err := e.App.RunInTransaction(func(tx core.App) error {
		res, err := tx.DB().Update("flags", dbx.Params{
			"status": status, "reviewed_by": platform.ActorID(e), "reviewed_at": platform.DBTime(s.env.Now()),
			"note": note, "updated": platform.DBTime(s.env.Now()),
		}, dbx.HashExp{"id": id, "status": StatusOpen}).Execute()
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			if _, err := tx.FindRecordById("flags", id); err != nil {
				return e.NotFoundError("", nil)
			}
			return platform.RuleError(http.StatusBadRequest, "status", platform.CodeBadState, "This flag was reviewed already.")
		}
		f, err := tx.FindRecordById("flags", id)
		if err != nil {
			return err
		}
		return s.act(tx, f, status)
	})
	if err != nil {
		return err
	}
	platform.Audit(e, "flag."+body.Action, "flags", id, nil)
	f, err := e.App.FindRecordById("flags", id)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, f)
}

// act applies a review's effect on the flagged person, if the flag names
// one.
func (s *Service) act(tx core.App, f *core.Record, status string) error {
	user := f.GetString("user")
	if user == "" || status == StatusDismissed {
		return nil
	}
	u, err := tx.FindRecordById("users", user)
	if err != nil {
		return err
	}
	if status == StatusSuspended {
		if err := signin.SignOutEverywhere(tx, user, signin.EndSuspended, s.env.Now()); err != nil {
			return err
		}
		if u, err = tx.FindRecordById("users", user); err != nil {
			return err
		}
		u.Set("suspended", true)
		return tx.Save(u)
	}
	c, err := tx.FindCachedCollectionByNameOrId("notifications")
	if err != nil {
		return err
	}
	n := core.NewRecord(c)
	title, body := warning(u.GetString("locale"))
	n.Load(map[string]any{"user": user, "kind": "account_warning", "title": title, "body": body, "data": map[string]any{"flag": f.Id}})
	return tx.Save(n)
}

// warning is the notice a warned person reads, in their language.
func warning(locale string) (title, body string) {
	if lang.Of(locale) == lang.Italian {
		return "Un avviso della scuola sul tuo account",
			"La scuola ha notato sul tuo account un'attività insolita e ti chiede di farne un uso corretto. Se pensi che sia un errore, scrivi alla scuola."
	}
	return "A warning from the school about your account",
		"The school noticed unusual activity on your account and asks you to use it fairly. If you think this is a mistake, write to the school."
}

// holdCheckout refuses a new payment of a person with an open flag that
// holds checkout (card testing), on every path that starts one.
func holdCheckout(e *core.RecordEvent) error {
	if e.Record.GetString("status") == "pending" {
		var n int
		err := e.App.DB().Select("count(*)").From("flags").
			Where(dbx.HashExp{"user": e.Record.GetString("user"), "status": StatusOpen, "holds": "checkout"}).Row(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return platform.RuleError(http.StatusForbidden, "user", "on_hold", "Payments on this account are on hold while the school reviews it. Please contact the school.")
		}
	}
	return e.Next()
}
