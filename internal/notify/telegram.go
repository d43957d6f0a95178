package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// DefaultTelegramBaseURL is the Telegram Bot API, used when
// Telegram.BaseURL is empty.
const DefaultTelegramBaseURL = "https://api.telegram.org"

// Telegram sends messages through the Telegram Bot API. BaseURL points
// tests at a fake (TELEGRAM_API_BASE). Client nil means a fresh client with
// DefaultTimeout.
type Telegram struct {
	BotToken, BaseURL string
	Client            *http.Client
}

// Send sends text to chatID (a user's chat id, or @channel) as plain text
// without link previews. It returns [ErrNotConfigured] without a bot token,
// a [Permanent] error when Telegram refuses the message with a 4xx other
// than 429 (chat not found, bot blocked by the user), and a retryable
// error otherwise. The token never appears in the error.
func (t Telegram) Send(ctx context.Context, chatID, text string) error {
	const service = "telegram"
	if t.BotToken == "" {
		return fmt.Errorf("%s: %w", service, ErrNotConfigured)
	}
	if chatID == "" {
		return Permanent(fmt.Errorf("%s: no chat id", service))
	}
	if strings.TrimSpace(text) == "" {
		return Permanent(fmt.Errorf("%s: empty message", service))
	}
	payload, err := json.Marshal(map[string]any{
		"chat_id": chatID, "text": text, "disable_web_page_preview": true,
	})
	if err != nil {
		return fmt.Errorf("%s: encode message: %w", service, err)
	}
	resp, err := t.post(ctx, service, "sendMessage", payload)
	if err != nil {
		return err
	}
	var answer struct {
		OK          bool   `json:"ok"`
		ErrorCode   int    `json:"error_code"`
		Description string `json:"description"`
	}
	if err := decodeJSON(resp.body, &answer); err != nil || !answer.OK {
		status := resp.status
		if status >= 200 && status <= 299 && answer.ErrorCode != 0 {
			status = answer.ErrorCode
		}
		if status >= 200 && status <= 299 {
			return fmt.Errorf("%s: answer without ok: %s", service, redact(truncate(string(resp.body), 200), t.BotToken))
		}
		return statusError(service, status, answer.Description, t.BotToken)
	}
	return nil
}

// post sends payload (JSON) to a Bot API method; errors never carry the
// token.
func (t Telegram) post(ctx context.Context, service, method string, payload []byte) (apiResponse, error) {
	base := strings.TrimRight(t.BaseURL, "/")
	if base == "" {
		base = DefaultTelegramBaseURL
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/bot"+t.BotToken+"/"+method, bytes.NewReader(payload))
	if err != nil {
		return apiResponse{}, fmt.Errorf("%s: build request: %w", service, scrubbed{err, t.BotToken})
	}
	req.Header.Set("Content-Type", "application/json")
	return post(t.Client, req, service, t.BotToken)
}
