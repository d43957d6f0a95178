package hooks_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/booking"
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/config"
	"tutorbase/internal/notify"
	"tutorbase/testkit/mailpittest"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/stretchr/testify/require"
)

// useMailpit points app's SMTP settings at a running mailpit.
func useMailpit(t *testing.T, app core.App, mp *mailpittest.Server) {
	t.Helper()
	s := app.Settings()
	s.SMTP.Enabled, s.SMTP.Host, s.SMTP.Port = true, mp.SMTPHost, mp.SMTPPort
	s.Meta.SenderAddress, s.Meta.SenderName = "school@test.localhost", "Test School"
	require.NoError(t, app.Save(s))
}

// clearDeliveries empties the outbox (the fixture queues a few emails).
func clearDeliveries(t *testing.T, app core.App) {
	t.Helper()
	_, err := app.DB().NewQuery("DELETE FROM deliveries").Execute()
	require.NoError(t, err)
}

// waitDeliveries waits for n deliveries matching where (a booking change
// notifies after its answer).
func waitDeliveries(t *testing.T, app core.App, where dbx.Expression, n int) []*core.Record {
	t.Helper()
	var list []*core.Record
	require.Eventually(t, func() bool {
		list = deliveriesOf(t, app, where)
		return len(list) >= n
	}, 5*time.Second, 10*time.Millisecond)
	return list
}

func deliveriesOf(t *testing.T, app core.App, where dbx.Expression) []*core.Record {
	t.Helper()
	list, err := app.FindAllRecords("deliveries", where)
	require.NoError(t, err)
	return list
}

func TestEmailThroughMailpit(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t, config.RequireTestTools())
	app := cast.Clone(t)
	defer app.Cleanup()
	useMailpit(t, app, mp)
	clearDeliveries(t, app)
	srv := hookstest.Serve(t, app)
	ctx := context.Background()
	require.NoError(t, mp.DeleteAll(ctx))

	// the tutor lives in New York: their email shows New York time
	u, err := app.FindRecordById("users", cast.Users[hookstest.Tutor2])
	require.NoError(t, err)
	u.Set("timezone", "America/New_York")
	u.Set("locale", "en")
	require.NoError(t, app.Save(u))

	start, end := romeSlot(3, 15, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 200, res.Status, string(res.Body))
	meeting := res.JSON()["meeting_url"].(string)

	queued := waitDeliveries(t, app, dbx.HashExp{"user": cast.Users[hookstest.Tutor2], "channel": "email", "status": "queued"}, 1)
	require.Len(t, queued, 1, "the booking queued one email for the tutor")
	require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, time.Now()))
	list, err := mp.WaitMessages(ctx, 1)
	require.NoError(t, err)
	m, err := mp.Message(ctx, list[0].ID)
	require.NoError(t, err)
	require.Equal(t, cast.Emails[hookstest.Tutor2], m.To[0].Address)
	require.NotEmpty(t, m.Subject)
	st, _ := time.Parse(time.RFC3339, start)
	local := st.In(mustLoc("America/New_York")).Format("15:04")
	require.Contains(t, m.Text, local, "the time in the recipient's zone")
	require.Contains(t, m.Text, "America/New_York", "with the zone named")
	require.Contains(t, m.Text, meeting, "and the join link")
	d := deliveriesOf(t, app, dbx.HashExp{"id": queued[0].Id})[0]
	require.Equal(t, "sent", d.GetString("status"))
	require.False(t, d.GetDateTime("sent_at").IsZero())

	t.Run("PocketBase's own emails go through the same mailer", func(t *testing.T) {
		require.NoError(t, mp.DeleteAll(ctx))
		mailApp := cast.Clone(t)
		defer mailApp.Cleanup()
		useMailpit(t, mailApp, mp)
		notifications.UseMailer(mailApp, io.Discard)
		mailSrv := hookstest.Serve(t, mailApp)
		res := hookstest.Call(t, mailSrv, http.MethodPost, "/api/collections/users/request-otp", "", map[string]any{"email": cast.Emails[hookstest.Student]})
		require.Equal(t, 200, res.Status)
		list, err := mp.WaitMessages(ctx, 1)
		require.NoError(t, err)
		m, err := mp.Message(ctx, list[0].ID)
		require.NoError(t, err)
		require.Contains(t, m.Subject, "sign-in code")
		require.Equal(t, cast.Emails[hookstest.Student], m.To[0].Address)
	})
}

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// fakeProvider records the requests a provider received.
type fakeProvider struct {
	mu   sync.Mutex
	reqs []recorded
	code int
}

