// Command tutorbase is a self-hosted, single-binary platform for tutoring
// schools: PocketBase (auth, REST, realtime, dashboard, embedded SQLite)
// extended with Go migrations, hooks, routes, jobs and an embedded web app.
package main

import (
	"embed"
	"io/fs"
	"log"
	"net/http"
	"os"
	_ "time/tzdata" // the binary carries its own time zone database

	"tutorbase/cmd"
	"tutorbase/hooks"
	"tutorbase/internal/app/notifications"
	"tutorbase/internal/app/ops"
	"tutorbase/internal/app/platform"
	"tutorbase/internal/config"
	"tutorbase/internal/static"
	"tutorbase/jobs"
	_ "tutorbase/migrations"

	"github.com/pocketbase/pocketbase"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/plugins/migratecmd"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/osutils"
)

//go:embed all:pb_public
var public embed.FS

// version is stamped by the build (deploy/build.sh: git describe).
var version = "dev"

func main() {
	cfg, err := config.Load(os.Environ())
	if err != nil {
		log.Fatalf("tutorbase: configuration error:\n%v", err)
	}
	if cfg.Sentry.Release == "" {
		cfg.Sentry.Release = "tutorbase@" + version // error reports name the running version
	}

	app := newApp(cfg)

	migratecmd.MustRegister(app, app.RootCmd, migratecmd.Config{Dir: "migrations", Automigrate: false})

	services, err := hooks.Register(app, platform.NewEnv(cfg))
	if err != nil {
		log.Fatal(err)
	}
	if err := jobs.Register(app, services); err != nil {
		log.Fatal(err)
	}
	notifications.UseMailer(app, os.Stderr) // not in hooks.Register: tests keep PocketBase's test mailer
	cmd.Register(app, services)

	webapp, err := fs.Sub(public, "pb_public")
	if err != nil {
		log.Fatal(err)
	}
	app.OnServe().Bind(&hook.Handler[*core.ServeEvent]{
		Priority: 999, // after every other route, so it only catches what they don't
		Func: func(se *core.ServeEvent) error {
			se.InstallerFunc = nil // the hint below and README explain `tutorbase superuser upsert`
			if !se.Router.HasRoute(http.MethodGet, "/{path...}") {
				// gzipped once, revalidated by ETag (docs/webapp.md)
				se.Router.GET("/{path...}", apis.WrapStdHandler(static.New(webapp))).Bind(apis.SkipSuccessActivityLog())
			}
			if err := se.Next(); err != nil {
				return err
			}
			noSuperuserHint(se.App, os.Stderr, os.Args[0])
			return nil
		},
	})

	if err := run(app, services, os.Args[1:]); err != nil {
		os.Exit(1) // the error is printed already
	}
}

// newApp is pocketbase.New with Tutorbase's query timeout as the default
// of --queryTimeout (PocketBase's own is 30 s), and a WAL that is trimmed
// back after a checkpoint (ops.DBConnect).
func newApp(cfg config.Config) *pocketbase.PocketBase {
	app := pocketbase.NewWithConfig(pocketbase.Config{
		DefaultDev:          osutils.IsProbablyGoRun(),
		DefaultQueryTimeout: cfg.Timeout(),
		DBConnect:           ops.DBConnect,
	})
	app.RootCmd.Use = "tutorbase"
	app.RootCmd.Version = version
	app.RootCmd.Short = "Tutorbase: a tutoring school in one binary"
	return app
}
