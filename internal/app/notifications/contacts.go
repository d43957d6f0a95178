package notifications

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"tutorbase/internal/app/platform"
	contactproof "tutorbase/internal/contact"
	"tutorbase/internal/notify"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// Proof kinds (contact_proofs.kind).
const (
	proofPhone    = "phone"
	proofTelegram = "telegram"
)

// telegramSalt salts the hash of a Telegram link token: the bot receives
// the token alone, so the row is found by its hash.
const telegramSalt = "telegram"

// registerContacts binds the proof of contact details: SMS and WhatsApp go
// to a phone only once a code sent there came back, Telegram only to the
// chat that sent the school's bot a one-time link token (the deliveries
// read users.phone_verified and users.telegram_chat_id, which only this
// file sets).
func (s *Service) registerContacts(app core.App) {
	app.OnRecordUpdate("users").BindFunc(func(e *core.RecordEvent) error {
		// a new number is proven again (unless this very save proves it:
		// clients cannot set phone_verified: accounts guards it)
		orig := e.Record.Original()
		if e.Record.GetString("phone") != orig.GetString("phone") && e.Record.GetBool("phone_verified") == orig.GetBool("phone_verified") {
			e.Record.Set("phone_verified", false)
		}
		return e.Next()
	})
}

// SendPhoneCode sends a code to the caller's phone by SMS or WhatsApp.
func (s *Service) SendPhoneCode(e *core.RequestEvent) error {
	var in struct {
		Channel string `json:"channel"`
	}
	if err := e.BindBody(&in); err != nil || (in.Channel != notify.ChannelSMS && in.Channel != notify.ChannelWhatsApp) {
		return platform.RuleError(http.StatusBadRequest, "channel", "validation_invalid_value", `Send {"channel": "sms"} or {"channel": "whatsapp"}.`)
	}
	u := e.Auth
	phone := u.GetString("phone")
	switch {
	case phone == "":
		return platform.RuleError(http.StatusBadRequest, "phone", "validation_required", "Save your mobile number first.")
	case u.GetBool("phone_verified"):
		return platform.RuleError(http.StatusBadRequest, "phone", "already_verified", "This number is confirmed already.")
	case !s.channelEnabled(in.Channel):
		return platform.RuleError(http.StatusBadRequest, "channel", "channel_off", "The school does not send messages this way.")
	}
	code, err := contactproof.NewCode()
	if err != nil {
		return err
	}
	now := s.env.Now()
	proof, err := storeProof(e.App, u.Id, proofPhone, phone, contactproof.Hash(u.Id, code), now.Add(contactproof.CodeTTL), now)
	if err != nil {
		return err
	}
	school, err := platform.LoadSchool(e.App)
	if err != nil {
		return err
	}
	text := contactproof.CodeText(u.GetString("locale"), school.Name, code)
	tw := s.twilio()
	send := tw.SendSMS
	if in.Channel == notify.ChannelWhatsApp {
		send = tw.SendWhatsApp
	}
	if _, err := send(e.Request.Context(), phone, text); err != nil {
		e.App.Logger().Warn("failed to send a phone code", "user", u.Id, "channel", in.Channel, "error", err)
		_ = e.App.Delete(proof) // nothing was sent: the person may ask again at once
		return apis.NewApiError(http.StatusBadGateway, "The message could not be sent; check the number or try again in a minute.", nil)
	}
	return e.JSON(http.StatusOK, map[string]any{"channel": in.Channel, "phone": phone, "expires_at": proof.GetDateTime("expires_at")})
}

// storeProof writes the user's one proof of kind, replacing an older one
// unless it was made less than contactproof.ResendAfter ago; in one transaction,
// so two requests at once make one proof.
func storeProof(app core.App, user, kind, target, secret string, expires, now time.Time) (*core.Record, error) {
	var proof *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		p, err := tx.FindFirstRecordByFilter("contact_proofs", "user = {:u} && kind = {:k}", dbx.Params{"u": user, "k": kind})
		switch {
		case errors.Is(err, sql.ErrNoRows):
			col, err := tx.FindCachedCollectionByNameOrId("contact_proofs")
			if err != nil {
				return err
			}
			p = core.NewRecord(col)
			p.Load(map[string]any{"user": user, "kind": kind})
		case err != nil:
			return err
		case kind == proofPhone && now.Sub(p.GetDateTime("updated").Time()) < contactproof.ResendAfter:
			return apis.NewTooManyRequestsError("Wait a minute before asking for another code.", nil)
		}
		p.Load(map[string]any{"target": target, "secret": secret, "expires_at": expires, "attempts": 0})
		proof = p
		return tx.Save(p)
	})
	return proof, err
}