type recorded struct {
	Path, Auth string
	Form       url.Values
	JSON       map[string]any
}

func (f *fakeProvider) server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rec := recorded{Path: r.URL.Path, Auth: r.Header.Get("Authorization")}
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			_ = json.Unmarshal(body, &rec.JSON)
		} else {
			rec.Form, _ = url.ParseQuery(string(body))
		}
		f.mu.Lock()
		f.reqs = append(f.reqs, rec)
		code := f.code
		f.mu.Unlock()
		if code == 0 {
			code = 200
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code != 200 {
			_, _ = w.Write([]byte(`{"ok":false,"error_code":` + itoaSigned(code) + `,"description":"refused","message":"refused"}`))
			return
		}
		_, _ = w.Write([]byte(`{"sid":"SM123","ok":true,"result":{"message_id":1}}`))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSMSWhatsAppTelegram(t *testing.T) {
	t.Parallel()
	twilio, telegram := &fakeProvider{}, &fakeProvider{}
	twSrv, tgSrv := twilio.server(t), telegram.server(t)
	cfg := hookstest.Config
	cfg.Twilio.AccountSID, cfg.Twilio.AuthToken, cfg.Twilio.From, cfg.Twilio.WhatsAppFrom, cfg.Twilio.APIBase = "AC123", "secret", "+15550001111", "+15550002222", twSrv.URL
	cfg.Telegram.BotToken, cfg.Telegram.APIBase = "42:bot-token", tgSrv.URL
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	clearDeliveries(t, app)
	srv := hookstest.Serve(t, app)

	u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
	require.NoError(t, err)
	u.Set("phone", "+393331234567")
	u.Set("phone_verified", true)       // proven (see TestContactProof)
	u.Set("telegram_chat_id", "987654") // connected by the bot
	u.Set("notify", map[string]any{"booking_confirmed": map[string]bool{"sms": true, "whatsapp": true, "telegram": true, "email": false}})
	require.NoError(t, app.Save(u))

	setTutor(hookstest.Tutor2, map[string]any{"auto_confirm": false})(t, app, nil)
	start, end := romeSlot(3, 15, 0, 60)
	res := hookstest.Call(t, srv, http.MethodPost, bookingsURL, cast.Tokens[hookstest.Student], map[string]any{"tutor": cast.Tutors[hookstest.Tutor2], "start": start, "end": end})
	require.Equal(t, 200, res.Status, string(res.Body))
	res = hookstest.Call(t, srv, http.MethodPost, "/api/bookings/"+res.JSON()["id"].(string)+"/confirm", cast.Tokens[hookstest.Tutor2], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	meeting := res.JSON()["meeting_url"].(string)

	// the student's deliveries of the confirmation (their own request's are below)
	confirmed := dbx.NewExp("user = {:u} AND notification IN (SELECT id FROM notifications WHERE kind = 'booking_confirmed')", dbx.Params{"u": cast.Users[hookstest.Student]})
	waitDeliveries(t, app, confirmed, 3)
	require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, time.Now()))
	require.Len(t, twilio.reqs, 2, "one SMS and one WhatsApp")
	byFrom := map[string]recorded{}
	for _, r := range twilio.reqs {
		require.Equal(t, "/2010-04-01/Accounts/AC123/Messages.json", r.Path)
		require.True(t, strings.HasPrefix(r.Auth, "Basic "))
		byFrom[r.Form.Get("From")] = r
	}
	require.Equal(t, "+393331234567", byFrom["+15550001111"].Form.Get("To"))
	require.Equal(t, "whatsapp:+393331234567", byFrom["whatsapp:+15550002222"].Form.Get("To"))
	require.Contains(t, byFrom["+15550001111"].Form.Get("Body"), meeting)
	require.Len(t, telegram.reqs, 1)
	require.Equal(t, "/bot42:bot-token/sendMessage", telegram.reqs[0].Path)
	require.Equal(t, "987654", telegram.reqs[0].JSON["chat_id"])
	require.Contains(t, telegram.reqs[0].JSON["text"], meeting)
	for _, d := range deliveriesOf(t, app, confirmed) {
		require.Equal(t, "sent", d.GetString("status"), d.GetString("channel"))
	}
	require.Empty(t, deliveriesOf(t, app, dbx.And(confirmed, dbx.HashExp{"channel": "email"})), "email was switched off")
	// the request the student sent is told to them too, by email as the defaults want (queued: no SMTP here)
	created := dbx.NewExp("user = {:u} AND notification IN (SELECT id FROM notifications WHERE kind = 'booking_created')", dbx.Params{"u": cast.Users[hookstest.Student]})
	require.Len(t, deliveriesOf(t, app, created), 1)

	t.Run("a provider that refuses the number: failed at once, not retried", func(t *testing.T) {
		twilio.code = 400
		telegram.code = 503
		hookstest.ServicesOf(app).Notifications.Notify(app, []string{cast.Users[hookstest.Student]}, lessonEventFor(t, app, "booking_confirmed"), nil)
		require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, time.Now()))
		sms := deliveriesOf(t, app, dbx.NewExp("user = {:u} AND channel = 'sms' AND status != 'sent'", dbx.Params{"u": cast.Users[hookstest.Student]}))
		require.Len(t, sms, 1)
		require.Equal(t, "failed", sms[0].GetString("status"))
		tg := deliveriesOf(t, app, dbx.NewExp("user = {:u} AND channel = 'telegram' AND status != 'sent'", dbx.Params{"u": cast.Users[hookstest.Student]}))
		require.Equal(t, "queued", tg[0].GetString("status"), "a 503 is retried")
		require.Equal(t, 1, tg[0].GetInt("attempts"))
		require.True(t, tg[0].GetDateTime("next_attempt").Time().After(time.Now()))
	})
}

