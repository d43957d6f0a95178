package notifications

import (
	"context"
	"crypto/ecdh"
	"database/sql"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"tutorbase/internal/app/platform"
	"tutorbase/internal/notify"
	"tutorbase/internal/oneline"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// pushCollection holds one record per device where a person turned push
// notifications on (the browser's PushSubscription).
const pushCollection = "push_subscriptions"

// Limits of a subscription's fields (the migration's).
const (
	maxEndpoint = 1000
	maxDevice   = 120
)

// pushDevices is the push channel's view of push_subscriptions.
type pushDevices struct{ app core.App }

// PushDevices lets the push channel read a device's keys and forget a
// device its push service no longer knows (both outside any transaction,
// at send time).
func PushDevices(app core.App) notify.PushDevices { return pushDevices{app} }

// Keys implements notify.PushDevices.
func (d pushDevices) Keys(_ context.Context, endpoint string) (notify.PushKeys, error) {
	r, err := d.app.FindFirstRecordByData(pushCollection, "endpoint", endpoint)
	if errors.Is(err, sql.ErrNoRows) {
		return notify.PushKeys{}, notify.ErrDeviceGone
	}
	if err != nil {
		return notify.PushKeys{}, err
	}
	return notify.PushKeys{P256dh: r.GetString("p256dh"), Auth: r.GetString("auth")}, nil
}

// Forget implements notify.PushDevices.
func (d pushDevices) Forget(_ context.Context, endpoint string) error {
	r, err := d.app.FindFirstRecordByData(pushCollection, "endpoint", endpoint)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // already gone
	}
	if err != nil {
		return err
	}
	return d.app.Delete(r)
}

// devicesOf lists the endpoints of a person's push subscriptions.
func devicesOf(app core.App, user string) ([]string, error) {
	var out []string
	err := app.DB().Select("endpoint").From(pushCollection).Where(dbx.HashExp{"user": user}).OrderBy("created").Column(&out)
	return out, err
}

// pushRequest is a browser's PushSubscription.toJSON() and a label.
type pushRequest struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
	Device string `json:"device"`
}

// PushKey answers whether push is on and the school's VAPID public key,
// the applicationServerKey a browser subscribes with.
func (s *Service) PushKey(e *core.RequestEvent) error {
	p := s.env.Config.Push
	return e.JSON(http.StatusOK, map[string]any{"enabled": p.Enabled(), "public_key": p.PublicKey})
}

// PushSubscribe records the caller's device: a new endpoint is added, a
// known one (the same device subscribing again, or another person signing
// in on it) is updated and given to the caller, under the write lock.
func (s *Service) PushSubscribe(e *core.RequestEvent) error {
	if !s.env.Config.Push.Enabled() {
		return platform.RuleError(http.StatusBadRequest, "endpoint", "push_off", "Push notifications are not set up on this server.")
	}
	var in pushRequest
	if err := e.BindBody(&in); err != nil {
		return platform.RuleError(http.StatusBadRequest, "endpoint", "validation_invalid_value", "Send the browser's push subscription.")
	}
	if field, msg := checkSubscription(in); field != "" {
		return platform.RuleError(http.StatusBadRequest, field, "validation_invalid_value", msg)
	}
	var saved *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		r, err := tx.FindFirstRecordByData(pushCollection, "endpoint", in.Endpoint) // under the write lock
		if errors.Is(err, sql.ErrNoRows) {
			col, cerr := tx.FindCachedCollectionByNameOrId(pushCollection)
			if cerr != nil {
				return cerr
			}
			r, err = core.NewRecord(col), nil
			r.Set("endpoint", in.Endpoint)
		}
		if err != nil {
			return err
		}
		r.Set("user", e.Auth.Id)
		r.Set("p256dh", in.Keys.P256dh)
		r.Set("auth", in.Keys.Auth)
		r.Set("device", oneline.Truncate(oneline.Clean(in.Device), maxDevice))
		saved = r
		return tx.Save(r)
	})
	if err != nil {
		return err
	}
	if err := apis.EnrichRecord(e, saved); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, saved)
}

// PushUnsubscribe removes the caller's subscription of one device (push
// turned off there); another person's is left alone.
func (s *Service) PushUnsubscribe(e *core.RequestEvent) error {
	var in struct {
		Endpoint string `json:"endpoint"`
	}
	if err := e.BindBody(&in); err != nil || in.Endpoint == "" {
		return platform.RuleError(http.StatusBadRequest, "endpoint", "validation_required", "Send the device's push endpoint.")
	}
	res, err := e.App.DB().Delete(pushCollection, dbx.HashExp{"endpoint": in.Endpoint, "user": e.Auth.Id}).Execute()
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"removed": n})
}

// checkSubscription returns the field that is wrong and why, or "".
func checkSubscription(in pushRequest) (field, msg string) {
	u, err := url.Parse(in.Endpoint)
	if err != nil || u.Scheme != "https" || u.Host == "" || len(in.Endpoint) > maxEndpoint {
		return "endpoint", "The push endpoint must be an https address of at most 1000 characters."
	}
	if raw, err := decodeKey(in.Keys.P256dh); err != nil {
		return "keys.p256dh", "The device key is not a P-256 public key."
	} else if _, err := ecdh.P256().NewPublicKey(raw); err != nil {
		return "keys.p256dh", "The device key is not a P-256 public key."
	}
	if raw, err := decodeKey(in.Keys.Auth); err != nil || len(raw) != 16 {
		return "keys.auth", "The device's auth secret must be 16 bytes."
	}
	return "", ""
}

// decodeKey reads base64url, with or without padding (browsers write it
// without).
func decodeKey(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}
