package notify

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestTelegramUpdates(t *testing.T) {
	api := newFakeAPI(t, 200, `{"ok":true,"result":[{"update_id":41,"message":{"text":"/start abc","chat":{"id":987654,"type":"private"}}},{"update_id":42,"edited_message":{}}]}`)
	tg := Telegram{BotToken: testBotToken, BaseURL: api.URL}
	got, err := tg.Updates(context.Background(), 41)
	if err != nil {
		t.Fatalf("Updates() error = %v", err)
	}
	req := api.only(t)
	if req.Path != "/bot"+testBotToken+"/getUpdates" || req.JSON["offset"] != float64(41) || req.JSON["timeout"] != float64(0) {
		t.Errorf("request = %s %v", req.Path, req.JSON)
	}
	if len(got) != 2 || got[0].UpdateID != 41 || got[0].Message == nil || got[0].Message.Text != "/start abc" ||
		got[0].Message.Chat.ID != 987654 || got[1].Message != nil {
		t.Errorf("Updates() = %+v", got)
	}
}

func TestTelegramUpdatesErrors(t *testing.T) {
	tests := []struct {
		name          string
		status        int
		answer        string
		wantPermanent bool
	}{
		{name: "a webhook is set", status: 409, answer: `{"ok":false,"error_code":409,"description":"Conflict: can't use getUpdates method while webhook is active"}`, wantPermanent: true},
		{name: "server error", status: 502, answer: `bad gateway`},
		{name: "200 without ok", status: 200, answer: `{"ok":false}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI(t, tt.status, tt.answer)
			_, err := Telegram{BotToken: testBotToken, BaseURL: api.URL}.Updates(context.Background(), 0)
			if err == nil || IsPermanent(err) != tt.wantPermanent || strings.Contains(err.Error(), testBotToken) {
				t.Errorf("Updates() error = %v, want permanent %v and no token", err, tt.wantPermanent)
			}
		})
	}
	if _, err := (Telegram{}).Updates(context.Background(), 0); !errors.Is(err, ErrNotConfigured) {
		t.Errorf("without a token: %v", err)
	}
}

func TestTelegramUsername(t *testing.T) {
	api := newFakeAPI(t, 200, `{"ok":true,"result":{"id":1,"is_bot":true,"username":"SchoolBot"}}`)
	got, err := Telegram{BotToken: testBotToken, BaseURL: api.URL}.Username(context.Background())
	if err != nil || got != "SchoolBot" {
		t.Fatalf("Username() = %q, %v", got, err)
	}
	if p := api.only(t).Path; p != "/bot"+testBotToken+"/getMe" {
		t.Errorf("path = %s", p)
	}
}
