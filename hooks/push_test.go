package hooks_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/config"
	"tutorbase/internal/notify"
	"tutorbase/testkit/pushtest"

	webpush "github.com/SherClockHolmes/webpush-go"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// pushConfig is the test configuration with a fresh VAPID pair, and a fake
// push service that checks messages against it.
func pushConfig(t *testing.T) (config.Config, *pushtest.Service) {
	t.Helper()
	priv, pub, err := webpush.GenerateVAPIDKeys()
	require.NoError(t, err)
	cfg := hookstest.Config
	cfg.Push = config.Push{PublicKey: pub, PrivateKey: priv, Subject: "mailto:office@school.example"}
	return cfg, pushtest.Start(t, pub)
}

// subscription is what a browser's PushSubscription.toJSON() sends.
func subscription(endpoint string, d *pushtest.Device) map[string]any {
	return map[string]any{"endpoint": endpoint, "keys": map[string]string{"p256dh": d.P256dh, "auth": d.Auth}, "device": "Firefox on Android"}
}

// pushSubs lists the subscriptions matching where, but the fixture's.
func pushSubs(t *testing.T, app core.App, where dbx.Expression) []*core.Record {
	t.Helper()
	notFixture := dbx.NewExp("id != {:id}", dbx.Params{"id": cast.IDs["push_subscription"]})
	if where != nil {
		notFixture = dbx.And(notFixture, where)
	}
	list, err := app.FindAllRecords("push_subscriptions", notFixture)
	require.NoError(t, err)
	return list
}

func TestPushSubscriptions(t *testing.T) {
	t.Parallel()
	cfg, svc := pushConfig(t)
	dev := svc.NewDevice(t)
	endpoint := "https://push.example.net/send/abc123"
	student, other := cast.Tokens[hookstest.Student], cast.Tokens[hookstest.Student2]

	t.Run("without VAPID keys push is off", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		srv := hookstest.Serve(t, app)
		res := hookstest.Call(t, srv, http.MethodGet, "/api/account/push", student, nil)
		require.Equal(t, 200, res.Status)
		require.Equal(t, false, res.JSON()["enabled"])
		res = hookstest.Call(t, srv, http.MethodPost, "/api/account/push/subscribe", student, subscription(endpoint, dev))
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), "push_off")
		require.Empty(t, pushSubs(t, app, nil))
	})

	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)

	res := hookstest.Call(t, srv, http.MethodGet, "/api/account/push", student, nil)
	require.Equal(t, 200, res.Status)
	require.Equal(t, map[string]any{"enabled": true, "public_key": cfg.Push.PublicKey}, res.JSON())
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodGet, "/api/account/push", "", nil).Status)
	require.Equal(t, 401, hookstest.Call(t, srv, http.MethodPost, "/api/account/push/subscribe", "", subscription(endpoint, dev)).Status)

	t.Run("a subscription that is no subscription is refused and changes nothing", func(t *testing.T) {
		bad := []struct {
			field string
			body  map[string]any
		}{
			{"endpoint", subscription("http://push.example.net/send/x", dev)},
			{"endpoint", subscription("https:///nohost", dev)},
			{"endpoint", subscription("https://push.example.net/"+string(make([]byte, 1000)), dev)},
			{"keys.p256dh", map[string]any{"endpoint": endpoint, "keys": map[string]string{"p256dh": "bm90LWEta2V5", "auth": dev.Auth}}},
			{"keys.auth", map[string]any{"endpoint": endpoint, "keys": map[string]string{"p256dh": dev.P256dh, "auth": "c2hvcnQ"}}},
		}
		for _, b := range bad {
			res := hookstest.Call(t, srv, http.MethodPost, "/api/account/push/subscribe", student, b.body)
			require.Equal(t, 400, res.Status, string(res.Body))
			require.Contains(t, res.JSON()["data"], b.field, string(res.Body))
		}
		require.Empty(t, pushSubs(t, app, nil))
	})

	t.Run("a device subscribes once, however often and however fast it asks", func(t *testing.T) {
		rs := hookstest.Fire(t, srv, 8, http.MethodPost, "/api/account/push/subscribe", student, subscription(endpoint, dev))
		require.Equal(t, map[int]int{200: 8}, hookstest.Statuses(rs))
		subs := pushSubs(t, app, nil)
		require.Len(t, subs, 1)
		require.Equal(t, cast.Users[hookstest.Student], subs[0].GetString("user"))
		require.Equal(t, dev.P256dh, subs[0].GetString("p256dh"))
		require.Equal(t, "Firefox on Android", subs[0].GetString("device"))
		require.NotContains(t, string(rs[0].Body), dev.Auth, "the keys are hidden fields")
	})

	t.Run("another person signing in on the device takes it over", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/account/push/subscribe", other, subscription(endpoint, dev))
		require.Equal(t, 200, res.Status, string(res.Body))
		subs := pushSubs(t, app, nil)
		require.Len(t, subs, 1)
		require.Equal(t, cast.Users[hookstest.Student2], subs[0].GetString("user"))
	})

	t.Run("turning push off removes only the caller's own device", func(t *testing.T) {
		res := hookstest.Call(t, srv, http.MethodPost, "/api/account/push/unsubscribe", student, map[string]any{"endpoint": endpoint})
		require.Equal(t, 200, res.Status)
		require.Equal(t, float64(0), res.JSON()["removed"])
		require.Len(t, pushSubs(t, app, nil), 1)
		res = hookstest.Call(t, srv, http.MethodPost, "/api/account/push/unsubscribe", other, map[string]any{"endpoint": endpoint})
		require.Equal(t, 200, res.Status)
		require.Equal(t, float64(1), res.JSON()["removed"])
		require.Empty(t, pushSubs(t, app, nil))
		require.Equal(t, 400, hookstest.Call(t, srv, http.MethodPost, "/api/account/push/unsubscribe", other, map[string]any{}).Status)
	})
}

