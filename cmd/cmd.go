// Package cmd holds Tutorbase's extra cobra commands: seeding a demo school,
// running payouts, exports, the Web Push keys. Each command runs the app migrations first,
// since PocketBase applies them only on serve.
package cmd

import (
	"tutorbase/hooks"

	"github.com/pocketbase/pocketbase"
)

// Register adds Tutorbase's commands to app's root command.
func Register(app *pocketbase.PocketBase, s *hooks.Services) {
	app.RootCmd.AddCommand(seedCommand(app, s))
	app.RootCmd.AddCommand(payoutsCommand(app, s))
	app.RootCmd.AddCommand(vapidCommand())
}
