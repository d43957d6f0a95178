// Package cmd holds Tutorbase's extra cobra commands: seeding a demo school,
// running payouts, exports, the Web Push keys, verifying backups, checking an
// upgrade, the container's health check; and the guard of `serve` (a backup
// before pending migrations). Each command runs the app migrations first,
// since PocketBase applies them only on serve.
package cmd

import (
	"net"
	"os"

	"tutorbase/hooks"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Register adds Tutorbase's commands to app's root command, and the demo
// school's accounts to what `serve` prints when it serves one.
func Register(app *pocketbase.PocketBase, s *hooks.Services) {
	app.RootCmd.AddCommand(seedCommand(app, s))
	app.RootCmd.AddCommand(payoutsCommand(app, s))
	app.RootCmd.AddCommand(vapidCommand())
	app.RootCmd.AddCommand(backupCommand())
	app.RootCmd.AddCommand(upgradeCheckCommand(app))
	app.RootCmd.AddCommand(healthcheckCommand())
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Priority: 1000, // once the server listens
		Func: func(se *core.ServeEvent) error {
			if err := se.Next(); err != nil {
				return err
			}
			if IsDemo(se.App) {
				printDemoAccounts(os.Stdout, BaseURL(se.Server.Addr))
			}
			return nil
		},
	})
}

// IsDemo reports whether app's data is the demo school (its superuser is
// there).
func IsDemo(app core.App) bool {
	_, err := app.FindAuthRecordByEmail(core.CollectionNameSuperusers, DemoSuperuserEmail)
	return err == nil
}

// BaseURL is the address a browser opens for a server listening on addr
// (`serve --http`): a host listening on every interface is reached on
// 127.0.0.1.
func BaseURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}
