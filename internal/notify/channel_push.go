package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	webpush "github.com/SherClockHolmes/webpush-go"
)

// PushTTL is how long a push service keeps a message for a device that is
// offline (seconds): a day, after which a reminder is stale.
const PushTTL = 24 * 60 * 60

// ErrDeviceGone is wrapped by the push channel's error when a device can
// no longer be reached: its subscription was removed (push turned off on
// it), or the push service answered 404 or 410 (then the channel forgets
// the subscription through [PushDevices]).
var ErrDeviceGone = errors.New("push: the device is no longer subscribed")

// PushKeys are a push subscription's keys (PushSubscription.getKey, in
// base64url): the device's P-256 public key and its auth secret.
type PushKeys struct {
	P256dh, Auth string
}

// PushDevices is where the push channel finds a device's keys by its
// endpoint (the delivery's address) and forgets a device the push service
// no longer knows. The notifications capability implements it on the
// push_subscriptions collection.
type PushDevices interface {
	// Keys returns the keys of the subscription with this endpoint, or an
	// error wrapping ErrDeviceGone when there is none.
	Keys(ctx context.Context, endpoint string) (PushKeys, error)
	// Forget removes the subscription with this endpoint.
	Forget(ctx context.Context, endpoint string) error
}

// PushMessage is the JSON a device's service worker receives
// (pb_public/sw.js shows it as a notification and opens URL on a tap).
type PushMessage struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	URL   string `json:"url"`
}

// PushChannel sends a notification's title and short text by Web Push
// (RFC 8030, encrypted per RFC 8291, signed with the school's VAPID key
// per RFC 8292) to each device where a person turned push on: one
// delivery per device.
type PushChannel struct {
	PublicKey, PrivateKey string // the school's VAPID pair (base64url)
	Subject               string // "mailto:..." or an https URL
	Devices               PushDevices
	Client                *http.Client // nil: a client with DefaultTimeout
}

// Name implements Channel.
func (PushChannel) Name() string { return ChannelPush }

// Enabled implements Channel: with a VAPID key pair.
func (p PushChannel) Enabled() bool {
	return p.PublicKey != "" && p.PrivateKey != "" && p.Devices != nil
}

// Address implements Channel: push fans out (Addresses); a person without
// a device cannot be reached.
func (PushChannel) Address(c Contact) (string, string) {
	if len(c.Devices) == 0 {
		return "", "push is not turned on on any device"
	}
	return c.Devices[0], ""
}

// Addresses implements Fanout: the endpoint of each of the person's devices.
func (PushChannel) Addresses(c Contact) []string { return c.Devices }

// Send implements Channel. A 404 or 410 from the push service means the
// subscription has expired or was revoked in the browser: the device is
// forgotten and the delivery fails for good. 429 and 5xx are retried,
// other refusals are permanent.
func (p PushChannel) Send(ctx context.Context, m Outgoing) (string, error) {
	if !p.Enabled() {
		return "", ErrNotConfigured
	}
	keys, err := p.Devices.Keys(ctx, m.To)
	if err != nil {
		if errors.Is(err, ErrDeviceGone) {
			return "", Permanent(err)
		}
		return "", fmt.Errorf("push: read the device: %w", err)
	}
	payload, err := json.Marshal(PushMessage{Title: truncate(m.Subject, 200), Body: truncate(m.Short, 1000), URL: "/notifications"})
	if err != nil {
		return "", Permanent(err)
	}
	client := p.Client
	if client == nil {
		client = &http.Client{Timeout: DefaultTimeout}
	}
	resp, err := webpush.SendNotificationWithContext(ctx, payload,
		&webpush.Subscription{Endpoint: m.To, Keys: webpush.Keys{P256dh: keys.P256dh, Auth: keys.Auth}},
		&webpush.Options{
			HTTPClient: client, Subscriber: strings.TrimPrefix(p.Subject, "mailto:"), // the library adds mailto: back
			VAPIDPublicKey: p.PublicKey, VAPIDPrivateKey: p.PrivateKey, TTL: PushTTL, Urgency: webpush.UrgencyNormal,
		})
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) { // the request went out and failed: worth another try
			return "", fmt.Errorf("push: send request: %w", ue.Err)
		}
		return "", Permanent(fmt.Errorf("push: encrypt for the device: %w", err)) // keys that are no keys
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return truncate(resp.Header.Get("Location"), 250), nil
	case resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone:
		gone := fmt.Errorf("%w (http %d)", ErrDeviceGone, resp.StatusCode)
		if err := p.Devices.Forget(ctx, m.To); err != nil {
			return "", errors.Join(gone, err) // retried: forgotten next time
		}
		return "", Permanent(gone)
	}
	return "", statusError("push", resp.StatusCode, string(body), "")
}
