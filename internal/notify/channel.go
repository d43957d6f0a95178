package notify

import (
	"context"
	"slices"
)

// Channel is one way of reaching a person. Each is one file of this
// package; the registry that lists the ones a server uses is built once,
// at start (hooks.Register).
type Channel interface {
	// Name is the channel's key in users.notify and deliveries.channel.
	Name() string
	// Enabled reports whether this server can use the channel. Email is
	// always enabled: without SMTP its messages wait, queued, until SMTP
	// is set up.
	Enabled() bool
	// Address is where the channel reaches c, or "" and why it cannot
	// (no number, a number not proven yet, no connected chat).
	Address(c Contact) (addr, why string)
	// Send delivers m and returns the provider's message id, if any. It
	// returns ErrNotConfigured while the channel lacks its settings, a
	// Permanent error for a message that can never go, and a retryable
	// error otherwise.
	Send(ctx context.Context, m Outgoing) (providerID string, err error)
}

// Contact is how a person can be reached.
type Contact struct {
	ID, Name, Email string
	Phone           string
	PhoneProven     bool // confirmed by a code sent to Phone
	TelegramChat    string
	Devices         []string // endpoints of the push subscriptions of the person's devices
}

// Fanout is a channel that reaches a person at several addresses at once
// (push: each device where they turned it on). Each address gets a
// delivery of its own; with none, nothing is queued. Its Address is not
// used for queueing.
type Fanout interface {
	Channel
	Addresses(c Contact) []string
}

// Outgoing is a notification on its way to one address.
type Outgoing struct {
	Delivery      string // the delivery's id: a header, an idempotency key
	To            string // the channel's address for the person
	Subject, Text string
	HTML          string // email's HTML part
	Short         string // the text of SMS, WhatsApp and Telegram
}

// Registry lists the channels of a server, in-app first.
type Registry struct {
	channels []Channel
}

// NewRegistry returns a registry of channels, in the order given.
func NewRegistry(channels ...Channel) *Registry {
	return &Registry{channels: channels}
}

// Get returns the channel called name.
func (r *Registry) Get(name string) (Channel, bool) {
	i := slices.IndexFunc(r.channels, func(c Channel) bool { return c.Name() == name })
	if i < 0 {
		return nil, false
	}
	return r.channels[i], true
}

// Names lists every channel's name (the keys users.notify may use).
func (r *Registry) Names() []string {
	out := make([]string, len(r.channels))
	for i, c := range r.channels {
		out[i] = c.Name()
	}
	return out
}

// Outbox lists the enabled channels that send through deliveries: every
// one but in-app, whose notification record is the message itself.
func (r *Registry) Outbox() []Channel {
	var out []Channel
	for _, c := range r.channels {
		if c.Name() != ChannelInApp && c.Enabled() {
			out = append(out, c)
		}
	}
	return out
}
