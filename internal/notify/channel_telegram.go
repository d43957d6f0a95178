package notify

import "context"

// TelegramChannel sends a notification's short text through the school's
// Telegram bot, to the chat a person connected with the bot's link.
type TelegramChannel struct{ Telegram Telegram }

// Name implements Channel.
func (TelegramChannel) Name() string { return ChannelTelegram }

// Enabled implements Channel: with a bot token.
func (t TelegramChannel) Enabled() bool { return t.Telegram.BotToken != "" }

// Address implements Channel.
func (TelegramChannel) Address(c Contact) (string, string) {
	if c.TelegramChat == "" {
		return "", "no Telegram chat connected"
	}
	return c.TelegramChat, ""
}

// Send implements Channel.
func (t TelegramChannel) Send(ctx context.Context, m Outgoing) (string, error) {
	return "", t.Telegram.Send(ctx, m.To, m.Short)
}
