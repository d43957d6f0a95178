// Package notifications is how Tutorbase tells people things: a
// notification per person, rendered in their language and zone (in-app,
// live over realtime), and a delivery per other channel they want, sent by
// the dispatcher with retries; plus the proof of the addresses SMS,
// WhatsApp and Telegram use. The channels are internal/notify's, listed
// once in a registry built at start.
package notifications

import (
	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"

	"github.com/pocketbase/pocketbase/core"
)

// Service writes and delivers notifications.
type Service struct {
	env      platform.Env
	channels *notify.Registry
}

// New returns the notifications of a server whose channels are channels.
func New(env platform.Env, channels *notify.Registry) *Service {
	return &Service{env: env, channels: channels}
}

// Channels is the server's channel registry.
func (s *Service) Channels() *notify.Registry { return s.channels }

// MyNotificationsTopic is the realtime topic on which a person hears of
// their own notifications, as {"action": "create"|"update"|"delete",
// "record": …}: whom "notifications/*" tells (the list rule: the
// notification's user), by comparing ids instead of evaluating the rule
// for every subscriber (booking.MyBookingsTopic says why). Every page of
// the web app listens (the bell). Only the notification's user is sent
// anything.
const MyNotificationsTopic = "my/notifications"

// Register binds the routes and hooks of notifications and contact proofs.
func (s *Service) Register(app core.App) {
	platform.TellOnTopic(app, "notifications", MyNotificationsTopic, platform.PeopleNamedIn("user"))
	// what is rendered and sent is the server's; a person marks it read
	platform.Guard(app, "notifications", platform.FieldGuard{Only: []string{"read_at"}})
	s.registerContacts(app)
}