// addDevice subscribes a device of the fake push service for user. The
// fake listens on plain http, which the subscribe route refuses (it takes
// https endpoints only), so the record is written directly, as the route
// would write it.
func addDevice(t *testing.T, app core.App, svc *pushtest.Service, user string) *pushtest.Device {
	t.Helper()
	d := svc.NewDevice(t)
	col, err := app.FindCollectionByNameOrId("push_subscriptions")
	require.NoError(t, err)
	r := core.NewRecord(col)
	r.Load(map[string]any{"user": user, "endpoint": d.Endpoint, "p256dh": d.P256dh, "auth": d.Auth})
	require.NoError(t, app.Save(r))
	return d
}

func TestPushDeliveries(t *testing.T) {
	t.Parallel()
	cfg, svc := pushConfig(t)
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	clearDeliveries(t, app)
	notes := hookstest.ServicesOf(app).Notifications
	student := cast.Users[hookstest.Student]
	_, err := app.DB().Delete("push_subscriptions", nil).Execute() // the fixture's device is not the fake's
	require.NoError(t, err)
	phone, laptop := addDevice(t, app, svc, student), addDevice(t, app, svc, student)
	pushOf := func(status string) []*core.Record {
		return deliveriesOf(t, app, dbx.HashExp{"user": student, "channel": "push", "status": status})
	}

	notes.Notify(app, []string{student}, lessonEventFor(t, app, "booking_confirmed"), nil)
	queued := pushOf("queued")
	require.Len(t, queued, 2, "one delivery per device")
	require.ElementsMatch(t, []string{phone.Endpoint, laptop.Endpoint}, []string{queued[0].GetString("recipient"), queued[1].GetString("recipient")})
	n, err := app.FindRecordById("notifications", queued[0].GetString("notification"))
	require.NoError(t, err)

	require.NoError(t, notes.DispatchDeliveries(app, time.Now()))
	msgs := svc.Messages()
	require.Len(t, msgs, 2)
	for _, m := range msgs {
		require.Equal(t, http.StatusCreated, m.Status, m.Err)
		var got notify.PushMessage
		require.NoError(t, json.Unmarshal(m.Payload, &got), "decrypted with the device's key")
		require.Equal(t, notify.PushMessage{Title: n.GetString("title"), Body: n.GetString("short"), URL: "/notifications"}, got)
	}
	require.Len(t, pushOf("sent"), 2)

	t.Run("a device the push service calls gone is forgotten; a 5xx is retried later", func(t *testing.T) {
		clearDeliveries(t, app)
		svc.Answer(phone, http.StatusGone)
		svc.Answer(laptop, http.StatusInternalServerError)
		notes.Notify(app, []string{student}, lessonEventFor(t, app, "booking_confirmed"), nil)
		now := time.Now()
		require.NoError(t, notes.DispatchDeliveries(app, now))

		failed := pushOf("failed")
		require.Len(t, failed, 1)
		require.Equal(t, phone.Endpoint, failed[0].GetString("recipient"))
		require.Contains(t, failed[0].GetString("last_error"), "410")
		require.Empty(t, pushSubs(t, app, dbx.HashExp{"endpoint": phone.Endpoint}), "the gone device is removed")

		retry := pushOf("queued")
		require.Len(t, retry, 1)
		require.Equal(t, laptop.Endpoint, retry[0].GetString("recipient"))
		require.Equal(t, 1, retry[0].GetInt("attempts"))
		require.WithinDuration(t, now.Add(time.Minute), retry[0].GetDateTime("next_attempt").Time(), time.Second)
		require.Len(t, pushSubs(t, app, dbx.HashExp{"endpoint": laptop.Endpoint}), 1, "a 5xx keeps the device")

		require.NoError(t, notes.DispatchDeliveries(app, now.Add(30*time.Second)))
		require.Len(t, pushOf("queued"), 1, "not due yet")
		require.NoError(t, notes.DispatchDeliveries(app, now.Add(2*time.Minute)))
		require.Len(t, pushOf("sent"), 1, "the retry went out")
		last := svc.Messages()[len(svc.Messages())-1]
		require.Equal(t, laptop.ID, last.Device)
		require.Equal(t, http.StatusCreated, last.Status)
	})

	t.Run("a person who turned push off for a kind, or has no device, gets no push", func(t *testing.T) {
		clearDeliveries(t, app)
		u, err := app.FindRecordById("users", student)
		require.NoError(t, err)
		u.Set("notify", map[string]any{"booking_confirmed": map[string]bool{"push": false}})
		require.NoError(t, app.Save(u))
		other := cast.Users[hookstest.Student2]
		notes.Notify(app, []string{student, other}, lessonEventFor(t, app, "booking_confirmed"), nil)
		require.Empty(t, deliveriesOf(t, app, dbx.HashExp{"channel": "push"}), "no push delivery, not even a skipped one")
		require.NotEmpty(t, deliveriesOf(t, app, dbx.HashExp{"channel": "email"}), "the other channels still go")
	})
}

// The role × action table of push_subscriptions lives in accessCases; a
// person's list shows only their own devices even when others have some.
func TestPushSubscriptionsListedToTheirOwner(t *testing.T) {
	t.Parallel()
	cfg, svc := pushConfig(t)
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	addDevice(t, app, svc, cast.Users[hookstest.Student2])
	s := tests.ApiScenario{
		Method: http.MethodGet, URL: "/api/collections/push_subscriptions/records", Headers: cast.Auth(hookstest.Student2),
		TestAppFactory: func(testing.TB) *tests.TestApp { return app }, DisableTestAppCleanup: true,
		ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":1`}, NotExpectedContent: []string{`"p256dh"`, `"auth"`},
	}
	s.Test(t)
}