func lessonEventFor(t *testing.T, app core.App, kind string) notify.Event {
	b, err := app.FindRecordById("bookings", cast.IDs["booking"])
	require.NoError(t, err)
	return booking.LessonEvent(app, b, kind)
}

func TestOutboxSurvivesACrash(t *testing.T) {
	t.Parallel()
	mp := mailpittest.Start(t, config.RequireTestTools())
	app := cast.Clone(t)
	defer app.Cleanup()
	clearDeliveries(t, app)
	ctx := context.Background()
	require.NoError(t, mp.DeleteAll(ctx))

	t.Run("no SMTP yet: email waits, queued, and the request is unaffected", func(t *testing.T) {
		hookstest.ServicesOf(app).Notifications.Notify(app, []string{cast.Users[hookstest.Student]}, lessonEventFor(t, app, "booking_confirmed"), nil)
		require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, time.Now()))
		d := deliveriesOf(t, app, dbx.HashExp{"user": cast.Users[hookstest.Student], "channel": "email"})
		require.Len(t, d, 1)
		require.Equal(t, "queued", d[0].GetString("status"))
		require.Zero(t, d[0].GetInt("attempts"), "waiting for settings is not an attempt")
	})

	useMailpit(t, app, mp)
	d := deliveriesOf(t, app, dbx.HashExp{"user": cast.Users[hookstest.Student], "channel": "email"})[0]

	t.Run("a crash between claim and send: the lease runs out and it is sent once", func(t *testing.T) {
		now := time.Now().Add(10 * time.Minute)
		// the claim committed (sending, leased), then the process died
		d.Set("status", "sending")
		d.Set("lease_until", now.Add(2*time.Minute))
		require.NoError(t, app.Save(d))
		require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, now))
		msgs, err := mp.Messages(ctx)
		require.NoError(t, err)
		require.Empty(t, msgs, "still leased: nobody sends it")
		require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, now.Add(3*time.Minute)))
		require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, now.Add(4*time.Minute)))
		msgs, err = mp.WaitMessages(ctx, 1)
		require.NoError(t, err)
		require.Len(t, msgs, 1, "sent exactly once")
		require.Equal(t, "sent", deliveriesOf(t, app, dbx.HashExp{"id": d.Id})[0].GetString("status"))
	})

	t.Run("an unreachable server: retried with backoff, then failed, never lost", func(t *testing.T) {
		s := app.Settings()
		s.SMTP.Port = 1 // nothing listens there
		require.NoError(t, app.Save(s))
		hookstest.ServicesOf(app).Notifications.Notify(app, []string{cast.Users[hookstest.Student2]}, lessonEventFor(t, app, "booking_cancelled"), nil)
		now := time.Now()
		for attempt := 1; attempt <= 6; attempt++ {
			require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, now))
			x := deliveriesOf(t, app, dbx.HashExp{"user": cast.Users[hookstest.Student2], "channel": "email"})[0]
			require.Equal(t, attempt, x.GetInt("attempts"))
			require.NotEmpty(t, x.GetString("last_error"))
			if attempt < 6 {
				require.Equal(t, "queued", x.GetString("status"))
				now = x.GetDateTime("next_attempt").Time()
			} else {
				require.Equal(t, "failed", x.GetString("status"))
			}
		}
		// staff retry it once the settings are fixed
		useMailpit(t, app, mp)
		x := deliveriesOf(t, app, dbx.HashExp{"user": cast.Users[hookstest.Student2], "channel": "email"})[0]
		srv := hookstest.Serve(t, app)
		require.Equal(t, 403, hookstest.Call(t, srv, http.MethodPost, "/api/deliveries/"+x.Id+"/retry", cast.Tokens[hookstest.Student2], nil).Status)
		require.Equal(t, 200, hookstest.Call(t, srv, http.MethodPost, "/api/deliveries/"+x.Id+"/retry", cast.Tokens[hookstest.Admin], nil).Status)
		require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, time.Now()))
		require.Equal(t, "sent", deliveriesOf(t, app, dbx.HashExp{"id": x.Id})[0].GetString("status"))
	})
}

