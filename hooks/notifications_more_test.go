package hooks_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"
	"tutorbase/internal/app/notifications"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/logger"
	"github.com/pocketbase/pocketbase/tools/mailer"
	"github.com/stretchr/testify/require"
)

// TestPhoneCodeRequests: the proof of a phone number answers what is
// wrong with a request, and a code the provider did not take can be asked
// for again at once.
func TestPhoneCodeRequests(t *testing.T) {
	t.Parallel()
	twilio := &fakeProvider{}
	cfg := hookstest.Config
	cfg.Twilio.AccountSID, cfg.Twilio.AuthToken, cfg.Twilio.From, cfg.Twilio.APIBase = "AC123", "secret", "+15550001111", twilio.server(t).URL
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	tok := cast.Tokens[hookstest.Student]
	send := func(body any) hookstest.Response {
		return hookstest.Call(t, srv, http.MethodPost, "/api/account/phone/send", tok, body)
	}
	setUser := func(fields map[string]any) {
		u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
		require.NoError(t, err)
		for k, v := range fields {
			u.Set(k, v)
		}
		require.NoError(t, app.Save(u))
	}

	for _, body := range []any{nil, map[string]any{"channel": "fax"}} {
		res := send(body)
		require.Equal(t, 400, res.Status, string(res.Body))
		require.Contains(t, string(res.Body), `"channel":{"code":"validation_invalid_value"`)
	}
	res := send(map[string]any{"channel": "sms"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"phone":{"code":"validation_required"`)
	setUser(map[string]any{"phone": "+393331234567"})
	res = send(map[string]any{"channel": "whatsapp"})
	require.Equal(t, 400, res.Status, "no WhatsApp sender configured")
	require.Contains(t, string(res.Body), `"channel":{"code":"channel_off"`)

	twilio.code = 500
	res = send(map[string]any{"channel": "sms"})
	require.Equal(t, http.StatusBadGateway, res.Status, string(res.Body))
	require.Contains(t, string(res.Body), "Il messaggio non è stato inviato") // the cast speaks the school's language (Italian)
	require.Zero(t, countWhere(t, app, "contact_proofs", dbx.HashExp{"user": cast.Users[hookstest.Student]}), "nothing was sent: no code kept")
	twilio.code = 0
	res = send(map[string]any{"channel": "sms"})
	require.Equal(t, 200, res.Status, "asked again at once: %s", res.Body)

	res = hookstest.Call(t, srv, http.MethodPost, "/api/account/phone/verify", tok, map[string]any{"code": 123456})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"code":{"code":"validation_required"`)

	setUser(map[string]any{"phone_verified": true})
	res = send(map[string]any{"channel": "sms"})
	require.Equal(t, 400, res.Status)
	require.Contains(t, string(res.Body), `"phone":{"code":"already_verified"`)
}

// telegramBot is a Telegram Bot API stand-in whose getMe and sendMessage
// can fail and whose updates the test writes.
type telegramBot struct {
	mu            sync.Mutex
	down, blocked bool
	updates       []map[string]any
	sent          int
}

func (b *telegramBot) server(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b.mu.Lock()
		defer b.mu.Unlock()
		_, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fail := func(code int, desc string) {
			w.WriteHeader(code)
			_, _ = w.Write([]byte(`{"ok":false,"error_code":` + itoaSigned(code) + `,"description":"` + desc + `"}`))
		}
		var result any
		switch {
		case b.down:
			fail(502, "Bad Gateway")
			return
		case strings.HasSuffix(r.URL.Path, "/getMe"):
			result = map[string]any{"id": 42, "is_bot": true, "username": "TestSchoolBot"}
		case strings.HasSuffix(r.URL.Path, "/getUpdates"):
			result, b.updates = b.updates, nil
		case strings.HasSuffix(r.URL.Path, "/sendMessage") && b.blocked:
			fail(403, "Forbidden: bot was blocked by the user")
			return
		case strings.HasSuffix(r.URL.Path, "/sendMessage"):
			b.sent++
			result = map[string]any{"message_id": b.sent}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func (b *telegramBot) message(id int, chatType, text string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.updates = append(b.updates, map[string]any{"update_id": id, "message": map[string]any{
		"message_id": id, "text": text, "chat": map[string]any{"id": 555, "type": chatType}}})
}

// TestTelegramLinkWhenThingsGoWrong: without a bot the link is refused;
// with Telegram down the link and the check say so or carry on; only a
// private chat connects, and a chat that blocked the bot is connected all
// the same.
func TestTelegramLinkWhenThingsGoWrong(t *testing.T) {
	t.Parallel()
	tok := cast.Tokens[hookstest.Student]
	t.Run("no bot configured", func(t *testing.T) {
		app := cast.Clone(t)
		defer app.Cleanup()
		srv := hookstest.Serve(t, app)
		res := hookstest.Call(t, srv, http.MethodPost, "/api/account/telegram/link", tok, nil)
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"channel":{"code":"channel_off"`)
		require.NoError(t, hookstest.ServicesOf(app).Notifications.PollTelegram(app, cast.Now()), "the poll job has nothing to do")
	})

	bot := &telegramBot{}
	cfg := hookstest.Config
	cfg.Telegram.BotToken, cfg.Telegram.APIBase = "42:bot-token", bot.server(t).URL
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	call := func(path string) hookstest.Response { return hookstest.Call(t, srv, http.MethodPost, path, tok, nil) }

	bot.down = true
	res := call("/api/account/telegram/link")
	require.Equal(t, http.StatusBadGateway, res.Status)
	require.Contains(t, string(res.Body), "Telegram non risponde") // the cast speaks the school's language (Italian)
	res = call("/api/account/telegram/check")
	require.Equal(t, 200, res.Status, "the check answers from what is stored: %s", res.Body)
	require.Equal(t, false, res.JSON()["connected"])

	bot.down = false
	res = call("/api/account/telegram/link")
	require.Equal(t, 200, res.Status, string(res.Body))
	token := strings.TrimPrefix(res.JSON()["url"].(string), "https://t.me/TestSchoolBot?start=")
	bot.message(1, "group", "/start "+token)
	res = call("/api/account/telegram/check")
	require.Equal(t, false, res.JSON()["connected"], "a group chat is not the person's")

	bot.blocked = true
	bot.message(2, "private", "/start "+token)
	res = call("/api/account/telegram/check")
	require.Equal(t, true, res.JSON()["connected"], string(res.Body))
	u, err := app.FindRecordById("users", cast.Users[hookstest.Student])
	require.NoError(t, err)
	require.Equal(t, "555", u.GetString("telegram_chat_id"))
	require.Zero(t, bot.sent, "the greeting failed and that is all")
}

// TestDeliveryEdges: an email queued while the school had no SMTP is
// skipped once stale; staff retry only what exists; stored preferences
// that cannot be read fall back to the defaults.
func TestDeliveryEdges(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	srv := hookstest.Serve(t, app)
	s := hookstest.ServicesOf(app).Notifications

	require.NoError(t, s.DispatchDeliveries(app, cast.Now().Add(time.Hour)))
	d, err := app.FindRecordById("deliveries", cast.IDs["delivery"])
	require.NoError(t, err)
	require.Equal(t, "queued", d.GetString("status"), "waits for the SMTP settings")
	require.Equal(t, "not configured", d.GetString("last_error"))
	require.NoError(t, s.DispatchDeliveries(app, cast.Now().Add(49*time.Hour)))
	d, err = app.FindRecordById("deliveries", d.Id)
	require.NoError(t, err)
	require.Equal(t, "skipped", d.GetString("status"))
	require.Contains(t, d.GetString("last_error"), "stale")

	res := hookstest.Call(t, srv, http.MethodPost, "/api/deliveries/nosuchdelivery1/retry", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 404, res.Status)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/deliveries/"+d.Id+"/retry", cast.Tokens[hookstest.Admin], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Equal(t, "queued", res.JSON()["status"])

	_, err = app.DB().NewQuery("UPDATE users SET notify = '{\"reminder\": 42}' WHERE id = {:id}").Bind(dbx.Params{"id": cast.Users[hookstest.Student2]}).Execute()
	require.NoError(t, err)
	clearDeliveries(t, app)
	s.Notify(app, []string{cast.Users[hookstest.Student2]}, lessonEventFor(t, app, "booking_confirmed"), nil)
	require.Len(t, deliveriesOf(t, app, dbx.HashExp{"user": cast.Users[hookstest.Student2], "channel": "email"}), 1, "the default: by email")
}

// TestOneRecipientsFailureSparesTheOthers: notifications of one event are
// written together; when one cannot be, the others are still written.
func TestOneRecipientsFailureSparesTheOthers(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	broken := cast.Users[hookstest.Student2]
	app.OnRecordCreate("notifications").BindFunc(func(e *core.RecordEvent) error {
		if e.Record.GetString("user") == broken {
			return errors.New("disk full")
		}
		return e.Next()
	})
	told := func(user string) int64 {
		return countWhere(t, app, "notifications", dbx.HashExp{"user": user, "kind": "booking_confirmed"})
	}
	s := hookstest.ServicesOf(app).Notifications
	s.Notify(app, []string{cast.Users[hookstest.Student], "nosuchuser0000x", broken, cast.Users[hookstest.Tutor]}, lessonEventFor(t, app, "booking_confirmed"), nil)
	require.EqualValues(t, 1, told(cast.Users[hookstest.Student]))
	require.EqualValues(t, 1, told(cast.Users[hookstest.Tutor]))
	require.Zero(t, told(broken))
}

// TestAuthEmailsWithoutSMTP: with the app's mailer and no SMTP settings,
// PocketBase's own emails (a password reset here) are written to the log,
// so an operator can still read a sign-in code; a message to nobody is an
// error.
func TestAuthEmailsWithoutSMTP(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	notifications.UseMailer(app, io.Discard)
	app.Settings().Logs.MaxDays = 1 // the cast keeps no logs (in memory only)
	srv := hookstest.Serve(t, app)
	res := hookstest.Call(t, srv, http.MethodPost, "/api/collections/users/request-password-reset", "", map[string]any{"email": cast.Emails[hookstest.Student]})
	require.Equal(t, 204, res.Status, string(res.Body))
	require.Eventually(t, func() bool { return app.TestMailer.TotalSend() == 0 && logged(t, app, cast.Emails[hookstest.Student]) }, 5*time.Second, 50*time.Millisecond,
		"the reset email is in the log, not sent")

	err := app.NewMailClient().Send(&mailer.Message{Subject: "nobody"})
	require.ErrorContains(t, err, "no recipient")
}

// logged flushes app's log batch and reports whether an "email not sent"
// entry names to.
func logged(t *testing.T, app core.App, to string) bool {
	t.Helper()
	if h, ok := app.Logger().Handler().(*logger.BatchHandler); ok {
		require.NoError(t, h.WriteAll(context.Background()))
	}
	logs := []*core.Log{}
	require.NoError(t, app.LogQuery().AndWhere(dbx.NewExp("message LIKE 'email not sent%'")).All(&logs))
	for _, l := range logs {
		if l.Data["to"] == to {
			return true
		}
	}
	return false
}

// TestNotificationEdges: an event with no template or no known recipient
// writes nothing; "read all" marks all or none; a proven code whose save
// fails proves nothing.
func TestNotificationEdges(t *testing.T) {
	t.Parallel()
	app := cast.Clone(t)
	defer app.Cleanup()
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	s := hookstest.ServicesOf(app).Notifications
	before := countWhere(t, app, "notifications", nil)
	ev := lessonEventFor(t, app, "booking_confirmed")
	s.Notify(app, []string{"nosuchuser0000x"}, ev, nil)
	ev.Kind = "no_such_kind"
	s.Notify(app, []string{cast.Users[hookstest.Student]}, ev, nil)
	require.Equal(t, before, countWhere(t, app, "notifications", nil))

	var broken atomic.Bool
	broken.Store(true)
	app.OnRecordUpdate("notifications").BindFunc(func(e *core.RecordEvent) error {
		if broken.Load() {
			return errors.New("disk full")
		}
		return e.Next()
	})
	s.Notify(app, []string{cast.Users[hookstest.Student]}, lessonEventFor(t, app, "booking_confirmed"), nil)
	unread := func() int64 {
		return countWhere(t, app, "notifications", dbx.HashExp{"user": cast.Users[hookstest.Student], "read_at": ""})
	}
	require.GreaterOrEqual(t, unread(), int64(2))
	res := hookstest.Call(t, srv, http.MethodPost, "/api/notifications/read-all", cast.Tokens[hookstest.Student], nil)
	refusedSafely(t, res)
	require.GreaterOrEqual(t, unread(), int64(2), "none marked")
	broken.Store(false)
	res = hookstest.Call(t, srv, http.MethodPost, "/api/notifications/read-all", cast.Tokens[hookstest.Student], nil)
	require.Equal(t, 200, res.Status, string(res.Body))
	require.Zero(t, unread())
}
