package notify

import "context"

// SMSChannel sends a notification's short text by SMS through Twilio, to
// a proven phone number only.
type SMSChannel struct{ Twilio Twilio }

// Name implements Channel.
func (SMSChannel) Name() string { return ChannelSMS }

// Enabled implements Channel: with a Twilio account and an SMS sender.
func (s SMSChannel) Enabled() bool {
	return s.Twilio.AccountSID != "" && s.Twilio.AuthToken != "" && s.Twilio.From != ""
}

// Address implements Channel.
func (SMSChannel) Address(c Contact) (string, string) { return provenPhone(c) }

// Send implements Channel.
func (s SMSChannel) Send(ctx context.Context, m Outgoing) (string, error) {
	return s.Twilio.SendSMS(ctx, m.To, m.Short)
}

// provenPhone is a person's phone number once they confirmed it.
func provenPhone(c Contact) (string, string) {
	switch {
	case c.Phone == "":
		return "", "no phone number on the account"
	case !c.PhoneProven:
		return "", "the phone number is not confirmed"
	}
	return c.Phone, ""
}
