package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// Delivery channels. The strings are the inner keys of `users.notify` and
// the values of `deliveries.channel`.
const (
	ChannelInApp    = "inapp"
	ChannelEmail    = "email"
	ChannelSMS      = "sms"
	ChannelWhatsApp = "whatsapp"
	ChannelTelegram = "telegram"
	ChannelPush     = "push"
)

// ErrUnknownChannel is returned (wrapped) by [ParsePrefs] for a channel
// that is not one of the server's.
var ErrUnknownChannel = errors.New("unknown notification channel")

// Prefs is a user's `users.notify` value: for each event kind, for each
// channel, whether they want it. Missing entries take [DefaultWants]. A
// nil Prefs is valid and means "all defaults".
type Prefs map[string]map[string]bool

// ParsePrefs decodes a `users.notify` JSON value; channels are the names
// of the server's channels (Registry.Names). Empty input and JSON null are
// no preferences. Unknown kinds and channels are rejected, naming every one
// of them (wrapping [ErrUnknownKind] and [ErrUnknownChannel]), so the hook
// validating a profile update can say exactly what is wrong.
func ParsePrefs(raw []byte, channels []string) (Prefs, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return Prefs{}, nil
	}
	var p Prefs
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, fmt.Errorf("parse notification preferences: %w", err)
	}
	var badKinds, badChannels []string
	for kind, wants := range p {
		if !slices.Contains(Kinds(), kind) {
			badKinds = append(badKinds, fmt.Sprintf("%q", kind))
			continue
		}
		for ch := range wants {
			if !slices.Contains(channels, ch) {
				badChannels = append(badChannels, fmt.Sprintf("%q (in %q)", ch, kind))
			}
		}
	}
	var errs []error
	if len(badKinds) > 0 {
		sort.Strings(badKinds)
		errs = append(errs, fmt.Errorf("%w %s (known: %s)", ErrUnknownKind, strings.Join(badKinds, ", "),
			strings.Join(Kinds(), ", ")))
	}
	if len(badChannels) > 0 {
		sort.Strings(badChannels)
		errs = append(errs, fmt.Errorf("%w %s (known: %s)", ErrUnknownChannel, strings.Join(badChannels, ", "),
			strings.Join(channels, ", ")))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("parse notification preferences: %w", err)
	}
	return p, nil
}

// DefaultWants is the school-wide default for a kind and channel, used when
// a user has no entry of their own:
//   - in-app: always on (it is the notification itself);
//   - email: on for every kind, digest included (the digest job decides
//     who gets a digest at all);
//   - SMS, WhatsApp, Telegram: off, they need a phone number or a chat and
//     cost money, so a user opts in;
//   - push: on for every kind: it reaches only the devices where the
//     person turned push on, which is their opt-in (no device, nothing
//     is queued).
//
// An unknown kind or channel is never wanted.
func DefaultWants(kind, channel string) bool {
	if !slices.Contains(Kinds(), kind) {
		return false
	}
	switch channel {
	case ChannelInApp, ChannelEmail, ChannelPush:
		return true
	default:
		return false
	}
}

// Wants reports whether the user wants kind on channel: their explicit
// entry when there is one, else [DefaultWants]. In-app cannot be turned
// off: it is the record the other channels deliver, so an entry saying
// false is ignored. Unknown kinds are never wanted.
func (p Prefs) Wants(kind, channel string) bool {
	if !slices.Contains(Kinds(), kind) {
		return false
	}
	if channel == ChannelInApp {
		return true
	}
	if want, ok := p[kind][channel]; ok {
		return want
	}
	return DefaultWants(kind, channel)
}
