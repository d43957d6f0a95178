package notify

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const testBotToken = "123456:ABC-telegram-secret"

func TestTelegramSend(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		answer        string
		wantErr       bool
		wantPermanent bool
		wantMention   string
	}{
		{name: "sent", status: 200, answer: `{"ok":true,"result":{"message_id":7}}`},
		{name: "chat not found is permanent", status: 400,
			answer:  `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`,
			wantErr: true, wantPermanent: true, wantMention: "chat not found"},
		{name: "blocked by user is permanent", status: 403,
			answer:  `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}`,
			wantErr: true, wantPermanent: true, wantMention: "http 403"},
		{name: "flood limit is retried", status: 429,
			answer:  `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}`,
			wantErr: true, wantMention: "http 429"},
		{name: "server error is retried", status: 500, answer: `<html>bad gateway</html>`, wantErr: true, wantMention: "http 500"},
		{name: "200 without ok is retried", status: 200, answer: `{"ok":false}`, wantErr: true, wantMention: "without ok"},
		{name: "200 with an error code", status: 200, answer: `{"ok":false,"error_code":400,"description":"Bad Request"}`,
			wantErr: true, wantPermanent: true, wantMention: "http 400"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.status, tt.answer)
			tg := Telegram{BotToken: testBotToken, BaseURL: api.URL}
			err := tg.Send(context.Background(), "987654321", "Reminder: lesson in 1 hour https://meet.jit.si/x")

			req := api.only(t)
			if req.Method != http.MethodPost || req.Path != "/bot"+testBotToken+"/sendMessage" {
				t.Errorf("request = %s %s, want POST /bot<token>/sendMessage", req.Method, req.Path)
			}
			if req.ContentType != "application/json" {
				t.Errorf("Content-Type = %q, want application/json", req.ContentType)
			}
			want := map[string]any{"chat_id": "987654321", "text": "Reminder: lesson in 1 hour https://meet.jit.si/x",
				"disable_web_page_preview": true}
			for k, v := range want {
				if req.JSON[k] != v {
					t.Errorf("JSON %s = %#v, want %#v", k, req.JSON[k], v)
				}
			}
			if (err != nil) != tt.wantErr || IsPermanent(err) != tt.wantPermanent {
				t.Fatalf("Send() error = %v (permanent %v), want error %v permanent %v",
					err, IsPermanent(err), tt.wantErr, tt.wantPermanent)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.wantMention) {
					t.Errorf("error %q does not mention %q", err, tt.wantMention)
				}
				if strings.Contains(err.Error(), testBotToken) {
					t.Errorf("error %q reveals the bot token", err)
				}
			}
		})
	}
}

func TestTelegramFailsWithoutSending(t *testing.T) {
	tests := []struct {
		name          string
		token, chat   string
		text          string
		wantErr       error
		wantPermanent bool
	}{
		{"no token", "", "1", "hi", ErrNotConfigured, false},
		{"no chat", testBotToken, "", "hi", nil, true},
		{"empty text", testBotToken, "1", "\n", nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, 200, `{"ok":true}`)
			err := Telegram{BotToken: tt.token, BaseURL: api.URL}.Send(context.Background(), tt.chat, tt.text)
			if err == nil || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) || IsPermanent(err) != tt.wantPermanent {
				t.Errorf("Send() error = %v (permanent %v), want %v permanent %v", err, IsPermanent(err), tt.wantErr, tt.wantPermanent)
			}
			if n := api.count(); n != 0 {
				t.Errorf("sent %d requests, want none", n)
			}
		})
	}
}

func TestTelegramNetworkErrorsHideTheToken(t *testing.T) {
	// A connection cut mid-request, and a closed port: both retryable, and
	// neither error may carry the URL, whose path holds the token.
	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(cut.Close)
	for name, base := range map[string]string{"cut": cut.URL, "closed": closedURL(t)} {
		t.Run(name, func(t *testing.T) {
			err := Telegram{BotToken: testBotToken, BaseURL: base}.Send(context.Background(), "1", "hi")
			if err == nil || IsPermanent(err) {
				t.Fatalf("Send() error = %v, want a retryable error", err)
			}
			if strings.Contains(err.Error(), testBotToken) || strings.Contains(err.Error(), "/bot") {
				t.Errorf("error %q reveals the token", err)
			}
			var netErr net.Error
			if name == "closed" && !errors.As(err, &netErr) {
				t.Errorf("error %v does not unwrap to a net.Error", err)
			}
		})
	}
}
