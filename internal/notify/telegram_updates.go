package notify

import (
	"context"
	"encoding/json"
	"fmt"
)

// TelegramUpdate is one incoming update of the Bot API, reduced to what
// connecting a chat needs: a private message's text and its chat.
type TelegramUpdate struct {
	UpdateID int64 `json:"update_id"`
	Message  *struct {
		Text string `json:"text"`
		Chat struct {
			ID   int64  `json:"id"`
			Type string `json:"type"`
		} `json:"chat"`
	} `json:"message"`
}

// telegramUpdatesLimit keeps one getUpdates answer well under the 64 KB
// this client reads.
const telegramUpdatesLimit = 50

// Updates fetches the bot's pending messages from offset on (getUpdates,
// without waiting), which also confirms every update before offset to
// Telegram, so they are not sent again. It fails (409) while the bot has a
// webhook set: Tutorbase polls instead of taking a webhook.
func (t Telegram) Updates(ctx context.Context, offset int64) ([]TelegramUpdate, error) {
	var out []TelegramUpdate
	err := t.call(ctx, "getUpdates", map[string]any{
		"offset": offset, "limit": telegramUpdatesLimit, "timeout": 0, "allowed_updates": []string{"message"},
	}, &out)
	return out, err
}

// Username is the bot's @username, for t.me deep links (getMe).
func (t Telegram) Username(ctx context.Context) (string, error) {
	var me struct {
		Username string `json:"username"`
	}
	if err := t.call(ctx, "getMe", map[string]any{}, &me); err != nil {
		return "", err
	}
	if me.Username == "" {
		return "", fmt.Errorf("telegram: getMe: no username")
	}
	return me.Username, nil
}

// call posts a Bot API method and decodes its result into out.
func (t Telegram) call(ctx context.Context, method string, params map[string]any, out any) error {
	service := "telegram " + method
	if t.BotToken == "" {
		return fmt.Errorf("%s: %w", service, ErrNotConfigured)
	}
	payload, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("%s: encode: %w", service, err)
	}
	resp, err := t.post(ctx, service, method, payload)
	if err != nil {
		return err
	}
	var answer struct {
		OK          bool            `json:"ok"`
		Description string          `json:"description"`
		Result      json.RawMessage `json:"result"`
	}
	if err := decodeJSON(resp.body, &answer); err != nil || !answer.OK || resp.status < 200 || resp.status > 299 {
		return statusError(service, resp.status, answer.Description, t.BotToken)
	}
	if err := json.Unmarshal(answer.Result, out); err != nil {
		return fmt.Errorf("%s: decode result: %w", service, err)
	}
	return nil
}
