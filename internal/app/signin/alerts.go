package signin

import (
	"net/http"
	"net/url"
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/mfa"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/mails"
)

// registerAlerts wires PocketBase's own sign-in alert (sent when a
// sign-in comes from an IP and browser it has not seen for the account,
// never on the first sign-in) to the sessions: it is sent only when the
// device or the IP network is new to the account, in the person's
// language from Tutorbase's templates, with a "was this you?" link.
func (s *Service) registerAlerts(app core.App) {
	app.OnMailerRecordAuthAlertSend("users").BindFunc(s.signInAlert)
}

func (s *Service) signInAlert(e *core.MailerRecordEvent) error {
	sid, ok := s.alerting.Load(e.Record.Id)
	if !ok {
		return e.Next() // a sign-in without a session: PocketBase's own words
	}
	sess, err := e.App.FindRecordById("sessions", sid.(string))
	if err != nil {
		return err
	}
	knownDevice, knownNetwork, err := seenBefore(e.App, sess)
	if err != nil {
		return err
	}
	if knownDevice && knownNetwork {
		return nil // only the exact address or browser version changed: no alert
	}
	secret, err := mfa.NewDeviceSecret()
	if err != nil {
		return err
	}
	sess.Set("report_hash", mfa.Hash(secret))
	if err := e.App.Save(sess); err != nil {
		return err
	}
	loc, err := platform.Location(e.App, e.Record.GetString("timezone"))
	if err != nil {
		loc = nil
	}
	ev := notify.Event{
		Kind: notify.KindSigninAlert, Start: sess.GetDateTime("first_seen").Time(),
		Device:  sess.GetString("browser") + " · " + sess.GetString("device"),
		Network: sess.GetString("network"),
		Link:    strings.TrimRight(s.env.Config.AppURL, "/") + "/not-me?token=" + url.QueryEscape(secret),
	}
	msg, err := notify.Render(ev, notify.Recipient{Name: e.Record.GetString("name"), Locale: e.Record.GetString("locale"), Location: loc})
	if err != nil {
		return err
	}
	e.Message.Subject, e.Message.HTML, e.Message.Text = msg.Title, msg.HTML, msg.Text
	return e.Next()
}

// seenBefore reports whether the account signed in before (in any other
// session, a reported one aside) from the same device and browser, and
// from the same network.
func seenBefore(app core.App, sess *core.Record) (device, network bool, err error) {
	count := func(match dbx.HashExp) (bool, error) {
		var n int
		err := app.DB().Select("count(*)").From("sessions").
			Where(match).AndWhere(dbx.HashExp{"user": sess.GetString("user")}).
			AndWhere(dbx.Not(dbx.HashExp{"id": sess.Id})).AndWhere(dbx.Not(dbx.HashExp{"revoked_reason": EndNotMe})).Row(&n)
		return n > 0, err
	}
	if device, err = count(dbx.HashExp{"device": sess.GetString("device"), "browser": sess.GetString("browser")}); err != nil {
		return false, false, err
	}
	network, err = count(dbx.HashExp{"network": sess.GetString("network")})
	return device, network, err
}

// NotMe answers POST /api/auth/not-me {token}, the "was this you?" link of
// a sign-in alert: that session is signed out (once: the link works once)
// and the account's owner is sent a password reset email. The web page the
// email links to asks before it calls this (mail scanners open links).
func (s *Service) NotMe(e *core.RequestEvent) error {
	var body struct {
		Token string `json:"token"`
	}
	bad := apis.NewBadRequestError("This link was used already, or is not valid.", validation.Errors{
		"token": validation.NewError("invalid_token", "This link was used already, or is not valid.")})
	if err := e.BindBody(&body); err != nil || body.Token == "" {
		return bad
	}
	hash := mfa.Hash(body.Token)
	var user string
	err := e.App.RunInTransaction(func(tx core.App) error {
		var row struct {
			ID   string `db:"id"`
			User string `db:"user"`
		}
		if err := tx.DB().Select("id", "user").From("sessions").Where(dbx.HashExp{"report_hash": hash}).One(&row); err != nil {
			return bad
		}
		// found in this transaction, under the write lock: the update
		// cannot miss it, and a second use finds no such link
		_, err := tx.DB().Update("sessions",
			dbx.Params{"revoked_at": dbTime(s.env.Now()), "revoked_reason": EndNotMe, "report_hash": ""},
			dbx.HashExp{"id": row.ID, "report_hash": hash}).Execute()
		user = row.User
		return err
	})
	if err != nil {
		return err
	}
	u, err := e.App.FindRecordById("users", user)
	if err != nil {
		return err
	}
	platform.AuditAuth(e.App, e, "session.not_me", u, u.Email(), nil)
	if err := mails.SendRecordPasswordReset(e.App, u); err != nil {
		e.App.Logger().Error("failed to send the password reset of a reported sign-in", "error", err)
	}
	return e.NoContent(http.StatusNoContent)
}