// VerifyPhoneCode checks a code against the caller's proof, counting wrong
// ones under the write lock; the right one proves the phone.
func (s *Service) VerifyPhoneCode(e *core.RequestEvent) error {
	var in struct {
		Code string `json:"code"`
	}
	if err := e.BindBody(&in); err != nil {
		return platform.RuleError(http.StatusBadRequest, "code", "validation_required", `Send {"code": "123456"}.`)
	}
	code := contactproof.NormalizeCode(in.Code)
	var refused error
	var user *core.Record
	err := e.App.RunInTransaction(func(tx core.App) error {
		u, err := tx.FindRecordById("users", e.Auth.Id)
		if err != nil {
			return err
		}
		p, err := tx.FindFirstRecordByFilter("contact_proofs", "user = {:u} && kind = 'phone'", dbx.Params{"u": u.Id})
		if err != nil || s.env.Now().After(p.GetDateTime("expires_at").Time()) || p.GetString("target") != u.GetString("phone") {
			refused = platform.RuleError(http.StatusBadRequest, "code", "code_expired", "This code has expired; ask for a new one.")
			return nil
		}
		if p.GetInt("attempts") >= contactproof.MaxAttempts {
			refused = platform.RuleError(http.StatusBadRequest, "code", "too_many_attempts", "Too many wrong codes; ask for a new one.")
			return nil
		}
		if !contactproof.Matches(p.GetString("secret"), u.Id, code) {
			p.Set("attempts", p.GetInt("attempts")+1)
			refused = platform.RuleError(http.StatusBadRequest, "code", "wrong_code", "That is not the code we sent.")
			return tx.Save(p)
		}
		u.Set("phone_verified", true)
		if err := tx.Save(u); err != nil {
			return err
		}
		user = u
		return tx.Delete(p)
	})
	if err != nil {
		return err
	}
	if refused != nil {
		return refused
	}
	return respondUser(e, user)
}

// TelegramLink answers a t.me deep link to the school's bot carrying a
// one-time token: pressing Start in Telegram sends the bot "/start
// <token>", and the poll (PollTelegram) connects that chat.
func (s *Service) TelegramLink(e *core.RequestEvent) error {
	if !s.channelEnabled(notify.ChannelTelegram) {
		return platform.RuleError(http.StatusBadRequest, "channel", "channel_off", "The school does not send messages through Telegram.")
	}
	bot, err := s.telegramBotName(e.Request.Context(), e.App)
	if err != nil {
		e.App.Logger().Warn("telegram getMe failed", "error", err)
		return apis.NewApiError(http.StatusBadGateway, "Telegram is not answering; try again in a minute.", nil)
	}
	token := contactproof.NewToken()
	now := s.env.Now()
	proof, err := storeProof(e.App, e.Auth.Id, proofTelegram, "", contactproof.Hash(telegramSalt, token), now.Add(contactproof.LinkTTL), now)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"url": "https://t.me/" + bot + "?start=" + token, "bot": bot,
		"expires_at": proof.GetDateTime("expires_at")})
}

func (s *Service) telegramBotName(ctx context.Context, app core.App) (string, error) {
	const key = "tutorbase.telegram.bot"
	if name, ok := app.Store().Get(key).(string); ok {
		return name, nil
	}
	name, err := s.telegram().Username(ctx)
	if err == nil {
		app.Store().Set(key, name)
	}
	return name, err
}

// twilio and telegram are the clients of the proofs, configured like the
// channels.
func (s *Service) twilio() notify.Twilio {
	t := s.env.Config.Twilio
	return notify.Twilio{AccountSID: t.AccountSID, AuthToken: t.AuthToken, From: t.From, WhatsAppFrom: t.WhatsAppFrom, BaseURL: t.APIBase}
}

