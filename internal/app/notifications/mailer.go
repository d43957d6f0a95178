package notifications

import (
	"cmp"
	"context"
	"errors"
	"time"

	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// UseMailer sends PocketBase's own emails (verification, password reset,
// sign-in codes, login alerts) through the same go-mail client as
// Tutorbase's notifications, configured from the dashboard's SMTP settings.
// Without SMTP they are written to the log instead (so a demo admin can
// read their sign-in code there). main calls it; tests keep PocketBase's
// test mailer unless they call it themselves.
func UseMailer(app core.App) {
	app.OnMailerSend().BindFunc(func(e *core.MailerEvent) error {
		e.Mailer = pbMailer{app: e.App}
		return e.Next()
	})
}

type pbMailer struct{ app core.App }

func (m pbMailer) Send(msg *mailer.Message) error {
	if len(msg.To) == 0 {
		return errors.New("no recipient")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var errs []error
	for _, to := range msg.To {
		cfg, on := SMTPSettings(m.app)()
		if !on {
			cfg = notify.SMTPConfig{} // Send answers ErrNotConfigured
		}
		err := notify.SMTP{Config: cfg}.Send(ctx, notify.Email{To: to.Address, ToName: to.Name, Subject: msg.Subject, Text: msg.Text, HTML: msg.HTML})
		if errors.Is(err, notify.ErrNotConfigured) {
			m.app.Logger().Info("email not sent: SMTP is not configured (Settings → Mail settings)",
				"to", to.Address, "subject", msg.Subject, "text", cmp.Or(msg.Text, msg.HTML))
			continue
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
