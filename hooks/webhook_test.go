package hooks_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/stretchr/testify/require"
	"github.com/stripe/stripe-go/v76"
)

// signedJSON is a raw event body, for shapes event() cannot build.
func signedJSON(fields string) []byte {
	return []byte(`{"object":"event","api_version":"` + stripe.APIVersion + `","created":` +
		strconv.FormatInt(time.Now().Unix(), 10) + `,"livemode":false,"pending_webhooks":1,` + fields + `}`)
}

// TestWebhookAcknowledgesWhatItCannotUse: a correctly signed event that
// Tutorbase cannot use (an empty, unknown, overlong or non-string type, an
// object it cannot read, no id) is answered 200, so Stripe does not retry
// it for days, and recorded as ignored, once.
func TestWebhookAcknowledgesWhatItCannotUse(t *testing.T) {
	t.Parallel()
	s := stripeShop(t)
	noID := signedJSON(`"type":"checkout.session.completed","data":{"object":{"id":"cs_1","object":"checkout.session"}}`)
	sum := sha256.Sum256(noID)
	cases := []struct {
		name, id string
		payload  []byte
	}{
		{"an empty type", "evt_empty_type", event("evt_empty_type", "", map[string]any{"id": "cus_1", "object": "customer"})},
		{"an unknown type", "evt_unknown_type", event("evt_unknown_type", "customer.subscription.paused", map[string]any{"id": "sub_1"})},
		{"a type too long to store", "evt_long_type", event("evt_long_type", strings.Repeat("checkout.", 60), map[string]any{"id": "x"})},
		{"a known type whose object cannot be read", "evt_bad_object", event("evt_bad_object", "checkout.session.completed",
			map[string]any{"id": 42, "object": "checkout.session", "payment_status": []int{1}})},
		{"a type that is not a string", "evt_numeric_type", signedJSON(`"id":"evt_numeric_type","type":42,"data":{"object":{}}`)},
		{"no event id", "sha256:" + hex.EncodeToString(sum[:]), noID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for range 2 {
				code, body := deliver(t, s.srv, c.payload, time.Now(), webhookSecret)
				require.Equal(t, 200, code, body)
			}
			rows, err := s.app.FindAllRecords("stripe_events", dbx.HashExp{"event_id": c.id})
			require.NoError(t, err)
			require.Len(t, rows, 1, "recorded once")
			require.Equal(t, "ignored", rows[0].GetString("outcome"))
			require.NotEmpty(t, rows[0].GetString("reason"))
		})
	}
	ok := event("evt_applied_ok", "charge.refunded", map[string]any{"id": "ch_x", "object": "charge"})
	code, body := deliver(t, s.srv, ok, time.Now(), webhookSecret)
	require.Equal(t, 200, code, body)
	r, err := s.app.FindFirstRecordByData("stripe_events", "event_id", "evt_applied_ok")
	require.NoError(t, err)
	require.Equal(t, "applied", r.GetString("outcome"))
}

// TestWebhookFailsOnlyWhenItsOwnWriteFails: the one 5xx of the webhook is
// our own write failing, and Stripe retries it.
func TestWebhookFailsOnlyWhenItsOwnWriteFails(t *testing.T) {
	t.Parallel()
	s := stripeShop(t)
	s.app.OnRecordCreate("stripe_events").BindFunc(func(e *core.RecordEvent) error {
		return errors.New("disk full")
	})
	code, body := deliver(t, s.srv, event("evt_disk_full", "", map[string]any{"id": "x"}), time.Now(), webhookSecret)
	require.Equal(t, 500, code, body)
	require.Contains(t, body, "the payment provider will retry")
}
