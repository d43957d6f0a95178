package notify

import "context"

// InApp is the in-app channel: the notification record itself, shown in
// the web app and sent live over realtime. It has no deliveries.
type InApp struct{}

// Name implements Channel.
func (InApp) Name() string { return ChannelInApp }

// Enabled implements Channel: always.
func (InApp) Enabled() bool { return true }

// Address implements Channel: the person's own id.
func (InApp) Address(c Contact) (string, string) { return c.ID, "" }

// Send implements Channel: nothing to send, the record is the message.
func (InApp) Send(context.Context, Outgoing) (string, error) { return "", nil }
