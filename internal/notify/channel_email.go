package notify

import "context"

// EmailChannel sends notifications by email through SMTP. Settings is read
// at every send (the school edits SMTP in the dashboard); it reports false
// while SMTP is off, and the message waits.
type EmailChannel struct {
	Settings func() (SMTPConfig, bool)
}

// Name implements Channel.
func (EmailChannel) Name() string { return ChannelEmail }

// Enabled implements Channel: always, messages wait for SMTP.
func (EmailChannel) Enabled() bool { return true }

// Address implements Channel.
func (EmailChannel) Address(c Contact) (string, string) {
	if c.Email == "" {
		return "", "no email address on the account"
	}
	return c.Email, ""
}

// Send implements Channel.
func (e EmailChannel) Send(ctx context.Context, m Outgoing) (string, error) {
	var cfg SMTPConfig
	if e.Settings != nil {
		if c, on := e.Settings(); on {
			cfg = c
		}
	}
	return "", SMTP{Config: cfg}.Send(ctx, Email{
		To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		Headers: map[string]string{"X-Tutorbase-Delivery": m.Delivery},
	})
}
