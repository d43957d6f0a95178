package notify

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"tutorbase/testkit/pushtest"

	webpush "github.com/SherClockHolmes/webpush-go"
)

// devices is an in-memory PushDevices.
type devices struct {
	keys      map[string]PushKeys
	forgotten []string
}

func (d *devices) Keys(_ context.Context, endpoint string) (PushKeys, error) {
	k, ok := d.keys[endpoint]
	if !ok {
		return PushKeys{}, ErrDeviceGone
	}
	return k, nil
}

func (d *devices) Forget(_ context.Context, endpoint string) error {
	delete(d.keys, endpoint)
	d.forgotten = append(d.forgotten, endpoint)
	return nil
}

func newPush(t *testing.T) (PushChannel, *pushtest.Service, *devices) {
	t.Helper()
	priv, pub, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	svc := pushtest.Start(t, pub)
	store := &devices{keys: map[string]PushKeys{}}
	return PushChannel{PublicKey: pub, PrivateKey: priv, Subject: "mailto:office@school.example", Devices: store}, svc, store
}

func TestPushChannelSend(t *testing.T) {
	ch, svc, store := newPush(t)
	dev := svc.NewDevice(t)
	store.keys[dev.Endpoint] = PushKeys{P256dh: dev.P256dh, Auth: dev.Auth}
	msg := Outgoing{Delivery: "d1", To: dev.Endpoint, Subject: "Lesson confirmed", Text: "long text", Short: "Maths with Tina, Tue 15:00"}

	id, err := ch.Send(context.Background(), msg)
	if err != nil {
		t.Fatal(err)
	}
	got := svc.Messages()
	if len(got) != 1 || got[0].Status != http.StatusCreated {
		t.Fatalf("got %+v, want one accepted message", got)
	}
	if !strings.HasPrefix(id, svc.URL+"/messages/") {
		t.Errorf("provider id %q, want the push service's message URL", id)
	}
	var m PushMessage
	if err := json.Unmarshal(got[0].Payload, &m); err != nil {
		t.Fatalf("decrypted payload %q: %v", got[0].Payload, err)
	}
	if want := (PushMessage{Title: "Lesson confirmed", Body: "Maths with Tina, Tue 15:00", URL: "/notifications"}); m != want {
		t.Errorf("decrypted %+v, want %+v", m, want)
	}
	if got[0].Subject != "mailto:office@school.example" || got[0].TTL != "86400" || got[0].Urgency != "normal" {
		t.Errorf("subject %q, TTL %q, urgency %q", got[0].Subject, got[0].TTL, got[0].Urgency)
	}
}

func TestPushChannelRefusals(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		wantPermanent bool
		wantForgotten bool
	}{
		{"gone: forgotten, not retried", http.StatusGone, true, true},
		{"not found: forgotten, not retried", http.StatusNotFound, true, true},
		{"server error: retried, kept", http.StatusInternalServerError, false, false},
		{"unavailable: retried, kept", http.StatusServiceUnavailable, false, false},
		{"too many: retried, kept", http.StatusTooManyRequests, false, false},
		{"payload refused: not retried, kept", http.StatusRequestEntityTooLarge, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch, svc, store := newPush(t)
			dev := svc.NewDevice(t)
			store.keys[dev.Endpoint] = PushKeys{P256dh: dev.P256dh, Auth: dev.Auth}
			svc.Answer(dev, tt.status)
			_, err := ch.Send(context.Background(), Outgoing{To: dev.Endpoint, Subject: "x", Short: "y"})
			if err == nil {
				t.Fatal("want an error")
			}
			if IsPermanent(err) != tt.wantPermanent {
				t.Errorf("permanent %v, want %v (%v)", IsPermanent(err), tt.wantPermanent, err)
			}
			if got := len(store.forgotten) == 1; got != tt.wantForgotten {
				t.Errorf("forgotten %v, want %v", store.forgotten, tt.wantForgotten)
			}
			if tt.wantForgotten && !errors.Is(err, ErrDeviceGone) {
				t.Errorf("%v does not wrap ErrDeviceGone", err)
			}
		})
	}
}

func TestPushChannelWithoutDeviceOrKeys(t *testing.T) {
	ch, svc, store := newPush(t)
	dev := svc.NewDevice(t)
	if _, err := ch.Send(context.Background(), Outgoing{To: dev.Endpoint}); !IsPermanent(err) || !errors.Is(err, ErrDeviceGone) {
		t.Errorf("a device that turned push off: got %v, want a permanent ErrDeviceGone", err)
	}
	store.keys[dev.Endpoint] = PushKeys{P256dh: "bm90IGEga2V5", Auth: dev.Auth}
	if _, err := ch.Send(context.Background(), Outgoing{To: dev.Endpoint}); !IsPermanent(err) {
		t.Errorf("keys that are no keys: got %v, want a permanent error", err)
	}
	if len(svc.Messages()) != 0 {
		t.Errorf("nothing should reach the push service, got %+v", svc.Messages())
	}
	off := PushChannel{Devices: store}
	if _, err := off.Send(context.Background(), Outgoing{To: dev.Endpoint}); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("without keys: got %v, want ErrNotConfigured", err)
	}
	if off.Enabled() || !ch.Enabled() {
		t.Error("enabled with a key pair only")
	}
}

func TestPushChannelSignedByAnotherKey(t *testing.T) {
	ch, svc, store := newPush(t)
	dev := svc.NewDevice(t)
	store.keys[dev.Endpoint] = PushKeys{P256dh: dev.P256dh, Auth: dev.Auth}
	priv, pub, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		t.Fatal(err)
	}
	ch.PublicKey, ch.PrivateKey = pub, priv
	if _, err := ch.Send(context.Background(), Outgoing{To: dev.Endpoint}); !IsPermanent(err) {
		t.Errorf("got %v, want the service's 403 as a permanent error", err)
	}
	if m := svc.Messages(); len(m) != 1 || m[0].Status != http.StatusForbidden {
		t.Errorf("the fake push service must refuse another key: %+v", m)
	}
}

func TestPushChannelAddresses(t *testing.T) {
	c := Contact{Devices: []string{"https://a.example/1", "https://b.example/2"}}
	if got := (PushChannel{}).Addresses(c); len(got) != 2 {
		t.Errorf("got %v", got)
	}
	if addr, why := (PushChannel{}).Address(Contact{}); addr != "" || why == "" {
		t.Errorf("no device: got %q, %q", addr, why)
	}
}
