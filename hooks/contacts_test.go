package hooks_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tutorbase/hooks/hookstest"

	"github.com/pocketbase/dbx"
	"github.com/stretchr/testify/require"
)

// fakeTelegram is a stand-in for the Telegram Bot API: getMe, getUpdates
// from a queue the test fills (as if people wrote to the bot), and
// sendMessage, recorded.
type fakeTelegram struct {
	mu      sync.Mutex
	updates []map[string]any
	offsets []float64
	sent    []map[string]any
}

func (f *fakeTelegram) server(t *testing.T, token string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
		raw, _ := io.ReadAll(r.Body)
		_ = json.Unmarshal(raw, &body)
		f.mu.Lock()
		defer f.mu.Unlock()
		var result any
		switch r.URL.Path {
		case "/bot" + token + "/getMe":
			result = map[string]any{"id": 42, "is_bot": true, "username": "TestSchoolBot"}
		case "/bot" + token + "/getUpdates":
			offset, _ := body["offset"].(float64)
			f.offsets = append(f.offsets, offset)
			var out []map[string]any
			for _, u := range f.updates {
				if u["update_id"].(float64) >= offset {
					out = append(out, u)
				}
			}
			result = out
		case "/bot" + token + "/sendMessage":
			f.sent = append(f.sent, body)
			result = map[string]any{"message_id": len(f.sent)}
		default:
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"ok":false,"error_code":404,"description":"Not Found"}`))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "result": result})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// write queues a private message from chat to the bot.
func (f *fakeTelegram) write(id, chat float64, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.updates = append(f.updates, map[string]any{"update_id": id, "message": map[string]any{
		"message_id": id, "text": text, "chat": map[string]any{"id": chat, "type": "private"}}})
}

func TestContactProof(t *testing.T) {
	t.Parallel()
	twilio, telegram := &fakeProvider{}, &fakeTelegram{}
	twSrv, tgSrv := twilio.server(t), telegram.server(t, "42:bot-token")
	cfg := hookstest.Config
	cfg.Twilio.AccountSID, cfg.Twilio.AuthToken, cfg.Twilio.From, cfg.Twilio.WhatsAppFrom, cfg.Twilio.APIBase = "AC123", "secret", "+15550001111", "+15550002222", twSrv.URL
	cfg.Telegram.BotToken, cfg.Telegram.APIBase = "42:bot-token", tgSrv.URL
	app := cast.CloneWith(t, cfg)
	defer app.Cleanup()
	clearDeliveries(t, app)
	hookstest.NoRateLimits(app)
	srv := hookstest.Serve(t, app)
	student, tok := cast.Users[hookstest.Student], cast.Tokens[hookstest.Student]
	call := func(method, path, token string, body any) hookstest.Response {
		return hookstest.Call(t, srv, method, path, token, body)
	}
	user := func(id string) map[string]any {
		u, err := app.FindRecordById("users", id)
		require.NoError(t, err)
		return map[string]any{"phone": u.GetString("phone"), "phone_verified": u.GetBool("phone_verified"), "telegram_chat_id": u.GetString("telegram_chat_id")}
	}
	notifyStudent := func() {
		hookstest.ServicesOf(app).Notifications.Notify(app, []string{student}, lessonEventFor(t, app, "booking_confirmed"), nil)
		require.NoError(t, hookstest.ServicesOf(app).Notifications.DispatchDeliveries(app, time.Now()))
	}

	res := call(http.MethodPatch, "/api/collections/users/records/"+student, tok, map[string]any{
		"phone":  "+393331234567",
		"notify": map[string]any{"booking_confirmed": map[string]bool{"sms": true, "whatsapp": true, "telegram": true, "email": false}},
	})
	require.Equal(t, 200, res.Status, string(res.Body))

	t.Run("a typed number gets nothing until it is proven", func(t *testing.T) {
		notifyStudent()
		require.Empty(t, twilio.reqs, "no SMS or WhatsApp to an unproven number")
		for _, ch := range []string{"sms", "whatsapp"} {
			d := deliveriesOf(t, app, dbx.HashExp{"user": student, "channel": ch})
			require.Len(t, d, 1)
			require.Equal(t, "skipped", d[0].GetString("status"))
			require.Equal(t, "the phone number is not confirmed", d[0].GetString("last_error"))
		}
	})
	t.Run("nobody proves a number or a chat by saying so", func(t *testing.T) {
		for _, body := range []map[string]any{{"phone_verified": true}, {"telegram_chat_id": "987654"}} {
			res := call(http.MethodPatch, "/api/collections/users/records/"+student, tok, body)
			require.Equal(t, 400, res.Status, string(res.Body))
			require.Contains(t, string(res.Body), `"code":"server_owned"`)
		}
		require.Equal(t, map[string]any{"phone": "+393331234567", "phone_verified": false, "telegram_chat_id": ""}, user(student))
	})

	var code string
	t.Run("a code by SMS proves the number", func(t *testing.T) {
		res := call(http.MethodPost, "/api/account/phone/send", tok, map[string]any{"channel": "sms"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Len(t, twilio.reqs, 1)
		sms := twilio.reqs[0].Form
		require.Equal(t, "+393331234567", sms.Get("To"))
		require.Equal(t, "+15550001111", sms.Get("From"))
		m := regexp.MustCompile(`\b([0-9]{6})\b`).FindStringSubmatch(sms.Get("Body"))
		require.Len(t, m, 2, sms.Get("Body"))
		code = m[1]
		require.Contains(t, sms.Get("Body"), "codice", "in the student's language (it)")

		res = call(http.MethodPost, "/api/account/phone/send", tok, map[string]any{"channel": "whatsapp"})
		require.Equal(t, 429, res.Status, "one code a minute")
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		res = call(http.MethodPost, "/api/account/phone/verify", tok, map[string]any{"code": wrong})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"code":{"code":"wrong_code"`)
		res = call(http.MethodPost, "/api/account/phone/verify", tok, map[string]any{"code": code[:3] + " " + code[3:]})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, true, res.JSON()["phone_verified"])

		notifyStudent()
		require.Len(t, twilio.reqs, 3, "now one SMS and one WhatsApp go out")
	})
	t.Run("a new number must be proven again", func(t *testing.T) {
		res := call(http.MethodPatch, "/api/collections/users/records/"+student, tok, map[string]any{"phone": "+393339999999"})
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, false, user(student)["phone_verified"])
		res = call(http.MethodPost, "/api/account/phone/verify", tok, map[string]any{"code": code})
		require.Equal(t, 400, res.Status, "the old code is spent")
	})

	t.Run("wrong codes sent at once are all counted: five tries, then none", func(t *testing.T) {
		other, otherTok := cast.Users[hookstest.Student2], cast.Tokens[hookstest.Student2]
		res := call(http.MethodPatch, "/api/collections/users/records/"+other, otherTok, map[string]any{"phone": "+393330000002"})
		require.Equal(t, 200, res.Status, string(res.Body))
		res = call(http.MethodPost, "/api/account/phone/send", otherTok, map[string]any{"channel": "whatsapp"})
		require.Equal(t, 200, res.Status, string(res.Body))
		last := twilio.reqs[len(twilio.reqs)-1].Form
		require.Equal(t, "whatsapp:+393330000002", last.Get("To"))
		right := regexp.MustCompile(`\b([0-9]{6})\b`).FindStringSubmatch(last.Get("Body"))[1]

		codes := make([]string, 8)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				guess := "99999" + string(rune('0'+i))
				if guess == right {
					guess = "888888"
				}
				_, body := postBody(srv, "/api/account/phone/verify", otherTok, map[string]any{"code": guess})
				var out struct {
					Data map[string]struct{ Code string } `json:"data"`
				}
				_ = json.Unmarshal([]byte(body), &out)
				codes[i] = out.Data["code"].Code
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for _, c := range codes {
			count[c]++
		}
		require.Equal(t, map[string]int{"wrong_code": 5, "too_many_attempts": 3}, count)
		p, err := app.FindFirstRecordByFilter("contact_proofs", "user = {:u}", dbx.Params{"u": other})
		require.NoError(t, err)
		require.Equal(t, 5, p.GetInt("attempts"))
		res = call(http.MethodPost, "/api/account/phone/verify", otherTok, map[string]any{"code": right})
		require.Equal(t, 400, res.Status)
		require.Contains(t, string(res.Body), `"code":{"code":"too_many_attempts"`, "even the right code, after five wrong ones")
		require.Equal(t, false, user(other)["phone_verified"])
	})

	t.Run("Telegram: the bot's deep link connects the chat that pressed Start", func(t *testing.T) {
		res := call(http.MethodPost, "/api/account/telegram/link", tok, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		url := res.JSON()["url"].(string)
		m := regexp.MustCompile(`^https://t\.me/TestSchoolBot\?start=([A-Za-z0-9]{32})$`).FindStringSubmatch(url)
		require.Len(t, m, 2, url)

		res = call(http.MethodPost, "/api/account/telegram/check", tok, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, false, res.JSON()["connected"], "not before Start")

		telegram.write(100, 555, "hello")
		telegram.write(101, 555, "/start "+m[1])
		res = call(http.MethodPost, "/api/account/telegram/check", tok, nil)
		require.Equal(t, true, res.JSON()["connected"], string(res.Body))
		require.Equal(t, "555", user(student)["telegram_chat_id"])
		require.Len(t, telegram.sent, 1, "the bot says it is done")
		require.Equal(t, "555", telegram.sent[0]["chat_id"])

		// the token works once: another chat sending it later changes nothing
		telegram.write(102, 777, "/start "+m[1])
		require.NoError(t, hookstest.ServicesOf(app).Notifications.PollTelegram(app, time.Now()))
		require.Equal(t, "555", user(student)["telegram_chat_id"])
		require.Equal(t, float64(102), telegram.offsets[len(telegram.offsets)-1], "read updates are confirmed")

		notifyStudent()
		require.Equal(t, "555", telegram.sent[len(telegram.sent)-1]["chat_id"], "notifications reach the connected chat")

		res = call(http.MethodPost, "/api/account/telegram/disconnect", tok, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		require.Equal(t, "", user(student)["telegram_chat_id"])
	})
	t.Run("an expired link connects nothing", func(t *testing.T) {
		res := call(http.MethodPost, "/api/account/telegram/link", tok, nil)
		require.Equal(t, 200, res.Status, string(res.Body))
		token := strings.TrimPrefix(res.JSON()["url"].(string), "https://t.me/TestSchoolBot?start=")
		telegram.write(103, 888, "/start "+token)
		require.NoError(t, hookstest.ServicesOf(app).Notifications.PollTelegram(app, time.Now().Add(31*time.Minute)))
		require.Equal(t, "", user(student)["telegram_chat_id"])
	})
}

// postBody posts JSON with a token and returns the status and body (from a
// goroutine: no t).
func postBody(srv *httptest.Server, path, token string, body any) (int, string) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(string(b)))
	if err != nil {
		return 0, err.Error()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", token)
	res, err := srv.Client().Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}
