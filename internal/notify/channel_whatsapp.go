package notify

import "context"

// WhatsAppChannel sends a notification's short text by WhatsApp through
// Twilio, to a proven phone number only.
type WhatsAppChannel struct{ Twilio Twilio }

// Name implements Channel.
func (WhatsAppChannel) Name() string { return ChannelWhatsApp }

// Enabled implements Channel: with a Twilio account and a WhatsApp sender.
func (w WhatsAppChannel) Enabled() bool {
	return w.Twilio.AccountSID != "" && w.Twilio.AuthToken != "" && w.Twilio.WhatsAppFrom != ""
}

// Address implements Channel.
func (WhatsAppChannel) Address(c Contact) (string, string) { return provenPhone(c) }

// Send implements Channel.
func (w WhatsAppChannel) Send(ctx context.Context, m Outgoing) (string, error) {
	return w.Twilio.SendWhatsApp(ctx, m.To, m.Short)
}
