package notifications

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/mailer"
)

// UseMailer sends PocketBase's own emails (verification, password reset,
// sign-in codes, login alerts) through the same go-mail client as
// Tutorbase's notifications, configured from the dashboard's SMTP settings.
// Without SMTP they are not sent: their codes and links are printed to
// console (main passes the server's stderr) between clear markers, so the
// operator of a demo or of a school still setting up email can hand them
// on, and each is also logged (dashboard → Logs). main calls it; tests
// keep PocketBase's test mailer unless they call it themselves.
func UseMailer(app core.App, console io.Writer) {
	var mu sync.Mutex
	app.OnMailerSend().BindFunc(func(e *core.MailerEvent) error {
		e.Mailer = pbMailer{app: e.App, console: console, mu: &mu}
		return e.Next()
	})
}

type pbMailer struct {
	app     core.App
	console io.Writer
	mu      *sync.Mutex // one email's lines together on the console
}

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
			m.print(to.Address, msg)
			continue
		}
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ConsoleMarker starts every email printed to the console instead of sent.
const ConsoleMarker = "=== EMAIL NOT SENT (SMTP is not set up: dashboard → Settings → Mail settings) ==="

var (
	emailCodes = regexp.MustCompile(`<strong>\s*([0-9]{4,12})\s*</strong>`)
	emailLinks = regexp.MustCompile(`href="(https?://[^"]+)"`)
)

// print writes what the person needs of an unsent email: who, what, its
// codes and links.
func (m pbMailer) print(to string, msg *mailer.Message) {
	if m.console == nil {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s\nTo:      %s\nSubject: %s\n", ConsoleMarker, to, msg.Subject)
	seen := map[string]bool{}
	for _, c := range emailCodes.FindAllStringSubmatch(msg.HTML, -1) {
		if !seen[c[1]] {
			seen[c[1]] = true
			fmt.Fprintf(&b, "Code:    %s\n", c[1])
		}
	}
	for _, l := range emailLinks.FindAllStringSubmatch(msg.HTML, -1) {
		if u := html.UnescapeString(l[1]); !seen[u] {
			seen[u] = true
			fmt.Fprintf(&b, "Link:    %s\n", u)
		}
	}
	b.WriteString("=== END OF EMAIL ===\n\n")
	m.mu.Lock()
	defer m.mu.Unlock()
	_, _ = io.WriteString(m.console, b.String())
}

// SMTPConfigured reports whether the dashboard's SMTP settings are on.
func SMTPConfigured(app core.App) bool {
	_, on := SMTPSettings(app)()
	return on
}

// Setup answers what the web app may tell anyone about the school's set-up:
// whether email is sent (else the sign-in screens say to ask the server's
// operator for codes). Nothing of the settings themselves.
func (s *Service) Setup(e *core.RequestEvent) error {
	return e.JSON(http.StatusOK, map[string]any{"smtp": SMTPConfigured(e.App)})
}