func TestQuietHoursAndReadAll(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	clearDeliveries(t, app)
	u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
	require.NoError(t, err)
	now := time.Now().In(rome)
	from := now.Add(-time.Hour).Format("15:04") // quiet since an hour ago, for two hours
	to := now.Add(time.Hour).Format("15:04")
	u.Set("quiet_start", from)
	u.Set("quiet_end", to)
	require.NoError(t, app.Save(u))
	hookstest.ServicesOf(app).Notifications.Notify(app, []string{u.Id}, lessonEventFor(t, app, "booking_confirmed"), nil)
	d := deliveriesOf(t, app, dbx.HashExp{"user": u.Id, "channel": "email"})[0]
	next := d.GetDateTime("next_attempt").Time().In(rome)
	require.Equal(t, to, next.Format("15:04"), "delayed to the end of the quiet hours, not dropped")

	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/notifications/read-all", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status)
	require.EqualValues(t, 2, res.JSON()["updated"], "the fixture's and the new one")
	n, err := app.CountRecords("notifications", dbx.NewExp("user = {:u} AND read_at = ''", dbx.Params{"u": u.Id}))
	require.NoError(t, err)
	require.Zero(t, n)
	n, err = app.CountRecords("notifications", dbx.NewExp("read_at = ''"))
	require.NoError(t, err)
	require.NotZero(t, n, "other users' notifications are untouched")

	s := tests.ApiScenario{Name: "a user cannot rewrite a notification", Method: http.MethodPatch,
		URL: "/api/collections/notifications/records/" + cast.IDs["notification"], Headers: cast.Auth(hookstest.Student),
		Body: strings.NewReader(`{"title":"forged"}`), ExpectedStatus: 400, ExpectedContent: []string{`"title":{"code":"server_owned"`},
		TestAppFactory: cast.Factory}
	s.Test(t)
}

// What a notification says, and what the outbox sends from the school's
// address, is the server's: its user may only mark it read.
func TestNotificationsOnlyReadStateIsTheUsers(t *testing.T) {
	t.Parallel()
	app, srv := racingApp(t)
	id := cast.IDs["notification"]
	url := "/api/collections/notifications/records/" + id
	for _, field := range []string{"html", "short", "title", "body", "kind", "data", "user"} {
		value := any("<a href='https://evil.example'>Pay here</a>")
		if field == "data" {
			value = map[string]any{"link": "https://evil.example"}
		}
		if field == "user" {
			value = cast.Users[hookstest.Student2]
		}
		res := hookstest.Call(t, srv, http.MethodPatch, url, cast.Tokens[hookstest.Student], map[string]any{field: value})
		require.Equal(t, 400, res.Status, "%s: %s", field, res.Body)
		require.Contains(t, string(res.Body), `"`+field+`":{"code":`, field)
	}
	n, err := app.FindRecordById("notifications", id)
	require.NoError(t, err)
	require.Equal(t, "", n.GetString("html"))
	require.Equal(t, "", n.GetString("short"))
	require.Equal(t, "Payment received", n.GetString("title"))

	res := hookstest.Call(t, srv, http.MethodPatch, url, cast.Tokens[hookstest.Student], map[string]any{"read_at": time.Now().UTC().Format(time.RFC3339)})
	require.Equal(t, 200, res.Status, string(res.Body))
	n, err = app.FindRecordById("notifications", id)
	require.NoError(t, err)
	require.False(t, n.GetDateTime("read_at").IsZero())
}