func (s *Service) telegram() notify.Telegram {
	return notify.Telegram{BotToken: s.env.Config.Telegram.BotToken, BaseURL: s.env.Config.Telegram.APIBase}
}

// channelEnabled reports whether the school sends through channel name.
func (s *Service) channelEnabled(name string) bool {
	ch, ok := s.channels.Get(name)
	return ok && ch.Enabled()
}

// TelegramCheck reads the bot's new messages now (rather than at the next
// minute's poll) and says whether the caller's chat is connected.
func (s *Service) TelegramCheck(e *core.RequestEvent) error {
	if err := s.PollTelegram(e.App, s.env.Now()); err != nil {
		e.App.Logger().Warn("telegram poll failed", "error", err)
	}
	u, err := e.App.FindRecordById("users", e.Auth.Id)
	if err != nil {
		return err
	}
	return e.JSON(http.StatusOK, map[string]any{"connected": u.GetString("telegram_chat_id") != ""})
}

func (s *Service) TelegramDisconnect(e *core.RequestEvent) error {
	u, err := e.App.FindRecordById("users", e.Auth.Id)
	if err != nil {
		return err
	}
	u.Set("telegram_chat_id", "")
	if err := e.App.Save(u); err != nil {
		return err
	}
	return respondUser(e, u)
}

func respondUser(e *core.RequestEvent, u *core.Record) error {
	if err := apis.EnrichRecord(e, u); err != nil {
		return err
	}
	return e.JSON(http.StatusOK, u)
}

// telegramPoll is one process's poll state: one poll at a time, and the
// offset of the next update (Telegram forgets updates before it; after a
// restart the unconfirmed ones come again and connect nothing twice).
type telegramPoll struct {
	mu     sync.Mutex
	offset int64
}

// PollTelegram reads the school's bot's new messages (getUpdates, no
// webhook: it works behind NAT without a public address) and connects the
// chat of each "/start <token>" whose token is a live link. A job runs it
// every minute; the web app's check runs it at once. Without a bot token
// it does nothing.
func (s *Service) PollTelegram(app core.App, now time.Time) error {
	tg := s.telegram()
	if tg.BotToken == "" {
		return nil
	}
	state := app.Store().GetOrSet("tutorbase.telegram.poll", func() any { return &telegramPoll{} }).(*telegramPoll)
	state.mu.Lock()
	defer state.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	updates, err := tg.Updates(ctx, state.offset)
	if err != nil {
		return err
	}
	var errs []error
	for _, u := range updates {
		state.offset = max(state.offset, u.UpdateID+1)
		if u.Message == nil || u.Message.Chat.Type != "private" {
			continue
		}
		if token, ok := contactproof.StartToken(u.Message.Text); ok {
			errs = append(errs, connectTelegram(ctx, app, tg, token, u.Message.Chat.ID, now))
		}
	}
	return errors.Join(errs...)
}

// connectTelegram sets the chat of the user whose live link token this is,
// consuming the token in the same transaction (a token connects once), and
// tells the chat.
func connectTelegram(ctx context.Context, app core.App, tg notify.Telegram, token string, chat int64, now time.Time) error {
	var user *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		p, err := tx.FindFirstRecordByFilter("contact_proofs", "kind = 'telegram' && secret = {:s}", dbx.Params{"s": contactproof.Hash(telegramSalt, token)})
		if err != nil || now.After(p.GetDateTime("expires_at").Time()) {
			return nil // unknown, used or expired: ignore
		}
		u, err := tx.FindRecordById("users", p.GetString("user"))
		if err != nil {
			return err
		}
		u.Set("telegram_chat_id", strconv.FormatInt(chat, 10))
		if err := tx.Save(u); err != nil {
			return err
		}
		user = u
		return tx.Delete(p)
	})
	if err != nil || user == nil {
		return err
	}
	name := "Tutorbase"
	if s, err := platform.LoadSchool(app); err == nil {
		name = s.Name
	}
	if err := tg.Send(ctx, strconv.FormatInt(chat, 10), contactproof.ConnectedText(user.GetString("locale"), name)); err != nil {
		app.Logger().Warn("failed to greet a connected Telegram chat", "user", user.Id, "error", err)
	}
	return nil
}
