package hooks

import (
	"tutorbase/internal/app/platform"

	"github.com/pocketbase/pocketbase/core"
)

var fieldGuards = map[string]platform.FieldGuard{
	"users":        {Server: []string{"calendar_token", "phone_verified", "telegram_chat_id"}},
	"tutors":       {Server: []string{"name", "timezone", "rating_avg", "rating_count"}, Staff: []string{"verified", "status", "stripe_account"}, Immutable: []string{"user"}},
	"students":     {Immutable: []string{"user"}},
	"availability": {Server: []string{"tutor_user"}, Immutable: []string{"tutor"}},
	"time_off":     {Server: []string{"tutor_user"}, Immutable: []string{"tutor"}},
	"packages":     {Server: []string{"tutor_user", "effective_price"}, Immutable: []string{"tutor"}},
	"reviews":      {Server: []string{"student", "tutor", "student_name"}, Staff: []string{"hidden"}, Immutable: []string{"booking"}},
	"materials":    {Server: []string{"version", "previous"}, Immutable: []string{"owner"}},
	// what is rendered and sent is the server's; a person marks it read
	"notifications": {Only: []string{"read_at"}},
}

func registerGuards(app core.App) {
	for name, g := range fieldGuards {
		platform.Guard(app, name, g)
	}
}
