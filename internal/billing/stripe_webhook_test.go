package billing

import (
	"errors"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v76/webhook"
)

func TestVerifyWebhook(t *testing.T) {
	const secret = "whsec_test"
	tests := []struct {
		name    string
		payload string
		secret  string
		at      time.Time
		want    error
	}{
		{"a signed event", `{"id":"evt_1","type":"charge.refunded","api_version":"` + StripeAPIVersion + `","data":{"object":{}}}`, secret, time.Now(), nil},
		{"an empty type is still an event", `{"id":"evt_2","type":"","api_version":"` + StripeAPIVersion + `"}`, secret, time.Now(), nil},
		{"another secret", `{"id":"evt_3"}`, "whsec_other", time.Now(), ErrBadSignature},
		{"signed too long ago", `{"id":"evt_4"}`, secret, time.Now().Add(-10 * time.Minute), ErrBadSignature},
		{"a type that is not a string", `{"id":"evt_5","type":42,"api_version":"` + StripeAPIVersion + `"}`, secret, time.Now(), ErrMalformedEvent},
		{"not JSON", `evt`, secret, time.Now(), ErrMalformedEvent},
		{"another API version", `{"id":"evt_6","type":"charge.refunded","api_version":"2020-08-27"}`, secret, time.Now(), ErrAPIVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(tt.payload), Secret: tt.secret, Timestamp: tt.at})
			_, err := VerifyWebhook([]byte(tt.payload), signed.Header, secret)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}
